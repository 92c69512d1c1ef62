/**
 * Containment for paths that come from data (crop.json keys, zip entry
 * names, the places a rebuild writes to): a name read from a file must never
 * reach outside the folder it is meant for, neither by its spelling (`..`,
 * an absolute path, backslashes) nor through a symbolic link already on
 * disk. Reading an existing file by catalog path is media/mediaResponse.ts's
 * containedPath; this module is for names that have not been written yet.
 */
import { lstatSync, mkdirSync, realpathSync } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'

/** Why a path read from data was refused; the message is a phrase ("climbs out of its folder (..)") for the caller's sentence. */
export class ContainmentError extends Error {}

/**
 * Why `rel` cannot name a place inside a folder, as a phrase; null when it
 * can. Only forward slashes separate folders, as in zip entries and crop.json.
 */
export function unsafeRelativePath(rel: string): string | null {
  if (rel === '') return 'is empty'
  if (/[\x00-\x1f\x7f]/.test(rel)) return 'contains control characters'
  if (rel.includes('\\')) return 'uses backslashes'
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel) || isAbsolute(rel)) return 'is an absolute path'
  const parts = rel.split('/')
  if (parts.includes('..')) return 'climbs out of its folder (..)'
  // "a//b" and "./a" resolve inside, but no file this app reads spells a path so: they are a sign of a crafted name.
  if (parts.some((p) => p === '' || p === '.')) return 'has an empty or "." folder name'
  return null
}

/** Whether `candidate` is `root` or lies under it (both absolute, neither resolved here). */
export function isInside(root: string, candidate: string): boolean {
  const r = relative(root, candidate)
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r))
}

/**
 * The absolute path `rel` names under `root` (whose symbolic links are
 * resolved first: the root itself may be reached through one), for a file
 * about to be written. Every folder on the way must be a real folder, not a
 * link; with `create`, the missing ones are made, one at a time, each
 * checked. The file itself is not looked at: the caller decides whether an
 * existing one is an error. Throws ContainmentError.
 */
export function containedTarget(root: string, rel: string, { create = false }: { create?: boolean } = {}): string {
  const why = unsafeRelativePath(rel)
  if (why) throw new ContainmentError(why)
  const realRoot = realpathSync(root)
  const parts = rel.split('/')
  let dir = realRoot
  let missing = false
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part)
    if (!missing) {
      const st = lstatOrNull(dir)
      if (st?.isSymbolicLink()) throw new ContainmentError(`passes through the symbolic link ${relative(realRoot, dir)}`)
      if (st && !st.isDirectory()) throw new ContainmentError(`passes through ${relative(realRoot, dir)}, which is not a folder`)
      missing = st === null
    }
    // A folder made here cannot be a link, unless one appears meanwhile: mkdir then refuses (EEXIST), it never follows.
    if (missing && create) mkdirSync(dir)
  }
  const target = join(dir, parts[parts.length - 1]!)
  if (!isInside(realRoot, target)) throw new ContainmentError('leaves its folder')
  return target
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
}

/** Whether anything (a file, a folder, a link, even a dangling one) is at `path`. */
export function somethingAt(path: string): boolean {
  return lstatOrNull(path) !== null
}
