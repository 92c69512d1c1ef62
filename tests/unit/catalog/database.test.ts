/**
 * Opening a catalog: read-only opens that create and change nothing, files
 * that are refused before anything is written to them (the WAL switch
 * included), and write transactions that wait for the busy timeout.
 */
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCatalog } from '../../../src/main/catalog/database'
import { useImmediateTransactions } from '../../../src/main/catalog/immediateTransactions'
import { LATEST_SCHEMA_VERSION } from '../../../src/main/catalog/migrations'
import { REPO_ROOT, tempDir } from '../../helpers/paths'

let dir: ReturnType<typeof tempDir>
beforeEach(() => (dir = tempDir()))
afterEach(() => dir.cleanup())

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')

/** Everything in the folder, so a refused open is seen to leave no -wal, -shm, lock or backup behind. */
const files = (): string[] => readdirSync(dir.path).sort()

describe('read-only opening', () => {
  it('refuses a missing catalog without creating its folder or file', () => {
    const path = join(dir.path, 'typo', 'catalgo.db')
    expect(() => openCatalog(path, { readonly: true })).toThrow(expect.objectContaining({ code: 'not_found', message: `No catalog at ${path} (check --catalog); nothing was created.` }))
    expect(files()).toEqual([])
  })

  it('reads a catalog without migrating it, switching its journal or taking the lock', () => {
    const path = join(dir.path, 'c.db')
    openCatalog(path).close()
    const writer = openCatalog(path)
    const reader = openCatalog(path, { readonly: true })
    expect(reader.prepare('SELECT count(*) AS n FROM entries').get()).toEqual({ n: 0 })
    expect(() => reader.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run()).toThrow(/readonly/)
    reader.close()
    writer.close()
  })

  it('refuses another program\u2019s SQLite file and an empty file as not a catalog, unchanged', () => {
    const foreign = join(dir.path, 'foreign.db')
    const f = new Database(foreign)
    f.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)')
    f.close()
    const before = sha(foreign)
    expect(() => openCatalog(foreign, { readonly: true })).toThrow(/foreign\.db is an SQLite file but not a LUS Review catalog/)
    expect(sha(foreign)).toBe(before)
    writeFileSync(join(dir.path, 'empty.db'), '')
    expect(() => openCatalog(join(dir.path, 'empty.db'), { readonly: true })).toThrow(/empty file, not a catalog/)
    expect(files()).toEqual(['empty.db', 'foreign.db'])
  })
})

describe('opening for writing refuses, untouched, what is not ours', () => {
  const refusedUnchanged = (name: string, make: (db: Database.Database) => void, message: RegExp): void => {
    const path = join(dir.path, name)
    const db = new Database(path)
    make(db)
    db.close()
    const before = sha(path)
    expect(() => openCatalog(path)).toThrow(message)
    expect(sha(path)).toBe(before)
    // No WAL switch, no lock, no backup: nothing beside it either.
    expect(files()).toEqual([name])
  }

  it('another application\u2019s SQLite file: no LUS schema added, not switched to WAL', () =>
    refusedUnchanged('foreign.db', (db) => db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)'), /foreign\.db is an SQLite file but not a LUS Review catalog .*the file was not changed/))

  it('a file claiming a catalog version whose tables are not ours (it would conflict with our migrations)', () =>
    refusedUnchanged(
      'conflict.db',
      (db) => {
        db.exec('CREATE TABLE entries (x TEXT)')
        db.pragma('user_version = 3')
      },
      /not a LUS Review catalog \(its tables do not match catalog version 3: sources, media, entries/
    ))

  it('a catalog from a newer version: the message says the file was not changed, and it is not', () =>
    refusedUnchanged('newer.db', (db) => db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`), /newer version of LUS Review .*the file was not changed/))

  it('still creates a new catalog (and its folder) for commands that write', () => {
    const path = join(dir.path, 'new', 'c.db')
    openCatalog(path).close()
    expect(existsSync(path)).toBe(true)
  })
})

/**
 * A second connection (another thread, as another process would) holds the
 * write lock for 400 ms. A deferred transaction that reads first and then
 * writes fails at once with SQLITE_BUSY (SQLite does not wait when a reader
 * upgrades); an immediate one waits for the busy timeout and succeeds.
 */
async function underForeignWriter(path: string, body: () => void): Promise<unknown> {
  const worker = new Worker(
    `const Database = require(${JSON.stringify(join(REPO_ROOT, 'node_modules', 'better-sqlite3'))})
     const { parentPort, workerData } = require('node:worker_threads')
     const db = new Database(workerData)
     db.exec('BEGIN IMMEDIATE')
     db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('worker', 'x')").run()
     parentPort.postMessage('locked')
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400)
     db.exec('COMMIT')
     db.close()
     parentPort.postMessage('done')`,
    { eval: true, workerData: path }
  )
  await new Promise<void>((r, fail) => {
    worker.once('message', () => r())
    worker.once('error', fail)
  })
  let error: unknown = null
  try {
    body()
  } catch (e) {
    error = e
  }
  await new Promise<void>((r) => worker.once('exit', () => r()))
  return error
}

describe('write transactions begin IMMEDIATE', () => {
  const readThenWrite = (db: Database.Database): void =>
    db.transaction(() => {
      db.prepare('SELECT count(*) FROM settings').get()
      db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('main', 'y')").run()
    })()

  it('a transaction on a catalog connection waits for another writer instead of failing with SQLITE_BUSY', async () => {
    const path = join(dir.path, 'c.db')
    const db = openCatalog(path)
    try {
      const started = Date.now()
      expect(await underForeignWriter(path, () => readThenWrite(db))).toBeNull()
      expect(Date.now() - started).toBeGreaterThanOrEqual(300)
      expect(db.prepare('SELECT key FROM settings ORDER BY key').all()).toEqual([{ key: 'main' }, { key: 'worker' }])
    } finally {
      db.close()
    }
  }, 20_000)

  it('(the same on a plain connection fails at once: what every writer did before)', async () => {
    const path = join(dir.path, 'c.db')
    openCatalog(path).close()
    const plain = new Database(path, { timeout: 5000 })
    try {
      expect(await underForeignWriter(path, () => readThenWrite(plain))).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) })
      // And the helper alone is what makes the difference.
      useImmediateTransactions(plain)
      expect(await underForeignWriter(path, () => readThenWrite(plain))).toBeNull()
    } finally {
      plain.close()
    }
  }, 20_000)

  it('keeps .deferred, .immediate and .exclusive and nests as savepoints', () => {
    const db = openCatalog(join(dir.path, 'c.db'))
    try {
      const t = db.transaction(() => db.transaction(() => db.prepare("INSERT INTO settings (key, value) VALUES ('n', '1')").run())())
      expect(typeof t.deferred).toBe('function')
      expect(typeof t.exclusive).toBe('function')
      t()
      expect(db.prepare('SELECT value FROM settings WHERE key = ?').get('n')).toEqual({ value: '1' })
    } finally {
      db.close()
    }
  })
})
