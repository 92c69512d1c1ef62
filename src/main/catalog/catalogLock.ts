/**
 * One owner per catalog. A process that writes to a catalog (the app, serve
 * mode, a writing command) holds `<catalog>.lock` for as long as it has the
 * catalog open, and says who it is in `<catalog>.owner.json`, so a second
 * writer is refused with a message naming the first instead of racing it
 * (a restore renaming a file under a running server loses every later edit).
 *
 * The lock is an SQLite EXCLUSIVE transaction on a sidecar file, on its own
 * connection with no busy timeout: the operating system drops it when the
 * process dies, even by SIGKILL, so a crash never leaves a stale lock. The
 * owner note is only for the message; a stale note is overwritten by the next
 * owner and never consulted unless the lock itself is held.
 */
import Database from 'better-sqlite3'
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { UserError } from '../errors'
import { writeFileAtomic } from '../fs/atomicWrite'

export interface CatalogOwner {
  pid: number
  program: string
  startedAt: string
}

export interface CatalogLock {
  readonly catalogPath: string
  readonly owner: CatalogOwner
  release(): void
}

/** Who this process is, for the message another process gets; set once by the host (app, CLI command). */
let thisProgram = 'LUS Review'

export function setCatalogOwnerProgram(program: string): void {
  thisProgram = program
}

/** Locks held by this process, by lock-file path: a second open in the same process is refused too. */
const heldHere = new Map<string, CatalogLock>()

/**
 * The lock file's path. The catalog's folder is resolved through links so
 * that two spellings of one folder share a lock; the file name is kept as
 * given, because the catalog file itself may not exist yet.
 */
export function lockPaths(catalogPath: string): { lock: string; owner: string } {
  let dir = dirname(catalogPath)
  try {
    dir = realpathSync(dir)
  } catch {
    // The folder does not exist yet (a new catalog): nothing can hold a lock in it.
  }
  let name = basename(catalogPath)
  try {
    // A catalog reached through a symbolic link is locked under the file it points to.
    const real = realpathSync(catalogPath)
    dir = dirname(real)
    name = basename(real)
  } catch {
    // Not created yet.
  }
  return { lock: join(dir, `${name}.lock`), owner: join(dir, `${name}.owner.json`) }
}

export function holdsCatalogLock(catalogPath: string): boolean {
  return heldHere.has(lockPaths(catalogPath).lock)
}

function readOwner(path: string): CatalogOwner | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<CatalogOwner>
    if (typeof o.pid === 'number' && typeof o.program === 'string' && typeof o.startedAt === 'string') return { pid: o.pid, program: o.program, startedAt: o.startedAt }
  } catch {
    // Not written yet (the owner is between taking the lock and writing its note) or unreadable.
  }
  return null
}

function clock(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const sameDay = d.toDateString() === new Date().toDateString()
  const hhmm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
  return sameDay ? hhmm : `${d.toISOString().slice(0, 10)} ${hhmm}`
}

/** The refusal a second writer gets. `instead` says what the user can do from inside the owner (e.g. restore there). */
export function lockedError(catalogPath: string, owner: CatalogOwner | null, instead?: string): UserError {
  const who = owner ? `${owner.program} (pid ${owner.pid}, since ${clock(owner.startedAt)})` : 'another LUS Review program'
  return new UserError(
    'locked',
    `The catalog ${catalogPath} is open in ${who}; nothing was changed. Close it first${instead ? `, or ${instead}` : ''}.`
  )
}

export interface AcquireOptions {
  /** Shown to a refused process; defaults to what the host set with setCatalogOwnerProgram. */
  program?: string
  /** Appended to the refusal: what to do instead from inside the running owner. */
  instead?: string
  nativeBinding?: string
}

/** Takes the catalog's lock or throws the `locked` refusal naming its owner. Hold it until the catalog is closed. */
export function acquireCatalogLock(catalogPath: string, options: AcquireOptions = {}): CatalogLock {
  // A writer creates the catalog's folder anyway; made first so the lock's path is the one later look-ups compute.
  mkdirSync(dirname(catalogPath), { recursive: true })
  const paths = lockPaths(catalogPath)
  const mine = heldHere.get(paths.lock)
  if (mine) throw lockedError(catalogPath, mine.owner, options.instead)
  let conn: Database.Database
  try {
    conn = new Database(paths.lock, { timeout: 0, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) })
  } catch (e) {
    throw new UserError('bad_input', `Cannot create the lock file ${paths.lock} beside the catalog (${(e as Error).message}); nothing was changed. Check that the folder is writable.`)
  }
  try {
    // No journal file beside the lock: the transaction never writes anything.
    conn.pragma('journal_mode = MEMORY')
    conn.exec('BEGIN EXCLUSIVE')
  } catch (e) {
    conn.close()
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY') || (e as { code?: string }).code?.startsWith('SQLITE_LOCKED'))
      throw lockedError(catalogPath, readOwner(paths.owner), options.instead)
    throw new UserError('bad_input', `Cannot lock the catalog ${catalogPath} (${(e as Error).message}); nothing was changed.`)
  }
  const owner: CatalogOwner = { pid: process.pid, program: options.program ?? thisProgram, startedAt: new Date().toISOString() }
  try {
    writeFileAtomic(paths.owner, `${JSON.stringify(owner)}\n`)
  } catch {
    // The note only improves another process's message; the lock holds without it.
  }
  let released = false
  const lock: CatalogLock = {
    catalogPath,
    owner,
    release: () => {
      if (released) return
      released = true
      heldHere.delete(paths.lock)
      // Only our own note: the next owner may already have written its own (it cannot before we let go, but be sure).
      if (existsSync(paths.owner) && readOwner(paths.owner)?.pid === owner.pid) rmSync(paths.owner, { force: true })
      // The lock file stays: deleting it could let two processes lock two different files of one name.
      conn.close()
    }
  }
  heldHere.set(paths.lock, lock)
  return lock
}
