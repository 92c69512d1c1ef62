import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrate, openCatalog, schemaVersion } from '../../../src/main/catalog/database'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/main/catalog/migrations'
import { migration001 } from '../../../src/main/catalog/migrations/001-initial-schema'
import { migration002 } from '../../../src/main/catalog/migrations/002-review-audit'
import type { Migration } from '../../../src/main/catalog/migrations/migration'
import { UserError } from '../../../src/main/errors'
import { tempDir } from '../../helpers/paths'

let dir: ReturnType<typeof tempDir>
beforeEach(() => (dir = tempDir()))
afterEach(() => dir.cleanup())

const tableNames = (db: Database.Database): string[] =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name)

describe('catalog migrations', () => {
  it('versions are consecutive from 1 and LATEST_SCHEMA_VERSION is the last', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1))
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length)
  })

  it('a new catalog is migrated to the latest version with WAL and foreign keys on', () => {
    const db = openCatalog(join(dir.path, 'c.db'))
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('001 creates sources, media and entries, with cascading deletes', () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, [migration001])
    expect(tableNames(db)).toEqual(['entries', 'media', 'sources'])
    db.prepare(
      `INSERT INTO sources (root, csv_name, csv_sha256, header_raw, record_delimiter, final_newline, bom, imported_at)
       VALUES ('/d', 'dataset_metadata.csv', 'x', 'h', char(13, 10), 0, 0, 'now')`
    ).run()
    db.prepare(
      `INSERT INTO entries (source_id, row_no, sort_key, cells, filename, label, label_raw, probe, type, license, source_ref,
        location, title, search_text, normalized, warnings, media_status, updated_at)
       VALUES (1, 1, 1, '[]', 'f', 'covid', 'COVID-19', 'convex', 'video', '', '', '', '', '', '{}', '[]', 'missing', 'now')`
    ).run()
    // STRICT tables and CHECKs refuse what the app would never write.
    expect(() =>
      db.prepare(
        `INSERT INTO entries (source_id, sort_key, cells, filename, label, label_raw, probe, type, license, source_ref,
          location, title, search_text, normalized, warnings, media_status, updated_at)
         VALUES (1, 2, 'not json', 'f', 'covid', '', '', '', '', '', '', '', '', '{}', '[]', 'missing', 'now')`
      ).run()
    ).toThrow(/CHECK/)
    expect(() => db.prepare(`UPDATE entries SET source_id = 99`).run()).toThrow(/FOREIGN KEY/)
    db.prepare('DELETE FROM sources').run()
    expect(db.prepare('SELECT count(*) AS n FROM entries').get()).toEqual({ n: 0 })
  })

  it('applies only the migrations a catalog lacks', () => {
    const file = join(dir.path, 'c.db')
    const applied: number[] = []
    const tracking = (m: Migration): Migration => ({ ...m, up: (db) => (applied.push(m.version), m.up(db)) })
    const second: Migration = { version: 2, name: 'test column', up: (db) => db.exec('ALTER TABLE sources ADD COLUMN note TEXT') }
    openCatalog(file, { migrations: [tracking(migration001)] }).close()
    const db = openCatalog(file, { migrations: [tracking(migration001), tracking(second)] })
    expect(applied).toEqual([1, 2])
    expect(schemaVersion(db)).toBe(2)
    db.close()
  })

  it('a failing migration is rolled back and the version stays', () => {
    const file = join(dir.path, 'c.db')
    openCatalog(file, { migrations: [migration001] }).close()
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (x)')
        throw new Error('boom')
      }
    }
    expect(() => openCatalog(file, { migrations: [migration001, broken] })).toThrow(/boom/)
    const db = new Database(file)
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(tableNames(db)).not.toContain('half_done')
    db.close()
  })

  it('refuses a catalog written by a newer app, leaving the file byte-identical', () => {
    const file = join(dir.path, 'c.db')
    const db = openCatalog(file)
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const before = readFileSync(file)
    expect(() => openCatalog(file)).toThrow(UserError)
    expect(() => openCatalog(file)).toThrow(/newer version of LUS Review/)
    expect(() => openCatalog(file, { readonly: true })).toThrow(/newer version/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('refuses a file that is not a SQLite database, without changing it', () => {
    const file = join(dir.path, 'notes.db')
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(200))
    const before = readFileSync(file)
    expect(() => openCatalog(file)).toThrow(/notes\.db is damaged or not an SQLite file .*nothing was changed/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('opening an up-to-date catalog twice changes nothing', () => {
    const file = join(dir.path, 'c.db')
    openCatalog(file).close()
    copyFileSync(file, join(dir.path, 'copy.db'))
    const db = openCatalog(file)
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
    db.close()
  })
})

describe('migration 002 (review audit trail)', () => {
  it('upgrades a version-1 catalog with data, keeping every row', () => {
    const file = join(dir.path, 'v1.db')
    const v1 = openCatalog(file, { migrations: [migration001] })
    v1.prepare(
      `INSERT INTO sources (root, csv_name, csv_sha256, header_raw, record_delimiter, final_newline, bom, imported_at)
       VALUES ('/d', 'dataset_metadata.csv', 'x', 'h', char(10), 1, 0, 'now')`
    ).run()
    v1.prepare(
      `INSERT INTO media (source_id, rel_path, stem, kind, size_bytes, mtime_ms) VALUES (1, 'pocus_videos/convex/a.mp4', 'a', 'video', 10, 1)`
    ).run()
    v1.close()
    const db = openCatalog(file, { migrations: [migration001, migration002] })
    expect(schemaVersion(db)).toBe(2)
    expect(tableNames(db)).toEqual(['actions', 'changes', 'entries', 'key_frames', 'media', 'settings', 'sources'])
    expect(db.prepare('SELECT rel_path, sha256 FROM media').all()).toEqual([{ rel_path: 'pocus_videos/convex/a.mp4', sha256: null }])
    expect(() => db.prepare("INSERT INTO actions (kind, state, user, at) VALUES ('rename', 'done', 'u', 'now')").run()).toThrow(/CHECK/)
    db.close()
  })
})

describe('read-only opening', () => {
  it('refuses an older catalog instead of failing later, and leaves it unchanged', () => {
    const file = join(dir.path, 'old.db')
    openCatalog(file, { migrations: [migration001] }).close()
    const before = readFileSync(file)
    expect(() => openCatalog(file, { readonly: true })).toThrow(/older format \(schema 1; this version uses \d+\); the file was not changed\. Open it in LUS Review/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })
})
