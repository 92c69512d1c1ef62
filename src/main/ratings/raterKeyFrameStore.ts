/**
 * Key frames a rater marked on a clip of a review set, kept beside the
 * rating (migration 006), never in the catalog's own key frames: they are
 * one rater's, blinded like the ratings, and some arrive in a reader's
 * ratings bundle.
 */
import type { RaterKeyFrame } from '../../shared/readerContract'
import type { CatalogDb } from '../catalog/database'

export class RaterKeyFrameStore {
  private readonly s

  constructor(db: CatalogDb) {
    this.s = {
      list: db.prepare<[string, string, number], RaterKeyFrame>(
        'SELECT frame, note FROM rater_key_frames WHERE set_id = ? AND rater_id = ? AND entry_id = ? ORDER BY frame'
      ),
      // created_at is kept when a note is rewritten; updated_at only moves when the note actually changes.
      upsert: db.prepare<[string, string, number, number, string, string, string]>(
        `INSERT INTO rater_key_frames (set_id, rater_id, entry_id, frame, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (set_id, rater_id, entry_id, frame) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at
         WHERE note IS NOT excluded.note`
      ),
      remove: db.prepare<[string, string, number, number]>(
        'DELETE FROM rater_key_frames WHERE set_id = ? AND rater_id = ? AND entry_id = ? AND frame = ?'
      )
    }
  }

  /** Sorted by frame. */
  list(setId: string, raterId: string, entryId: number): RaterKeyFrame[] {
    return this.s.list.all(setId, raterId, entryId)
  }

  put(setId: string, raterId: string, entryId: number, frame: RaterKeyFrame, now = new Date().toISOString()): void {
    this.s.upsert.run(setId, raterId, entryId, frame.frame, frame.note, now, now)
  }

  /** Removing a frame that is not marked is not an error: the result is the same. */
  remove(setId: string, raterId: string, entryId: number, frame: number): void {
    this.s.remove.run(setId, raterId, entryId, frame)
  }

  /**
   * Makes the clip's key frames exactly `frames` (a ratings bundle's), touching
   * only the rows that differ, so importing the same bundle twice changes
   * nothing. Callers hold the transaction.
   */
  replace(setId: string, raterId: string, entryId: number, frames: readonly RaterKeyFrame[], now = new Date().toISOString()): void {
    const wanted = new Set(frames.map((f) => f.frame))
    for (const old of this.list(setId, raterId, entryId)) if (!wanted.has(old.frame)) this.remove(setId, raterId, entryId, old.frame)
    for (const f of frames) this.put(setId, raterId, entryId, f, now)
  }
}
