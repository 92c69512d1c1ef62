/**
 * The reader workstation: one blinded study, its raters' queues, their
 * ratings and key frames, and the ratings bundle they send back. Everything
 * a reader sees is built here from an allow-list (clip number, "Clip n of N",
 * kind, the form, the rater's own rating); nothing else exists in the store
 * to leak. Messages name clips only as "Clip n of N".
 */
import { basename } from 'node:path'
import type { z } from 'zod'
import type { RatingField, RatingValue, RatingValues } from '../../shared/ratingsContract'
import type {
  ReaderClip,
  ReaderExportResult,
  ReaderPlayback,
  ReaderStudy,
  ReaderView,
  RaterKeyFrame,
  readerSubmitArgsSchema
} from '../../shared/readerContract'
import { containedPath } from '../media/mediaResponse'
import type { StudyClip, StudyManifest } from '../ratings/readerBundle/readerFormats'
import { completeValues } from '../ratings/ratingFields'
import { writeFileAtomic } from '../fs/atomicWrite'
import { UserError } from '../errors'
import { buildRatingsBundle, ratingsTarget } from './ratingsExport'
import type { StudyStore } from './studyStore'

export type ReaderSubmitArgs = z.output<typeof readerSubmitArgsSchema>
type StudyRater = StudyManifest['raters'][number]

export interface ReaderServiceContext {
  store: StudyStore
  manifest: StudyManifest
  /** The store's clips/ folder: clip files are served from here only. */
  clipsDir: string
  /** The study zip as last opened: ratings are exported beside it by default. */
  bundlePath: string
  appVersion: string
}

export class ReaderService {
  private readonly store: StudyStore
  private readonly manifest: StudyManifest
  private readonly clips: ReadonlyMap<number, StudyClip>
  private readonly raters: ReadonlyMap<string, StudyRater>

  constructor(private readonly ctx: ReaderServiceContext) {
    this.store = ctx.store
    this.manifest = ctx.manifest
    this.clips = new Map(ctx.manifest.clips.map((c) => [c.clipNo, c]))
    this.raters = new Map(ctx.manifest.raters.map((r) => [r.id, r]))
  }

  study(): ReaderStudy {
    return {
      studyId: this.manifest.studyId,
      name: this.manifest.name,
      fields: [...this.manifest.fields],
      raters: this.manifest.raters.map((r) => ({ id: r.id, name: r.name })),
      total: this.manifest.clips.length,
      createdAt: this.manifest.created
    }
  }

  /** The clip asked for, or the next one in this rater's queue they have not rated (null when none is left). */
  open(raterId: string, clipNo?: number): ReaderView {
    const rater = this.rater(raterId)
    if (clipNo !== undefined) this.queuedClip(rater, clipNo)
    const rated = this.store.ratedClips(raterId)
    const target = clipNo ?? rater.queue.find((n) => !rated.has(n)) ?? null
    return this.view(rater, rated, target)
  }

  submit(args: ReaderSubmitArgs): ReaderView {
    const rater = this.rater(args.raterId)
    const clip = this.queuedClip(rater, args.clipNo)
    const where = this.handle(clip.clipNo)
    const values = this.studyValues(args.values, where)
    this.store.transaction(() => {
      this.refuseIfFinal(rater.id)
      this.store.putRating(rater.id, clip.clipNo, { values, confidence: args.confidence, comment: args.comment }, new Date().toISOString())
    })
    return this.view(rater, this.store.ratedClips(rater.id), clip.clipNo)
  }

  /** From the manifest's frame times: the reader's machine never probes a clip. */
  playback(clipNo: number): ReaderPlayback {
    const clip = this.clip(clipNo)
    const still = clip.kind === 'image'
    const frameTimes = still ? [clip.frameTimes[0] ?? 0] : [...clip.frameTimes]
    return {
      clipNo: clip.clipNo,
      state: 'ready',
      source: still ? 'image' : 'original',
      frameTimes,
      frameCount: frameTimes.length,
      fps: still ? null : framesPerSecond(frameTimes),
      width: clip.width,
      height: clip.height,
      durationS: clip.durationS,
      progress: null,
      error: null
    }
  }

  setKeyFrame(raterId: string, clipNo: number, frame: number, note: string): { keyFrames: RaterKeyFrame[] } {
    const rater = this.rater(raterId)
    const clip = this.queuedClip(rater, clipNo)
    const frames = this.frameCount(clip)
    if (frame >= frames)
      throw new UserError('bad_input', `${this.handle(clipNo)} has ${frames} frame${frames === 1 ? '' : 's'}; there is no frame ${frame + 1}.`)
    this.store.transaction(() => {
      this.refuseIfFinal(rater.id)
      this.store.putKeyFrame(rater.id, clipNo, frame, note, new Date().toISOString())
    })
    return { keyFrames: this.store.keyFrames(rater.id, clipNo) }
  }

  removeKeyFrame(raterId: string, clipNo: number, frame: number): { keyFrames: RaterKeyFrame[] } {
    const rater = this.rater(raterId)
    this.queuedClip(rater, clipNo)
    this.store.transaction(() => {
      this.refuseIfFinal(rater.id)
      if (!this.store.deleteKeyFrame(rater.id, clipNo, frame))
        throw new UserError('not_found', `${this.handle(clipNo)}: frame ${frame + 1} is not one of your key frames.`)
    })
    return { keyFrames: this.store.keyFrames(rater.id, clipNo) }
  }

