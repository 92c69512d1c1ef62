/**
 * Opening a catalog file: one writing connection per catalog (held under the
 * catalog's lock, catalogLock.ts), WAL, foreign keys on, transactions that
 * begin IMMEDIATE, and numbered migrations tracked in `user_version`.
 * Read-only opens (stats, exports, splits) create nothing and change nothing,
 * and work beside a running owner. A file that is not a LUS Review catalog,
 * or one written by a newer version, is refused before anything is written
 * to it, the switch to WAL included.
 */
import Database from 'better-sqlite3'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { UserError } from '../errors'
import type { Migration } from './migrations/migration'
import { backupNow } from './backup'
import { acquireCatalogLock, type CatalogLock } from './catalogLock'
import { useImmediateTransactions } from './immediateTransactions'
import { MIGRATIONS } from './migrations'

export type CatalogDb = Database.Database

export interface OpenOptions {
  readonly?: boolean
  /** Read-only opens refuse a catalog that still needs migrating; a backup copies it as it is. */
  allowOlderSchema?: boolean
  /** For tests of individual migrations. */
  migrations?: readonly Migration[]
  /** Where better-sqlite3's native module lives when it is built for Electron. */
  nativeBinding?: string
  /**
   * A lock this process already holds on the catalog (CatalogSession keeps one
   * across a restore). Without it a writing open takes the lock itself and
   * close() releases it.
   */
  lock?: CatalogLock
  /** Appended to the refusal another process's writer gets while this one is open (see lockedError). */
  instead?: string
}

export function schemaVersion(db: CatalogDb): number {
  return db.pragma('user_version', { simple: true }) as number
}

function newerVersionError(current: number, latest: number): UserError {
  return new UserError(
    'unsupported',
    `This catalog was written by a newer version of LUS Review (schema ${current}; this version knows up to ${latest}). Update the app to open it; the file was not changed.`
  )
}

export function migrate(db: CatalogDb, migrations: readonly Migration[] = MIGRATIONS, beforeMigrating?: (from: number) => void): void {
  const latest = migrations.length
  const current = schemaVersion(db)
  if (current > latest) throw newerVersionError(current, latest)
  if (current > 0 && current < latest) beforeMigrating?.(current)
  for (const m of migrations) {
    if (m.version <= current) continue
    if (!Number.isInteger(m.version) || m.version < 1) throw new Error(`bad migration version ${m.version}`)
    db.transaction(() => {
      m.up(db)
      // PRAGMA takes no bound parameters; the version is an integer from our own code.
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}

type Tables = Map<string, Set<string>>

function tablesOf(db: CatalogDb): Tables {
  const names = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .all()
    .map((r) => r.name)
  const columns = db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
  return new Map(names.map((n) => [n, new Set(columns.all(n).map((c) => c.name))]))
}

/** The tables and columns our migrations make up to each version, made once in memory. */
const expectedCache = new WeakMap<readonly Migration[], Map<number, Tables>>()

function expectedTables(migrations: readonly Migration[], version: number): Tables {
  let byVersion = expectedCache.get(migrations)
  if (!byVersion) expectedCache.set(migrations, (byVersion = new Map()))
  let tables = byVersion.get(version)
  if (!tables) {
    const mem = new Database(':memory:')
    try {
      migrate(mem, migrations.slice(0, version))
      tables = tablesOf(mem)
    } finally {
      mem.close()
    }
    byVersion.set(version, tables)
  }
  return tables
}

/**
 * What the file is, read without writing: 'new' (no tables, version 0) or
 * 'catalog' (every table and column our migrations make at its version).
 * Anything else is refused: another program's SQLite file, a newer catalog.
 */
function identify(db: CatalogDb, path: string, migrations: readonly Migration[]): 'new' | 'catalog' {
  // Reads the header first, so a file that is not SQLite is refused untouched.
  db.pragma('schema_version')
  const version = schemaVersion(db)
  if (version > migrations.length) throw newerVersionError(version, migrations.length)
  const found = tablesOf(db)
  if (version === 0 && found.size === 0) return 'new'
  // Tests' own migration lists (which count their runs) are not replayed; the shipped ones are plain DDL.
  const shipped = migrations.every((m, i) => m === MIGRATIONS[i])
  const expected = version < 1 || !shipped ? new Map<string, Set<string>>() : expectedTables(migrations, version)
  const missing = version < 1 ? ['user_version 0'] : [...expected].filter(([t, cols]) => !found.has(t) || [...cols].some((c) => !found.get(t)!.has(c))).map(([t]) => t)
  if (missing.length > 0)
    throw new UserError(
      'bad_input',
      `${path} is an SQLite file but not a LUS Review catalog (${version < 1 ? 'it has tables of its own and no catalog version' : `its tables do not match catalog version ${version}: ${missing.slice(0, 5).join(', ')}`}); the file was not changed. Check --catalog.`
    )
  return 'catalog'
}

function sqliteCode(e: unknown): string {
  return String((e as { code?: unknown }).code ?? '')
}

/**
 * A database error while reading a catalog, in words for the user. A damaged
 * file (SQLITE_CORRUPT, SQLITE_NOTADB) says how to get back to a backup;
 * anything else is returned as it is.
 */
export function catalogReadError(path: string, e: unknown): unknown {
  if (e instanceof UserError) return e
  const code = sqliteCode(e)
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return new UserError(
      'bad_input',
      `The catalog ${path} is damaged or not an SQLite file (${(e as Error).message}); nothing was changed. Restore a backup: \`lus-review restore --catalog ${path}\` lists them.`
    )
  return e
}

function nativeOf(options: OpenOptions): { nativeBinding?: string } {
  return options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}
}

/** Files up to this size in WAL mode without a -wal are examined from a copy in memory (see peek). */
const PEEK_IN_MEMORY_BYTES = 256 * 1024 * 1024

/**
 * A read-only connection for looking at a file before deciding to use it.
 * Opening a file in WAL mode, even read-only, creates -wal and -shm beside
 * it; when no -wal exists, the whole content is in the file, so a copy in
 * memory (marked as rollback-journal there) answers the same without
 * touching the folder.
 */
function peek(path: string, options: OpenOptions): CatalogDb {
  const native = nativeOf(options)
  const header = Buffer.alloc(20)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, header, 0, 20, 0)
  } finally {
    closeSync(fd)
  }
  const walMode = header.toString('latin1', 0, 16) === 'SQLite format 3\0' && header[18] === 2 && header[19] === 2
  if (walMode && !existsSync(`${path}-wal`) && statSync(path).size <= PEEK_IN_MEMORY_BYTES) {
    const copy = readFileSync(path)
    copy[18] = 1
    copy[19] = 1
    return new Database(copy, { readonly: true, ...native })
  }
  return new Database(path, { readonly: true, fileMustExist: true, ...native })
}

