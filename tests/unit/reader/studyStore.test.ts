/** The study store's SQLite settings and its own numbered migrations. */
import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UserError } from '../../../src/main/errors'
import { STUDY_STORE_MIGRATIONS } from '../../../src/main/reader/migrations'
import { StudyStore, openStudyDb } from '../../../src/main/reader/studyStore'
import { tempDir } from '../../helpers/paths'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir('lus-study-store-')
})
afterEach(() => tmp.cleanup())

describe('openStudyDb', () => {
  it('opens with WAL, foreign keys and synchronous=FULL, at the latest store version', () => {
    const db = openStudyDb(join(tmp.path, 'study.db'))
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
      expect(db.pragma('synchronous', { simple: true })).toBe(2)
      expect(db.pragma('user_version', { simple: true })).toBe(STUDY_STORE_MIGRATIONS.length)
      const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((t) => t.name)
      expect(tables).toEqual(['clips', 'finalizations', 'key_frames', 'queue_items', 'raters', 'ratings', 'study'])
      // Nothing of a catalog lives here.
      expect(tables).not.toContain('entries')
    } finally {
      db.close()
    }
  })

  it('runs only the migrations a store has not had, each with its version', () => {
    const file = join(tmp.path, 'study.db')
    const applied: number[] = []
    const migrations = [
      { version: 1, name: 'one', up: (db: Database.Database) => void (applied.push(1), db.exec('CREATE TABLE a (x INTEGER) STRICT')) },
      { version: 2, name: 'two', up: (db: Database.Database) => void (applied.push(2), db.exec('CREATE TABLE b (x INTEGER) STRICT')) }
    ]
    openStudyDb(file, { migrations: migrations.slice(0, 1) }).close()
    const db = openStudyDb(file, { migrations })
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    db.close()
    expect(applied).toEqual([1, 2])
  })

  it('leaves a store at its version when a migration fails', () => {
    const file = join(tmp.path, 'study.db')
    openStudyDb(file).close()
    const failing = [...STUDY_STORE_MIGRATIONS, { version: 2, name: 'bad', up: (db: Database.Database) => db.exec('CREATE TABLE half (x); SELECT nonsense FROM nowhere') }]
    expect(() => openStudyDb(file, { migrations: failing })).toThrow(UserError)
    const db = new Database(file, { readonly: true })
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 })
    db.close()
  })

  it('refuses a newer store before writing anything, and a file that is not SQLite', () => {
    const file = join(tmp.path, 'newer.db')
    const raw = new Database(file)
    raw.pragma('user_version = 7')
    raw.close()
    const bytes = readFileSync(file)
    expect(() => openStudyDb(file)).toThrow(/newer version of LUS Review \(store version 7; this version knows up to 1\)/)
    // Not even switched to WAL.
    expect(readFileSync(file).equals(bytes)).toBe(true)

    const junk = join(tmp.path, 'junk.db')
    writeFileSync(junk, 'this is not a database, just some text that is long enough'.repeat(20))
    expect(() => openStudyDb(junk)).toThrow(/Cannot open the reader study store/)
  })
})

describe('StudyStore', () => {
  it('refuses, by foreign key, a rating of a clip outside the rater’s queue', () => {
    const store = new StudyStore(openStudyDb(join(tmp.path, 'study.db')))
    try {
      store.db.exec(`
        INSERT INTO raters (id, name, position) VALUES ('r', 'R', 1);
        INSERT INTO clips (clip_no, kind, file, sha256, bytes) VALUES (1, 'video', 'clip-001.mp4', 'x', 1), (2, 'video', 'clip-002.mp4', 'y', 1);
        INSERT INTO queue_items (rater_id, position, clip_no) VALUES ('r', 1, 1);
      `)
      store.putRating('r', 1, { values: { label: 'covid' }, confidence: 3, comment: '' }, 'now')
      expect(() => store.putRating('r', 2, { values: { label: 'covid' }, confidence: 3, comment: '' }, 'now')).toThrow(/FOREIGN KEY/)
      expect(() => store.putKeyFrame('someone', 1, 0, '', 'now')).toThrow(/FOREIGN KEY/)
      expect(store.ratingsOf('r').map((r) => r.clipNo)).toEqual([1])
    } finally {
      store.close()
    }
  })

  it('keeps the first submission time and the first finalization', () => {
    const store = new StudyStore(openStudyDb(join(tmp.path, 'study.db')))
    try {
      store.db.exec(`
        INSERT INTO raters (id, name, position) VALUES ('r', 'R', 1);
        INSERT INTO clips (clip_no, kind, file, sha256, bytes) VALUES (1, 'video', 'clip-001.mp4', 'x', 1);
        INSERT INTO queue_items (rater_id, position, clip_no) VALUES ('r', 1, 1);
      `)
      store.putRating('r', 1, { values: { label: 'covid' }, confidence: 3, comment: 'a' }, 't1')
      store.putRating('r', 1, { values: { label: 'healthy' }, confidence: 5, comment: 'b' }, 't2')
      expect(store.rating('r', 1)).toEqual({ clipNo: 1, values: { label: 'healthy' }, confidence: 5, comment: 'b', submittedAt: 't1', updatedAt: 't2' })
      store.finalize('r', 'f1', '/a.zip')
      store.finalize('r', 'f2', '/b.zip')
      expect(store.finalization('r')).toEqual({ finalizedAt: 'f1', exportedTo: '/a.zip' })
    } finally {
      store.close()
    }
  })
})
