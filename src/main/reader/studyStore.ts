/**
 * The SQLite store of one reader study on a rater's machine (`study.db`):
 * opened like the catalog (one writing connection, WAL, foreign keys,
 * synchronous=FULL, numbered migrations in user_version) but with its own
 * migrations, and nothing of the catalog in it. Every statement is prepared
 * once; every write runs in a transaction.
 */
import Database from 'better-sqlite3'
import { basename } from 'node:path'
import { useImmediateTransactions } from '../catalog/immediateTransactions'
import type { Migration } from '../catalog/migrations/migration'
import type { RatingValues } from '../../shared/ratingsContract'
import type { RaterKeyFrame } from '../../shared/readerContract'
import type { StudyManifest } from '../ratings/readerBundle/readerFormats'
import { UserError } from '../errors'
import { STUDY_STORE_MIGRATIONS } from './migrations'

export type StudyDb = Database.Database

export interface StudyStoreOptions {
  /** Where better-sqlite3's native module lives when it is built for Electron. */
  nativeBinding?: string
  /** For tests of the migrations. */
  migrations?: readonly Migration[]
}

export interface StudyRow {
  studyId: string
  manifestJson: string
  manifestSha256: string
  bundlePath: string
  createdAt: string
  openedAt: string
}

export interface StoredReaderRating {
  clipNo: number
  values: RatingValues
  confidence: number
  comment: string
  submittedAt: string
  updatedAt: string
}

export interface StoredKeyFrame extends RaterKeyFrame {
  clipNo: number
}

export interface Finalization {
  finalizedAt: string
  exportedTo: string
}

function userVersion(db: StudyDb): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Opens (or creates) a study store. A store written by a newer app is
 * refused before anything is written to it, WAL switch included.
 */
export function openStudyDb(path: string, options: StudyStoreOptions = {}): StudyDb {
  let db: StudyDb
  try {
    db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  } catch (e) {
    throw new UserError('bad_input', `Cannot open the reader study store ${path}: ${(e as Error).message}`)
  }
  const migrations = options.migrations ?? STUDY_STORE_MIGRATIONS
  try {
    // Reads the header first, so a file that is not SQLite is refused untouched.
    db.pragma('schema_version')
    const current = userVersion(db)
    if (current > migrations.length)
      throw new UserError(
        'unsupported',
        `The reader study store ${path} was written by a newer version of LUS Review (store version ${current}; this version knows up to ${migrations.length}). Update the app to open it; the store was not changed.`
      )
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    // Writes wait for the busy timeout instead of failing (see immediateTransactions.ts).
    useImmediateTransactions(db)
    db.pragma('journal_mode = WAL')
    // Ratings are a physician's hours of work: pay for an fsync per commit.
    db.pragma('synchronous = FULL')
    for (const m of migrations) {
      if (m.version <= current) continue
      db.transaction(() => {
        m.up(db)
        // PRAGMA takes no bound parameters; the version is an integer from our own code.
        db.pragma(`user_version = ${m.version}`)
      })()
    }
  } catch (e) {
    db.close()
    if (e instanceof UserError) throw e
    throw new UserError('bad_input', `Cannot open the reader study store ${path}: ${(e as Error).message}`)
  }
  return db
}

interface RatingRow {
  clip_no: number
  values_json: string
  confidence: number
  comment: string
  submitted_at: string
  updated_at: string
}

const toRating = (r: RatingRow): StoredReaderRating => ({
  clipNo: r.clip_no,
  values: JSON.parse(r.values_json) as RatingValues,
  confidence: r.confidence,
  comment: r.comment,
  submittedAt: r.submitted_at,
  updatedAt: r.updated_at
})

/** The statements of the study store, prepared once. */
export class StudyStore {
  private readonly s

