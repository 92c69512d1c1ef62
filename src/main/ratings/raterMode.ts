/**
 * Rater mode: what a rater sees while rating. Blinding is enforced here, in
 * main, not in the UI: every result is built field by field from an
 * allow-list (an opaque "Clip n of N" handle, the media id for playback, the
 * fields to rate, the rater's own rating). The reference label, CSV cells,
 * file names, titles, URLs, other raters' ratings and model predictions are
 * never read into a rater-mode result, except in `revealed`, which exists only
 * after this rater submitted the clip in a set that reveals, or in an
 * unblinded set. Error messages name clips by their handle only. The
 * rater's key frames go with their rating: editable while the rating is.
 */
import type { z } from 'zod'
import type {
  RaterClip,
  RaterSetSummary,
  RaterView,
  RatingValues,
  submitArgsSchema
} from '../../shared/ratingsContract'
import type { CatalogRepository } from '../catalog/catalogRepository'
import type { RaterKeyFrame } from '../../shared/readerContract'
import type { CatalogDb } from '../catalog/database'
import { UserError } from '../errors'
import { orderQueue } from './queueOrder'
import type { RaterKeyFrameStore } from './raterKeyFrameStore'
import { completeValues, referenceValues } from './ratingFields'
import type { RatingStore, StoredRating } from './ratingStore'
import type { ReviewSetStore, SetDefinition, SetItem, SetRater } from './reviewSetStore'

export type SubmitArgs = z.output<typeof submitArgsSchema>

export interface RaterModeDeps {
  db: CatalogDb
  sets: ReviewSetStore
  ratings: RatingStore
  keyFrames: RaterKeyFrameStore
  repository: CatalogRepository
}

export interface KeyFrameArgs {
  setId: string
  raterId: string
  clipNo: number
  frame: number
}

const handle = (clipNo: number, total: number): string => `Clip ${clipNo} of ${total}`

export class RaterMode {
  constructor(private readonly d: RaterModeDeps) {}

  /** The sets this rater belongs to, with their progress. */
  sets(raterId: string): RaterSetSummary[] {
    return this.d.sets
      .setIds()
      .filter((id) => this.d.sets.raters(id).some((r) => r.id === raterId))
      .map((id) => this.summary(this.d.sets.definition(id), raterId))
  }

  /** The next clip this rater has not rated, in the set's queue order. */
  next(setId: string, raterId: string): RaterView {
    const { def } = this.membership(setId, raterId)
    const items = this.d.sets.items(setId)
    const rated = this.d.ratings.ratedEntries(setId, raterId)
    const next = orderQueue(def.order, items, { seed: def.seed, raterId }).find((i) => !rated.has(i.entryId))
    const item = next ? items.find((i) => i.entryId === next.entryId)! : null
    return { set: this.summary(def, raterId), clip: item ? this.clipView(def, raterId, item, items.length) : null }
  }

  /** One clip by its number, e.g. to go back to a rated one. */
  clip(setId: string, raterId: string, clipNo: number): RaterView {
    const { def } = this.membership(setId, raterId)
    const item = this.item(def, clipNo)
    return { set: this.summary(def, raterId), clip: this.clipView(def, raterId, item, this.d.sets.items(setId).length) }
  }

  submit(args: SubmitArgs): RaterView {
    const { def } = this.membership(args.setId, args.raterId)
    const total = this.d.sets.items(args.setId).length
    const item = this.item(def, args.clipNo)
    const where = handle(item.clipNo, total)
    const values = completeValues(def.fields, args.values, where)
    this.d.db.transaction(() => {
      const existing = this.d.ratings.find(def.id, args.raterId, item.entryId)
      // Once others' ratings were shown, changing one's own would no longer be an independent rating.
      if (existing && !this.canEdit(def, existing))
        throw new UserError('conflict', `${where}: your rating was revealed against the others and is final.`)
      const now = new Date().toISOString()
      this.d.ratings.put(def.id, {
        raterId: args.raterId,
        entryId: item.entryId,
        values,
        confidence: args.confidence,
        comment: args.comment,
        submittedAt: existing?.submittedAt ?? now,
        updatedAt: now
      })
    })()
    return { set: this.summary(def, args.raterId), clip: this.clipView(def, args.raterId, item, total) }
  }