  /**
   * Writes this rater's ratings bundle. `final` locks their ratings for good,
   * so it needs every clip of their queue rated; an export that is not final
   * can be sent at any time and changes nothing.
   */
  async exportRatings(args: { raterId: string; outPath?: string | undefined; final: boolean }): Promise<ReaderExportResult> {
    const rater = this.rater(args.raterId)
    const target = ratingsTarget(args.outPath, { bundlePath: this.ctx.bundlePath, name: this.manifest.name }, rater.name)
    const rated = this.store.ratedClips(rater.id)
    const ratedInQueue = rater.queue.filter((n) => rated.has(n)).length
    const earlier = this.store.finalization(rater.id)
    if (args.final && !earlier && ratedInQueue < rater.queue.length)
      throw new UserError(
        'conflict',
        `You have rated ${ratedInQueue} of your ${rater.queue.length} clips. Rate every clip before exporting your ratings as final, or export them as not final to send what you have so far.`
      )
    const now = new Date()
    const finalizedAt = earlier?.finalizedAt ?? (args.final ? now.toISOString() : null)
    const bundle = await buildRatingsBundle({
      manifest: this.manifest,
      rater: { id: rater.id, name: rater.name },
      ratings: this.store.ratingsOf(rater.id),
      keyFrames: this.store.keyFramesOf(rater.id),
      total: rater.queue.length,
      finalizedAt,
      appVersion: this.ctx.appVersion,
      created: now
    })
    try {
      writeFileAtomic(target, bundle.bytes)
    } catch (e) {
      throw new UserError('bad_input', `Cannot write your ratings to ${target} (${(e as Error).message}); choose another folder.`)
    }
    // Locked only once the file that says so exists: a failed write leaves the ratings editable.
    if (finalizedAt !== null && !earlier) this.store.finalize(rater.id, finalizedAt, target)
    return { path: target, bytes: bundle.bytes.length, ratings: bundle.ratings.length, total: rater.queue.length, finalizedAt }
  }

  /** The verified copy of a clip in the store, for the media routes. */
  clipFile(clipNo: number): string {
    const clip = this.clip(clipNo)
    return containedPath(this.ctx.clipsDir, basename(clip.file))
  }

  private view(rater: StudyRater, rated: ReadonlySet<number>, clipNo: number | null): ReaderView {
    const final = this.store.finalization(rater.id)
    return {
      rated: rater.queue.filter((n) => rated.has(n)).length,
      total: rater.queue.length,
      finalizedAt: final?.finalizedAt ?? null,
      queue: rater.queue.map((n) => ({ clipNo: n, rated: rated.has(n) })),
      clip: clipNo === null ? null : this.clipView(rater.id, this.clip(clipNo), final === null)
    }
  }

  /** Copied field by field from the allow-list. */
  private clipView(raterId: string, clip: StudyClip, canEdit: boolean): ReaderClip {
    const mine = this.store.rating(raterId, clip.clipNo)
    return {
      clipNo: clip.clipNo,
      handle: this.handle(clip.clipNo),
      kind: clip.kind,
      fields: [...this.manifest.fields],
      myRating: mine
        ? { values: mine.values, confidence: mine.confidence, comment: mine.comment, submittedAt: mine.submittedAt, updatedAt: mine.updatedAt }
        : null,
      keyFrames: this.store.keyFrames(raterId, clip.clipNo),
      canEdit
    }
  }

  private handle(clipNo: number): string {
    return `Clip ${clipNo} of ${this.manifest.clips.length}`
  }

  private rater(raterId: string): StudyRater {
    const rater = this.raters.get(raterId)
    if (!rater) throw new UserError('not_found', 'This study is not for that rater; choose your name from the raters the study was made for.')
    return rater
  }

  private clip(clipNo: number): StudyClip {
    const clip = this.clips.get(clipNo)
    if (!clip) throw new UserError('not_found', `This study has no clip numbered ${clipNo} (it has ${this.manifest.clips.length} clips).`)
    return clip
  }

  private queuedClip(rater: StudyRater, clipNo: number): StudyClip {
    const clip = this.clip(clipNo)
    if (!rater.queue.includes(clipNo)) throw new UserError('not_found', `${this.handle(clipNo)} is not in your queue.`)
    return clip
  }

  private frameCount(clip: StudyClip): number {
    return clip.kind === 'image' ? 1 : clip.frameTimes.length
  }

  private refuseIfFinal(raterId: string): void {
    const final = this.store.finalization(raterId)
    if (final)
      throw new UserError('conflict', `You exported your ratings as final on ${final.finalizedAt.slice(0, 10)}; they can no longer be changed.`)
  }

  /**
   * A complete rating of exactly the study's fields (completeValues, as in
   * the catalog's rater mode), in the study's field order, and within the
   * answers the coordinator allowed for each field.
   */
  private studyValues(values: RatingValues, where: string): RatingValues {
    const complete = completeValues(this.manifest.fields, values, where) as Partial<Record<RatingField, RatingValue>>
    for (const field of this.manifest.fields) {
      const allowed = this.manifest.vocabularies[field]
      const value = complete[field]
      if (allowed && allowed.length > 0 && (typeof value === 'string' || value === null) && !allowed.includes(value))
        throw new UserError('bad_input', `${where}: ${JSON.stringify(value)} is not one of the answers this study allows for ${field}.`)
    }
    return complete as RatingValues
  }
}

/** Frames per second from the frame times; null when there are too few to tell. */
function framesPerSecond(frameTimes: readonly number[]): number | null {
  if (frameTimes.length < 2) return null
  const span = frameTimes[frameTimes.length - 1]! - frameTimes[0]!
  return span > 0 ? Math.round(((frameTimes.length - 1) / span) * 1000) / 1000 : null
}
