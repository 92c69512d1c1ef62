import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { backupDir, backupNow, backupOnline, listBackups, restoreBackup, type RestoreOptions } from '../../../src/main/catalog/backup'
import { acquireCatalogLock } from '../../../src/main/catalog/catalogLock'
import { openCatalog, schemaVersion } from '../../../src/main/catalog/database'
import { LATEST_SCHEMA_VERSION } from '../../../src/main/catalog/migrations'
import { migration001 } from '../../../src/main/catalog/migrations/001-initial-schema'
import { UserError } from '../../../src/main/errors'
import { tempDir } from '../../helpers/paths'

let dir: ReturnType<typeof tempDir>
let catalog: string
beforeEach(() => {
  dir = tempDir()
  catalog = join(dir.path, 'catalog.db')
})
afterEach(() => dir.cleanup())

const sourceRoots = (file: string): string[] => {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare<[], { root: string }>('SELECT root FROM sources ORDER BY id').all().map((r) => r.root)
  } finally {
    db.close()
  }
}

const addSource = (db: Database.Database, root: string): void => {
  db.prepare(
    `INSERT INTO sources (root, csv_name, csv_sha256, header_raw, record_delimiter, final_newline, bom, imported_at)
     VALUES (?, 'dataset_metadata.csv', 'x', 'h', char(10), 1, 0, 'now')`
  ).run(root)
}

describe('catalog backups', () => {
  it('copies the open catalog, including changes not yet checkpointed', async () => {
    const db = openCatalog(catalog)
    addSource(db, '/a')
    const b1 = backupNow(db, catalog, 'manual')
    addSource(db, '/b')
    const b2 = await backupOnline(db, catalog)
    db.close()
    expect(sourceRoots(b1.file)).toEqual(['/a'])
    expect(sourceRoots(b2.file)).toEqual(['/a', '/b'])
    expect(listBackups(catalog).map((b) => b.reason)).toEqual(['scheduled', 'manual'])
  })

  it('keeps only the newest N of each reason, so scheduled backups never push out a safety copy', async () => {
    const db = openCatalog(catalog)
    const safety = backupNow(db, catalog, 'before-restore', Number.MAX_SAFE_INTEGER)
    const manual = backupNow(db, catalog, 'manual', 3)
    const scheduled: string[] = []
    for (let i = 0; i < 5; i++) scheduled.push((await backupOnline(db, catalog, 'scheduled', 3)).file)
    db.close()
    expect(listBackups(catalog).map((b) => b.file)).toEqual([...scheduled.slice(2).reverse(), manual.file, safety.file])
  })

  it('backs up a catalog before migrating it, holding the old version and data', () => {
    const v1 = openCatalog(catalog, { migrations: [migration001] })
    addSource(v1, '/old')
    v1.close()
    expect(listBackups(catalog)).toEqual([])
    openCatalog(catalog).close()
    const [backup] = listBackups(catalog)
    expect(backup!.reason).toBe('before-migration-from-v1')
    const b = new Database(backup!.file, { readonly: true })
    expect(b.pragma('user_version', { simple: true })).toBe(1)
    b.close()
    expect(sourceRoots(backup!.file)).toEqual(['/old'])
  })

  it('gives up an online backup that makes no progress (the catalog stays locked), with a message and no partial file', async () => {
    const db = openCatalog(catalog)
    addSource(db, '/a')
    db.close()
    // Another connection keeps the catalog exclusively (as when its -shm cannot be used): every backup step finds it busy.
    const holder = new Database(catalog)
    holder.pragma('locking_mode = EXCLUSIVE')
    holder.exec('BEGIN EXCLUSIVE')
    const reader = new Database(catalog, { timeout: 0 })
    try {
      await expect(backupOnline(reader, catalog, 'manual', 10, { stallMs: 300 })).rejects.toThrow(
        /No backup was made: the catalog .* could not be read for 0 s .*The catalog was not changed/
      )
      // Before: better-sqlite3 took the empty first step for a finished backup, and the rename of a file never written failed.
    } finally {
      holder.exec('COMMIT')
      holder.close()
      reader.close()
    }
    expect(readdirSync(backupDir(catalog))).toEqual([])
  }, 10_000)

  it('stops a backup whose steps stay busy forever (better-sqlite3 retries them at full speed) and removes its partial file', async () => {
    const db = openCatalog(catalog)
    let steps = 0
    // The page loop of better-sqlite3, as it runs when every step answers SQLITE_BUSY after the first.
    const spinning = {
      backup: async (file: string, o: { progress: (p: { totalPages: number; remainingPages: number }) => number }) => {
        writeFileSync(file, 'first pages')
        for (;;) {
          steps++
          o.progress({ totalPages: 50, remainingPages: 40 })
          await new Promise((r) => setImmediate(r))
        }
      }
    } as unknown as Database.Database
    try {
      await expect(backupOnline(spinning, catalog, 'manual', 10, { stallMs: 200 })).rejects.toThrow(/No backup was made/)
    } finally {
      db.close()
    }
    expect(steps).toBeGreaterThan(1)
    expect(readdirSync(backupDir(catalog))).toEqual([])
  }, 10_000)

  it('does not back up a brand-new catalog', () => {
    openCatalog(catalog).close()
    expect(listBackups(catalog)).toEqual([])
  })
})

