/**
 * Catalog backups: an online copy before every migration and on a schedule,
 * the last N kept, and restore. A backup is a complete SQLite file beside the
 * catalog in `backups/`, named `<catalog>-<UTC time>-<reason>.db`.
 */
import Database from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { UserError } from '../errors'
import { produceFileAtomic } from '../fs/atomicWrite'
import { holdsCatalogLock } from './catalogLock'
import type { CatalogDb } from './database'
import { LATEST_SCHEMA_VERSION } from './migrations'

export const DEFAULT_KEEP = 10
/** While the app or serve mode runs, a backup every half hour. */
export const BACKUP_INTERVAL_MS = 30 * 60 * 1000
/** An online backup that copies no page for this long is given up (see backupOnline). */
export const BACKUP_STALL_MS = 10_000

export interface BackupInfo {
  file: string
  createdAt: string
  reason: string
  sizeBytes: number
}

export function backupDir(catalogPath: string): string {
  return join(dirname(catalogPath), 'backups')
}

function stem(catalogPath: string): string {
  return basename(catalogPath, extname(catalogPath))
}

/** How a reason is written into a backup's file name. */
const reasonTag = (reason: string): string => reason.replace(/[^a-z0-9-]/gi, '_')

// Backups made within one millisecond still get distinct, ordered names.
let lastStamp = 0

function backupName(catalogPath: string, reason: string): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1)
  const time = new Date(lastStamp).toISOString().replace(/[:.]/g, '-')
  return join(backupDir(catalogPath), `${stem(catalogPath)}-${time}-${reasonTag(reason)}.db`)
}

