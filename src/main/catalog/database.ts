/**
 * Opening a catalog file: one writing connection per process, WAL, foreign
 * keys on, and numbered migrations tracked in `user_version`.
 */
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { UserError } from '../errors'
import type { Migration } from './migrations/migration'
import { backupNow } from './backup'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations'

export type CatalogDb = Database.Database

export interface OpenOptions {
  readonly?: boolean
  /** For tests of individual migrations. */
  migrations?: readonly Migration[]
  /** Where better-sqlite3's native module lives when it is built for Electron. */
  nativeBinding?: string
}

export function schemaVersion(db: CatalogDb): number {
  return db.pragma('user_version', { simple: true }) as number
}

export function migrate(db: CatalogDb, migrations: readonly Migration[] = MIGRATIONS, beforeMigrating?: (from: number) => void): void {
  const latest = migrations.length
  const current = schemaVersion(db)
  if (current > latest) {
    throw new UserError(
      'unsupported',
      `This catalog was written by a newer version of LUS Review (schema ${current}; this version knows up to ${latest}). Update the app to open it; the file was not changed.`
    )
  }
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

export function openCatalog(path: string, options: OpenOptions = {}): CatalogDb {
  if (!options.readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  let db: CatalogDb
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
    })
  } catch (e) {
    throw new UserError('bad_input', `Cannot open catalog ${path}: ${(e as Error).message}`)
  }
  try {
    // Checks the header before anything is written, so a non-SQLite file is refused untouched.
    db.pragma('schema_version')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    if (!options.readonly) {
      db.pragma('journal_mode = WAL')
      // Expert labels are weeks of work: pay for an fsync per commit.
      db.pragma('synchronous = FULL')
      // A catalog about to change format is copied first; a brand-new one has nothing to lose.
      migrate(db, options.migrations ?? MIGRATIONS, (from) => {
        if (path !== ':memory:') backupNow(db, path, `before-migration-from-v${from}`)
      })
    } else if (schemaVersion(db) > LATEST_SCHEMA_VERSION) {
      migrate(db) // throws the "newer version" error
    } else if (schemaVersion(db) < LATEST_SCHEMA_VERSION) {
      throw new UserError(
        'unsupported',
        `This catalog uses an older format (schema ${schemaVersion(db)}; this version uses ${LATEST_SCHEMA_VERSION}). Open it once for writing to upgrade it.`
      )
    }
  } catch (e) {
    db.close()
    if (e instanceof UserError) throw e
    throw new UserError('bad_input', `Cannot open catalog ${path}: ${(e as Error).message}`)
  }
  return db
}
