/**
 * Per-entry crop/trim/mask settings (table media_edits). Settings are
 * checked against the linked media's size and frame count when they are
 * set; entries whose media is missing (web videos not downloaded yet) keep
 * unchecked settings, checked again when the media are rendered.
 */
import type { MediaEditsInfo } from '../../shared/submissionContract'
import type { CatalogDb } from '../catalog/database'
import { EntryMediaQueries, type EntryWithMedia } from '../catalog/entryMediaQueries'
import { columnIndex } from '../dataset/normalize'
import { UserError } from '../errors'
import { changesMade, validateEdits, type MediaEdits, type MediaGeometry } from './mediaEdits'
import { requireSubmissionSchema } from './schema'

interface EditsRow {
  crop_top: number | null
  crop_left: number | null
  crop_size: number | null
  trim_start: number | null
  trim_end: number | null
  masks: string
  origin: string
  source_key: string | null
  baked_sha256: string | null
}

export interface StoredEdits extends MediaEdits {
  origin: string | null
  sourceKey: string | null
  bakedSha256: string | null
}

/** The entry and the facts of its linked file (catalog/entryMediaQueries.ts). */
type EntryMediaRow = EntryWithMedia

export type EditsOrigin = 'crop.json' | 'butterfly' | 'user'

export class EditsStore {
  private readonly s

  constructor(private readonly db: CatalogDb) {
    requireSubmissionSchema(db)
    this.s = {
      get: db.prepare<[number], EditsRow>('SELECT crop_top, crop_left, crop_size, trim_start, trim_end, masks, origin, source_key, baked_sha256 FROM media_edits WHERE entry_id = ?'),
      entry: new EntryMediaQueries(db),
      upsert: db.prepare(
        `INSERT INTO media_edits (entry_id, crop_top, crop_left, crop_size, trim_start, trim_end, masks, origin, source_key, baked_sha256, updated_at)
         VALUES (@entry_id, @crop_top, @crop_left, @crop_size, @trim_start, @trim_end, @masks, @origin, @source_key, @baked_sha256, @updated_at)
         ON CONFLICT (entry_id) DO UPDATE SET crop_top = excluded.crop_top, crop_left = excluded.crop_left,
           crop_size = excluded.crop_size, trim_start = excluded.trim_start, trim_end = excluded.trim_end,
           masks = excluded.masks, origin = excluded.origin, source_key = excluded.source_key,
           baked_sha256 = excluded.baked_sha256, updated_at = excluded.updated_at`
      ),
      remove: db.prepare<[number]>('DELETE FROM media_edits WHERE entry_id = ?'),
      editedIds: db.prepare<[], { entry_id: number }>('SELECT entry_id FROM media_edits')
    }
  }

  /** The entries that have edits of any kind stored. */
  editedEntryIds(): number[] {
    return this.s.editedIds.all().map((r) => r.entry_id)
  }

  edits(entryId: number): StoredEdits {
    const r = this.s.get.get(entryId)
    if (!r) return { crop: null, trim: null, masks: [], origin: null, sourceKey: null, bakedSha256: null }
    return {
      crop: r.crop_top === null ? null : { top: r.crop_top, left: r.crop_left!, size: r.crop_size! },
      trim: r.trim_start === null ? null : { start: r.trim_start, end: r.trim_end! },
      masks: JSON.parse(r.masks) as MediaEdits['masks'],
      origin: r.origin,
      sourceKey: r.source_key,
      bakedSha256: r.baked_sha256
    }
  }

  /**
   * What still has to be applied to the linked file: nothing when the
   * settings are already baked into it (a clip rebuilt from its raw download).
   */
  pending(entryId: number): MediaEdits {
    const e = this.edits(entryId)
    const sha = this.entry(entryId).sha256
    if (e.bakedSha256 !== null && e.bakedSha256 === sha) return { crop: null, trim: null, masks: [] }
    return { crop: e.crop, trim: e.trim, masks: e.masks }
  }

  /** The linked media's geometry, or null when the entry has no readable media. */
  geometry(entryId: number): MediaGeometry | null {
    const e = this.entry(entryId)
    if (e.media_status !== 'linked' || e.kind === null || e.width === null || e.height === null) return null
    return { kind: e.kind, width: e.width, height: e.height, frames: e.kind === 'image' ? 1 : e.frames }
  }

  info(entryId: number): MediaEditsInfo {
    const e = this.entry(entryId)
    const edits = this.edits(entryId)
    const g = this.geometry(entryId)
    const cells = JSON.parse(e.cells) as string[]
    return {
      entryId,
      crop: edits.crop,
      trim: edits.trim,
      masks: edits.masks,
      origin: edits.origin,
      bakedIn: edits.bakedSha256 !== null && edits.bakedSha256 === e.sha256,
      media: g ? { kind: g.kind, width: g.width, height: g.height, frames: g.frames } : null,
      changesMade: changesMade(cells[columnIndex('ChangesMade')] ?? '', edits)
    }
  }

  /**
   * Sets (or, with no crop, trim or masks, clears) an entry's settings from
   * the editor: relative to the linked file as it is, checked against it.
   */
  set(entryId: number, edits: MediaEdits): { checked: boolean } {
    const e = this.entry(entryId)
    const g = this.geometry(entryId)
    if (g) validateEdits(edits, g, `"${e.filename}"`)
    this.write(entryId, edits, { origin: 'user' })
    return { checked: g !== null }
  }

  /** The write alone, for callers that check and hold a transaction over several entries. */
  write(entryId: number, edits: MediaEdits, how: { origin: EditsOrigin; sourceKey?: string | null; bakedSha256?: string | null }): void {
    if (!edits.crop && !edits.trim && edits.masks.length === 0) {
      this.s.remove.run(entryId)
      return
    }
    this.s.upsert.run({
      entry_id: entryId,
      crop_top: edits.crop?.top ?? null,
      crop_left: edits.crop?.left ?? null,
      crop_size: edits.crop?.size ?? null,
      trim_start: edits.trim?.start ?? null,
      trim_end: edits.trim?.end ?? null,
      masks: JSON.stringify(edits.masks),
      origin: how.origin,
      source_key: how.sourceKey ?? null,
      baked_sha256: how.bakedSha256 ?? null,
      updated_at: new Date().toISOString()
    })
  }

  mediaSha(entryId: number): string | null {
    return this.entry(entryId).sha256
  }

  private entry(entryId: number): EntryMediaRow {
    const e = this.s.entry.withMedia(entryId)
    if (!e) throw new UserError('not_found', `No catalog entry with id ${entryId}.`)
    return e
  }
}