/** A catalog for reading only: creates no folder or file, never migrates, works beside a running owner. */
function openForReading(path: string, options: OpenOptions): CatalogDb {
  if (!existsSync(path)) throw new UserError('not_found', `No catalog at ${path} (check --catalog); nothing was created.`)
  // Looked at first without touching the folder: a foreign WAL-mode file gets no -wal or -shm from us.
  checkBeforeWriting(path, { ...options, allowEmpty: false })
  let db: CatalogDb
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, ...nativeOf(options) })
  } catch (e) {
    throw new UserError('bad_input', `Cannot open catalog ${path}: ${(e as Error).message}`)
  }
  try {
    db.pragma('busy_timeout = 5000')
    const migrations = options.migrations ?? MIGRATIONS
    if (identify(db, path, migrations) === 'new') throw new UserError('not_found', `${path} is an empty file, not a catalog (check --catalog).`)
    const version = schemaVersion(db)
    if (version < migrations.length && !options.allowOlderSchema)
      throw new UserError(
        'unsupported',
        `This catalog uses an older format (schema ${version}; this version uses ${migrations.length}); the file was not changed. Open it in LUS Review or \`lus-review serve\` once to upgrade it (a backup is made first).`
      )
    db.pragma('foreign_keys = ON')
  } catch (e) {
    db.close()
    const err = catalogReadError(path, e)
    if (err instanceof UserError) throw err
    throw new UserError('bad_input', `Cannot open catalog ${path}: ${(e as Error).message}`)
  }
  return db
}

/** Checks an existing file before the writing open: a foreign or newer file must not even be switched to WAL. */
function checkBeforeWriting(path: string, options: OpenOptions & { allowEmpty?: boolean }): void {
  if (!existsSync(path)) return
  if (statSync(path).isFile() && statSync(path).size === 0) {
    if (options.allowEmpty === false) throw new UserError('not_found', `${path} is an empty file, not a catalog (check --catalog).`)
    return
  }
  let db: CatalogDb
  try {
    db = peek(path, options)
  } catch (e) {
    throw new UserError('bad_input', `Cannot open catalog ${path}: ${(e as Error).message}`)
  }
  try {
    db.pragma('busy_timeout = 5000')
    if (identify(db, path, options.migrations ?? MIGRATIONS) === 'new' && options.allowEmpty === false)
      throw new UserError('not_found', `${path} is an empty file, not a catalog (check --catalog).`)
  } catch (e) {
    const err = catalogReadError(path, e)
    if (err instanceof UserError) throw err
    throw new UserError('bad_input', `Cannot open catalog ${path}: ${(e as Error).message}; the file was not changed.`)
  } finally {
    db.close()
  }
}

export function openCatalog(path: string, options: OpenOptions = {}): CatalogDb {
  if (options.readonly && path !== ':memory:') return openForReading(path, options)
  const onDisk = path !== ':memory:'
  if (onDisk) {
    checkBeforeWriting(path, options)
    mkdirSync(dirname(path), { recursive: true })
  }
  // The lock comes before the writing connection: a second writer is turned away before it can touch the file.
  const ownLock = onDisk && !options.lock ? acquireCatalogLock(path, { ...nativeOf(options), ...(options.instead ? { instead: options.instead } : {}) }) : null
  let db: CatalogDb
  try {
    db = new Database(path, nativeOf(options))
  } catch (e) {
    ownLock?.release()
    throw new UserError('bad_input', `Cannot open catalog ${path}: ${(e as Error).message}`)
  }
  try {
    const migrations = options.migrations ?? MIGRATIONS
    // Again under the lock: the file may have changed between the check and taking the lock.
    identify(db, path, migrations)
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    useImmediateTransactions(db)
    db.pragma('journal_mode = WAL')
    // Expert labels are weeks of work: pay for an fsync per commit.
    db.pragma('synchronous = FULL')
    // A catalog about to change format is copied first; a brand-new one has nothing to lose.
    migrate(db, migrations, (from) => {
      if (onDisk) backupNow(db, path, `before-migration-from-v${from}`)
    })
  } catch (e) {
    db.close()
    ownLock?.release()
    const err = catalogReadError(path, e)
    if (err instanceof UserError) throw err
    throw new UserError('bad_input', `Cannot open catalog ${path}: ${(e as Error).message}`)
  }
  if (ownLock) {
    // The lock lives exactly as long as the connection: closing the catalog lets the next owner in.
    const close = db.close.bind(db)
    Object.defineProperty(db, 'close', {
      value: () => {
        try {
          return close()
        } finally {
          ownLock.release()
        }
      },
      configurable: true,
      writable: true
    })
  }
  return db
}