  constructor(readonly db: StudyDb) {
    this.s = {
      study: db.prepare<[], { study_id: string; manifest: string; manifest_sha256: string; bundle_path: string; created_at: string; opened_at: string }>(
        'SELECT study_id, manifest, manifest_sha256, bundle_path, created_at, opened_at FROM study WHERE id = 1'
      ),
      insertStudy: db.prepare<[string, string, string, string, string, string]>(
        'INSERT INTO study (id, study_id, manifest, manifest_sha256, bundle_path, created_at, opened_at) VALUES (1, ?, ?, ?, ?, ?, ?)'
      ),
      touchStudy: db.prepare<[string, string]>('UPDATE study SET bundle_path = ?, opened_at = ? WHERE id = 1'),
      insertRater: db.prepare<[string, string, number]>('INSERT INTO raters (id, name, position) VALUES (?, ?, ?)'),
      insertClip: db.prepare<[number, string, string, string, number]>(
        'INSERT INTO clips (clip_no, kind, file, sha256, bytes) VALUES (?, ?, ?, ?, ?)'
      ),
      insertQueueItem: db.prepare<[string, number, number]>('INSERT INTO queue_items (rater_id, position, clip_no) VALUES (?, ?, ?)'),
      rating: db.prepare<[string, number], RatingRow>(
        'SELECT clip_no, values_json, confidence, comment, submitted_at, updated_at FROM ratings WHERE rater_id = ? AND clip_no = ?'
      ),
      ratingsOf: db.prepare<[string], RatingRow>(
        'SELECT clip_no, values_json, confidence, comment, submitted_at, updated_at FROM ratings WHERE rater_id = ? ORDER BY clip_no'
      ),
      ratedClips: db.prepare<[string], { clip_no: number }>('SELECT clip_no FROM ratings WHERE rater_id = ?'),
      upsertRating: db.prepare<[string, number, string, number, string, string, string]>(
        `INSERT INTO ratings (rater_id, clip_no, values_json, confidence, comment, submitted_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (rater_id, clip_no) DO UPDATE SET
           values_json = excluded.values_json, confidence = excluded.confidence,
           comment = excluded.comment, updated_at = excluded.updated_at`
      ),
      keyFrames: db.prepare<[string, number], RaterKeyFrame>(
        'SELECT frame, note FROM key_frames WHERE rater_id = ? AND clip_no = ? ORDER BY frame'
      ),
      keyFramesOf: db.prepare<[string], { clip_no: number; frame: number; note: string }>(
        'SELECT clip_no, frame, note FROM key_frames WHERE rater_id = ? ORDER BY clip_no, frame'
      ),
      upsertKeyFrame: db.prepare<[string, number, number, string, string]>(
        `INSERT INTO key_frames (rater_id, clip_no, frame, note, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (rater_id, clip_no, frame) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at`
      ),
      deleteKeyFrame: db.prepare<[string, number, number]>('DELETE FROM key_frames WHERE rater_id = ? AND clip_no = ? AND frame = ?'),
      finalization: db.prepare<[string], { finalized_at: string; exported_to: string }>(
        'SELECT finalized_at, exported_to FROM finalizations WHERE rater_id = ?'
      ),
      insertFinalization: db.prepare<[string, string, string]>(
        'INSERT INTO finalizations (rater_id, finalized_at, exported_to) VALUES (?, ?, ?) ON CONFLICT (rater_id) DO NOTHING'
      )
    }
  }

  study(): StudyRow | null {
    const r = this.s.study.get()
    if (!r) return null
    return {
      studyId: r.study_id,
      manifestJson: r.manifest,
      manifestSha256: r.manifest_sha256,
      bundlePath: r.bundle_path,
      createdAt: r.created_at,
      openedAt: r.opened_at
    }
  }

  /** Records a study the first time its bundle is opened: the manifest and its raters, clips and queues. */
  createStudy(manifest: StudyManifest, manifestJson: string, manifestSha256: string, bundlePath: string): void {
    const now = new Date().toISOString()
    this.db.transaction(() => {
      this.s.insertStudy.run(manifest.studyId, manifestJson, manifestSha256, bundlePath, now, now)
      manifest.raters.forEach((r, i) => this.s.insertRater.run(r.id, r.name, i + 1))
      for (const c of manifest.clips) this.s.insertClip.run(c.clipNo, c.kind, basename(c.file), c.sha256, c.bytes)
      for (const r of manifest.raters) r.queue.forEach((clipNo, i) => this.s.insertQueueItem.run(r.id, i + 1, clipNo))
    })()
  }

  /** A reopened bundle: remember where it is now (for the default export location). */
  touchStudy(bundlePath: string): void {
    this.db.transaction(() => {
      this.s.touchStudy.run(bundlePath, new Date().toISOString())
    })()
  }

  rating(raterId: string, clipNo: number): StoredReaderRating | null {
    const r = this.s.rating.get(raterId, clipNo)
    return r ? toRating(r) : null
  }

  /** This rater's ratings, by clip number. */
  ratingsOf(raterId: string): StoredReaderRating[] {
    return this.s.ratingsOf.all(raterId).map(toRating)
  }

  ratedClips(raterId: string): Set<number> {
    return new Set(this.s.ratedClips.all(raterId).map((r) => r.clip_no))
  }

  /** Keeps the first submission time; callers hold the transaction that checked the rater may still edit. */
  putRating(raterId: string, clipNo: number, r: { values: RatingValues; confidence: number; comment: string }, now: string): void {
    this.s.upsertRating.run(raterId, clipNo, JSON.stringify(r.values), r.confidence, r.comment, now, now)
  }

  keyFrames(raterId: string, clipNo: number): RaterKeyFrame[] {
    return this.s.keyFrames.all(raterId, clipNo)
  }

  keyFramesOf(raterId: string): StoredKeyFrame[] {
    return this.s.keyFramesOf.all(raterId).map((k) => ({ clipNo: k.clip_no, frame: k.frame, note: k.note }))
  }

  putKeyFrame(raterId: string, clipNo: number, frame: number, note: string, now: string): void {
    this.s.upsertKeyFrame.run(raterId, clipNo, frame, note, now)
  }

  /** Whether there was such a key frame to remove. */
  deleteKeyFrame(raterId: string, clipNo: number, frame: number): boolean {
    return this.s.deleteKeyFrame.run(raterId, clipNo, frame).changes > 0
  }

  finalization(raterId: string): Finalization | null {
    const r = this.s.finalization.get(raterId)
    return r ? { finalizedAt: r.finalized_at, exportedTo: r.exported_to } : null
  }

  /** The first finalization stands: exporting final again keeps its time. */
  finalize(raterId: string, finalizedAt: string, exportedTo: string): void {
    this.db.transaction(() => {
      this.s.insertFinalization.run(raterId, finalizedAt, exportedTo)
    })()
  }

  /** A transaction over several of the calls above. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
