/**
 * Reads that join an entry to its media file (and its source's folder): what
 * crop settings, relinking, rating bundles, review sets and the classifier ask
 * of the catalog. Kept beside the tables so the join is written once per
 * question, not once per domain.
 */
import { columnIndex } from '../dataset/normalize'
import type { EntryRow, MediaRow } from './catalogRows'
import type { CatalogDb } from './database'
import { preparedOnce } from './preparedOnce'

/** An entry with the facts of its linked file; the media columns are null when it has none. */
export type EntryWithMedia = Pick<EntryRow, 'id' | 'filename' | 'probe' | 'cells' | 'media_status'> & {
  kind: MediaRow['kind'] | null
  width: number | null
  height: number | null
  frames: number | null
  sha256: string | null
}

/** An entry with its source's folder and where its linked file lies; the media columns are null when it has none. */
export type EntryWithMediaFile = Pick<EntryRow, 'id' | 'filename' | 'cells' | 'media_status'> & {
  root: string
  rel_path: string | null
  kind: MediaRow['kind'] | null
  frames: number | null
  fps: number | null
}

/** An entry with where its linked file lies in its source's folder; the media columns are null when it has none. */
export type EntryFileRow = Pick<EntryRow, 'id' | 'filename' | 'type' | 'probe'> & {
  rel_path: string | null
  kind: MediaRow['kind'] | null
  frames: number | null
}

/** An entry linked to a file, with its source's folder and two cells pulled out of its JSON. */
export interface LinkedClipRow {
  id: number
  source_id: number
  filename: string
  label: string
  /** The `Patient ID / Name` cell (null when the JSON has none there). */
  patient: string | null
  /** The `Source ID` cell. */
  source_ref: string | null
  media_id: number
  rel_path: string
  root: string
  kind: MediaRow['kind']
  sha256: string | null
}

// Read straight from the cells' JSON: the splitter groups clips by them; their positions are constants of the CSV layout.
const LINKED_CLIPS = `SELECT e.id, e.source_id, e.filename, e.label,
    json_extract(e.cells, '$[${columnIndex('Patient ID / Name')}]') AS patient,
    json_extract(e.cells, '$[${columnIndex('Source ID')}]') AS source_ref,
    m.id AS media_id, m.rel_path, s.root, m.kind, m.sha256
  FROM entries e JOIN media m ON m.id = e.media_id JOIN sources s ON s.id = e.source_id`

const WITH_MEDIA = `SELECT e.id, e.filename, e.probe, e.cells, e.media_status, m.kind, m.width, m.height, m.frames, m.sha256
  FROM entries e LEFT JOIN media m ON m.id = e.media_id`

export class EntryMediaQueries {
  private readonly s

  constructor(db: CatalogDb) {
    this.s = {
      withMedia: preparedOnce(() => db.prepare<[number], EntryWithMedia>(`${WITH_MEDIA} WHERE e.id = ?`)),
      withMediaByFilename: preparedOnce(() =>
        db.prepare<[string, number | null, number | null], EntryWithMedia>(
          `${WITH_MEDIA} WHERE e.filename = ? AND (? IS NULL OR e.source_id = ?) ORDER BY e.source_id, e.sort_key`
        )
      ),
      withMediaFile: preparedOnce(() =>
        db.prepare<[number], EntryWithMediaFile>(
          `SELECT e.id, e.filename, e.cells, e.media_status, s.root, m.rel_path, m.kind, m.frames, m.fps
           FROM entries e JOIN sources s ON s.id = e.source_id LEFT JOIN media m ON m.id = e.media_id WHERE e.id = ?`
        )
      ),
      sourceOf: preparedOnce(() =>
        db.prepare<[number], { sourceId: number; root: string }>(
          'SELECT e.source_id AS sourceId, s.root AS root FROM entries e JOIN sources s ON s.id = e.source_id WHERE e.id = ?'
        )
      ),
      byMediaSha256: preparedOnce(() =>
        db.prepare<[string], Pick<EntryRow, 'id' | 'filename' | 'row_no'>>(
          'SELECT e.id, e.filename, e.row_no FROM entries e JOIN media m ON m.id = e.media_id WHERE m.sha256 = ? ORDER BY e.id'
        )
      ),
      filesInOrder: preparedOnce(() =>
        db.prepare<[number | null, number | null], EntryFileRow>(
          `SELECT e.id, e.filename, e.type, e.probe, m.rel_path, m.kind, m.frames
           FROM entries e LEFT JOIN media m ON m.id = e.media_id
           WHERE ? IS NULL OR e.source_id = ? ORDER BY e.source_id, e.sort_key`
        )
      ),
      linkedClips: preparedOnce(() => db.prepare<[], LinkedClipRow>(`${LINKED_CLIPS} ORDER BY e.source_id, e.sort_key`)),
      linkedClip: preparedOnce(() => db.prepare<[number], LinkedClipRow>(`${LINKED_CLIPS} WHERE e.id = ?`))
    }
  }

  withMedia(entryId: number): EntryWithMedia | undefined {
    return this.s.withMedia().get(entryId)
  }

  /** Entries of that file name (of one source, or of all), in catalog order. */
  withMediaByFilename(filename: string, sourceId: number | null): EntryWithMedia[] {
    return this.s.withMediaByFilename().all(filename, sourceId, sourceId)
  }

  /** The entry with the absolute location of its file (its source's folder and the file's path in it). */
  withMediaFile(entryId: number): EntryWithMediaFile | undefined {
    return this.s.withMediaFile().get(entryId)
  }

  /** The entry's source and that source's folder. */
  sourceOf(entryId: number): { sourceId: number; root: string } | undefined {
    return this.s.sourceOf().get(entryId)
  }

  /** The content hash of the entry's file; null without one (or without a file). */
  mediaSha256(entryId: number): string | null {
    return this.s.withMedia().get(entryId)?.sha256 ?? null
  }

  /** Entries whose linked file has this content. */
  byMediaSha256(sha256: string): Pick<EntryRow, 'id' | 'filename' | 'row_no'>[] {
    return this.s.byMediaSha256().all(sha256)
  }

  /** Every entry (of one source, or of all) with its file's path, in catalog order. */
  filesInCatalogOrder(sourceId: number | null): EntryFileRow[] {
    return this.s.filesInOrder().all(sourceId, sourceId)
  }

  linkedClips(): LinkedClipRow[] {
    return this.s.linkedClips().all()
  }

  linkedClip(entryId: number): LinkedClipRow | undefined {
    return this.s.linkedClip().get(entryId)
  }
}