/** A restore as its callers do it: under the catalog's lock. */
function restoreLocked(file: string, backupFile: string, options: RestoreOptions = {}): { safetyCopy: string | null } {
  const lock = acquireCatalogLock(file)
  try {
    return restoreBackup(file, backupFile, options)
  } finally {
    lock.release()
  }
}

describe('restore from backup', () => {
  it('is refused unless this process holds the catalog lock (a restore under another writer loses its edits)', () => {
    const db = openCatalog(catalog)
    const backup = backupNow(db, catalog, 'manual')
    db.close()
    expect(() => restoreBackup(catalog, backup.file)).toThrow(/does not hold the lock/)
  })

  it('leaves the catalog as it was and no partial file when the disk fills while copying the backup in', () => {
    const db = openCatalog(catalog)
    addSource(db, '/good')
    const backup = backupNow(db, catalog, 'manual')
    addSource(db, '/current')
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const before = readFileSync(catalog)
    const full = (_from: string, to: string): void => {
      writeFileSync(to, 'half a file')
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    }
    let error: unknown
    try {
      restoreLocked(catalog, backup.file, { copyFile: full })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(/The backup was not restored: the disk is full\. The catalog .*catalog\.db was not changed\. Free some space/)
    expect(readFileSync(catalog).equals(before)).toBe(true)
    expect(readdirSync(dir.path).filter((f) => f.endsWith('.restoring'))).toEqual([])
    expect(sourceRoots(catalog)).toEqual(['/good', '/current'])
  })

  it('replaces the catalog and keeps a safety copy of what it replaced', () => {
    const db = openCatalog(catalog)
    addSource(db, '/good')
    const backup = backupNow(db, catalog, 'manual')
    addSource(db, '/later-mistake')
    db.close()
    const { safetyCopy } = restoreLocked(catalog, backup.file)
    expect(sourceRoots(catalog)).toEqual(['/good'])
    expect(sourceRoots(safetyCopy!)).toEqual(['/good', '/later-mistake'])
    const reopened = openCatalog(catalog)
    expect(schemaVersion(reopened)).toBe(LATEST_SCHEMA_VERSION)
    reopened.close()
  })

  const refused = (makeBad: (file: string) => void, message: RegExp): void => {
    const db = openCatalog(catalog)
    addSource(db, '/keep')
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const before = readFileSync(catalog)
    const bad = join(dir.path, 'bad.db')
    makeBad(bad)
    let error: unknown
    try {
      restoreLocked(catalog, bad)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(message)
    expect(readFileSync(catalog).equals(before)).toBe(true)
  }

  it('refuses a file that is not SQLite', () => refused((f) => writeFileSync(f, 'not a database'.repeat(100)), /is not a catalog backup/))
  it('refuses a SQLite file that is not a catalog', () =>
    refused((f) => {
      const d = new Database(f)
      d.exec('CREATE TABLE x (y)')
      d.close()
    }, /is not a LUS Review catalog/))
  it('refuses a backup from a newer app', () =>
    refused((f) => {
      const d = new Database(f)
      d.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
      d.close()
    }, /newer version of LUS Review/))
  it('refuses a missing file', () => refused(() => {}, /No backup at/))
})