export function listBackups(catalogPath: string): BackupInfo[] {
  const dir = backupDir(catalogPath)
  if (!existsSync(dir)) return []
  const prefix = `${stem(catalogPath)}-`
  const pattern = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-(.+)\.db$/
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .flatMap((f) => {
      const m = pattern.exec(f.slice(prefix.length))
      if (!m) return []
      const iso = m[1]!.replace(/T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/, 'T$1:$2:$3.$4Z')
      return [{ file: join(dir, f), createdAt: iso, reason: m[2]!, sizeBytes: statSync(join(dir, f)).size }]
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
}

/**
 * Keeps the newest `keep` backups made for `reason`. Backups made for another
 * reason are never touched: half-hourly scheduled backups must not push out
 * the copy made before a migration, a restore or by hand.
 */
function prune(catalogPath: string, reason: string, keep: number): void {
  const same = listBackups(catalogPath).filter((b) => b.reason === reasonTag(reason))
  for (const old of same.slice(keep)) rmSync(old.file, { force: true })
}


/**
 * A consistent copy while the catalog stays open. VACUUM INTO is synchronous,
 * which the pre-migration backup needs (opening a catalog is synchronous).
 */
export function backupNow(db: CatalogDb, catalogPath: string, reason: string, keep = DEFAULT_KEEP): BackupInfo {
  mkdirSync(backupDir(catalogPath), { recursive: true })
  const target = backupName(catalogPath, reason)
  try {
    produceFileAtomic(target, (partial) => db.prepare('VACUUM INTO ?').run(partial))
  } catch (e) {
    throw backupFailed(catalogPath, e)
  }
  prune(catalogPath, reason, keep)
  return listBackups(catalogPath).find((b) => b.file === target)!
}

/** Why a backup could not be written, for the user: nothing was kept, the catalog is as it was. */
function backupFailed(catalogPath: string, e: unknown): UserError {
  if (e instanceof UserError) return e
  const code = String((e as { code?: unknown }).code ?? '')
  const full = code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT'
  return new UserError(
    'internal',
    `No backup could be written to ${backupDir(catalogPath)} (${full ? 'the disk is full' : (e as Error).message}); the catalog was not changed. ${full ? 'Free some space' : 'Check that the folder is writable'} and try again.`
  )
}

/**
 * The online backup API, page by page, for scheduled backups of a catalog in
 * use. better-sqlite3 retries a step that finds the catalog busy for ever, at
 * full speed when the lock fails at once (a -shm file another user owns):
 * a backup that copies no page for `stallMs` is given up and its partial file
 * removed.
 */
export async function backupOnline(
  db: CatalogDb,
  catalogPath: string,
  reason = 'scheduled',
  keep = DEFAULT_KEEP,
  options: { stallMs?: number } = {}
): Promise<BackupInfo> {
  const stallMs = options.stallMs ?? BACKUP_STALL_MS
  mkdirSync(backupDir(catalogPath), { recursive: true })
  const target = backupName(catalogPath, reason)
  let lastRemaining = Number.POSITIVE_INFINITY
  let lastProgressAt = Date.now()
  const unreadable = (): UserError =>
    new UserError(
      'internal',
      `No backup was made: the catalog ${catalogPath} could not be read for ${Math.round(stallMs / 1000)} s (it stays locked, or its -shm file belongs to another user). The catalog was not changed; check who owns the files beside it.`
    )
  try {
    await produceFileAtomic(target, async (partial) => {
      const done = await db.backup(partial, {
        progress: ({ remainingPages }) => {
          if (remainingPages < lastRemaining) {
            lastRemaining = remainingPages
            lastProgressAt = Date.now()
          } else if (Date.now() - lastProgressAt > stallMs) throw unreadable()
          // Pages per step, as better-sqlite3 uses by default.
          return 100
        }
      })
      // A first step that finds the catalog busy reports no pages at all, which better-sqlite3 takes for done.
      if (done.totalPages === 0) throw unreadable()
    })
  } catch (e) {
    throw backupFailed(catalogPath, e)
  }
  prune(catalogPath, reason, keep)
  return listBackups(catalogPath).find((b) => b.file === target)!
}

/**
 * Replaces the catalog with a backup. The catalog must be closed. The backup
 * is checked first, and the current catalog is itself backed up, so a
 * restore can be undone by restoring that file.
 */
export interface RestoreOptions {
  nativeBinding?: string
  /** Copies the backup into place; tests inject a full disk here. */
  copyFile?: (from: string, to: string) => void
}

/**
 * Replaces the catalog with a backup. The catalog must be closed and this
 * process must hold its lock (catalogLock.ts): a file renamed under another
 * process's open connection loses every edit that process makes afterwards.
 * The backup is checked first, and the current catalog is itself backed up,
 * so a restore can be undone by restoring that file. If anything fails
 * before the final rename, the catalog is left as it was.
 */
export function restoreBackup(catalogPath: string, backupFile: string, options: RestoreOptions = {}): { safetyCopy: string | null } {
  if (!holdsCatalogLock(catalogPath)) throw new Error(`restoreBackup: this process does not hold the lock of ${catalogPath}`)
  const native = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}
  if (!existsSync(backupFile)) throw new UserError('not_found', `No backup at ${backupFile}.`)
  let check: Database.Database
  try {
    check = new Database(backupFile, { readonly: true, fileMustExist: true, ...native })
  } catch (e) {
    throw new UserError('bad_input', `${backupFile} is not a catalog backup: ${(e as Error).message}`)
  }
  try {
    const integrity = check.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') throw new UserError('bad_input', `${backupFile} is damaged (integrity check: ${String(integrity)}); not restored.`)
    const version = check.pragma('user_version', { simple: true }) as number
    if (version > LATEST_SCHEMA_VERSION)
      throw new UserError('unsupported', `${backupFile} was written by a newer version of LUS Review (schema ${version}); not restored.`)
    if (version < 1) throw new UserError('bad_input', `${backupFile} is not a LUS Review catalog; not restored.`)
  } catch (e) {
    if (e instanceof UserError) throw e
    throw new UserError('bad_input', `${backupFile} is not a catalog backup: ${(e as Error).message}`)
  } finally {
    check.close()
  }
  const notRestored = (e: unknown): UserError => {
    const code = String((e as { code?: unknown }).code ?? '')
    const full = code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT' || /disk is full/i.test((e as Error).message)
    return new UserError(
      'internal',
      `The backup was not restored: ${full ? 'the disk is full' : (e as Error).message}. The catalog ${catalogPath} was not changed. ${full ? 'Free some space and try again.' : 'Try again.'}`
    )
  }
  let safetyCopy: string | null = null
  if (existsSync(catalogPath)) {
    const db = new Database(catalogPath, native)
    try {
      safetyCopy = backupNow(db, catalogPath, 'before-restore', Number.MAX_SAFE_INTEGER).file
    } catch (e) {
      throw notRestored(e)
    } finally {
      db.close()
    }
  }
  produceFileAtomic(
    catalogPath,
    (partial) => {
      try {
        ;(options.copyFile ?? copyFileSync)(backupFile, partial)
      } catch (e) {
        // Only a failed copy leaves the catalog as it was; what follows has touched it.
        throw notRestored(e)
      }
      // The old catalog's log would be replayed into the restored one.
      for (const suffix of ['-wal', '-shm']) rmSync(`${catalogPath}${suffix}`, { force: true })
    },
    `${catalogPath}.restoring`
  )
  return { safetyCopy }
}
