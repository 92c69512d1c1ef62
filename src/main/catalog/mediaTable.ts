/**
 * The `media` table: every file found under a source's folder, with what
 * ffprobe found and its content hash. Only this class writes it; the import,
 * a relink, a DICOM contribution and playback's hash check call it.
 */
import type { MediaRow, MediaWrite } from './catalogRows'
import type { CatalogDb } from './database'
import { preparedOnce } from './preparedOnce'

/** A media row with its source's folder: enough to find the file on disk. */
export type MediaWithRoot = MediaRow & { root: string }

const MEDIA_VALUES = `(source_id, rel_path, stem, kind, size_bytes, mtime_ms, frames, fps, width, height, duration_s, codec, error, sha256)
  VALUES (@source_id, @rel_path, @stem, @kind, @size_bytes, @mtime_ms, @frames, @fps, @width, @height, @duration_s, @codec, @error, @sha256)`

export class MediaTable {
  private readonly getStmt
  private readonly withRootStmt
  private readonly ofSourceStmt
  private readonly insertStmt
  private readonly upsertStmt
  private readonly deleteStmt
  private readonly fillSha256Stmt

  constructor(db: CatalogDb) {
    this.getStmt = preparedOnce(() => db.prepare<[number], MediaRow>('SELECT * FROM media WHERE id = ?'))
    this.withRootStmt = preparedOnce(() =>
      db.prepare<[number], MediaWithRoot>('SELECT m.*, s.root FROM media m JOIN sources s ON s.id = m.source_id WHERE m.id = ?')
    )
    this.ofSourceStmt = preparedOnce(() => db.prepare<[number], MediaRow>('SELECT * FROM media WHERE source_id = ?'))
    this.insertStmt = preparedOnce(() => db.prepare<[MediaWrite]>(`INSERT INTO media ${MEDIA_VALUES}`))
    this.upsertStmt = preparedOnce(() =>
      db.prepare<[MediaWrite], { id: number }>(
        `INSERT INTO media ${MEDIA_VALUES}
         ON CONFLICT (source_id, rel_path) DO UPDATE SET stem = excluded.stem, kind = excluded.kind,
           size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, frames = excluded.frames, fps = excluded.fps,
           width = excluded.width, height = excluded.height, duration_s = excluded.duration_s, codec = excluded.codec,
           error = excluded.error, sha256 = excluded.sha256
         RETURNING id`
      )
    )
    this.deleteStmt = preparedOnce(() => db.prepare<[number, string]>('DELETE FROM media WHERE source_id = ? AND rel_path = ?'))
    // Only while the row still describes the file that was hashed.
    this.fillSha256Stmt = preparedOnce(() =>
      db.prepare<[string, number, number, number]>(
        'UPDATE media SET sha256 = ? WHERE id = ? AND sha256 IS NULL AND size_bytes = ? AND mtime_ms = ?'
      )
    )
  }

  get(id: number): MediaRow | undefined {
    return this.getStmt().get(id)
  }

  withRoot(id: number): MediaWithRoot | undefined {
    return this.withRootStmt().get(id)
  }

  ofSource(sourceId: number): MediaRow[] {
    return this.ofSourceStmt().all(sourceId)
  }

  /** A file new to the source; a second row for the same path is refused by the table. Returns its id. */
  insert(m: MediaWrite): number {
    return Number(this.insertStmt().run(m).lastInsertRowid)
  }

  /** Adds the file, or replaces what the row says about it. Returns its id. */
  upsert(m: MediaWrite): number {
    return this.upsertStmt().get(m)!.id
  }

  remove(sourceId: number, relPath: string): void {
    this.deleteStmt().run(sourceId, relPath)
  }

  /** Records a hash computed later, unless the row changed (size, mtime) or already has one. */
  fillSha256(id: number, sha256: string, sizeBytes: number, mtimeMs: number): void {
    this.fillSha256Stmt().run(sha256, id, sizeBytes, mtimeMs)
  }
}