  /** Marks a frame of the clip (or rewrites its note). */
  setKeyFrame(args: KeyFrameArgs & { note: string }): { keyFrames: RaterKeyFrame[] } {
    return this.editKeyFrames(args, (item) => this.d.keyFrames.put(args.setId, args.raterId, item.entryId, { frame: args.frame, note: args.note }))
  }

  removeKeyFrame(args: KeyFrameArgs): { keyFrames: RaterKeyFrame[] } {
    return this.editKeyFrames(args, (item) => this.d.keyFrames.remove(args.setId, args.raterId, item.entryId, args.frame))
  }

  private editKeyFrames(args: KeyFrameArgs, edit: (item: SetItem) => void): { keyFrames: RaterKeyFrame[] } {
    const { def } = this.membership(args.setId, args.raterId)
    const item = this.item(def, args.clipNo)
    this.d.db.transaction(() => {
      // Key frames are part of the rating: once it is final, so are they.
      if (!this.canEdit(def, this.d.ratings.find(def.id, args.raterId, item.entryId)))
        throw new UserError(
          'conflict',
          `${handle(item.clipNo, this.d.sets.items(def.id).length)}: your rating was revealed against the others and is final; its key frames cannot be changed.`
        )
      edit(item)
    })()
    return { keyFrames: this.d.keyFrames.list(def.id, args.raterId, item.entryId) }
  }

  private membership(setId: string, raterId: string): { def: SetDefinition; rater: SetRater } {
    const def = this.d.sets.definition(setId)
    const rater = this.d.sets.raters(setId).find((r) => r.id === raterId)
    if (!rater) throw new UserError('not_found', `This rater is not part of review set "${def.name}".`)
    return { def, rater }
  }

  private item(def: SetDefinition, clipNo: number): SetItem {
    const item = this.d.sets.itemByClipNo(def.id, clipNo)
    if (!item) throw new UserError('not_found', `Review set "${def.name}" has no clip ${clipNo}.`)
    return item
  }

  private summary(def: SetDefinition, raterId: string): RaterSetSummary {
    return {
      id: def.id,
      name: def.name,
      blinded: def.blinded,
      fields: [...def.fields],
      total: this.d.sets.items(def.id).length,
      rated: this.d.ratings.ratedEntries(def.id, raterId).size
    }
  }

  private canEdit(def: SetDefinition, mine: StoredRating | null): boolean {
    return !(mine && def.blinded && def.revealAfterSubmit)
  }

  private clipView(def: SetDefinition, raterId: string, item: SetItem, total: number): RaterClip {
    const detail = this.d.repository.get(item.entryId)
    const mine = this.d.ratings.find(def.id, raterId, item.entryId)
    const reveal = !def.blinded || (def.revealAfterSubmit && mine !== null)
    return {
      setId: def.id,
      clipNo: item.clipNo,
      handle: handle(item.clipNo, total),
      total,
      mediaId: detail.summary.mediaId,
      mediaKind: detail.media?.kind ?? null,
      fields: [...def.fields],
      myRating: mine ? ownRating(mine) : null,
      keyFrames: this.d.keyFrames.list(def.id, raterId, item.entryId),
      canEdit: this.canEdit(def, mine),
      revealed: reveal
        ? {
            reference: referenceValues(detail, def.fields),
            others: this.others(def, raterId, item.entryId),
            predictions: []
          }
        : null
    }
  }

  private others(def: SetDefinition, raterId: string, entryId: number): { rater: string; values: RatingValues; confidence: number; comment: string }[] {
    const names = new Map(this.d.sets.raters(def.id).map((r) => [r.id, r.name]))
    return this.d.ratings
      .ofItem(def.id, entryId)
      .filter((r) => r.raterId !== raterId)
      .map((r) => ({ rater: names.get(r.raterId) ?? 'unknown rater', values: r.values, confidence: r.confidence, comment: r.comment }))
  }
}

/** The rater's own rating, copied field by field (no ids, no entry). */
function ownRating(r: StoredRating): RaterClip['myRating'] {
  return { values: r.values, confidence: r.confidence, comment: r.comment, submittedAt: r.submittedAt, updatedAt: r.updatedAt }
}
