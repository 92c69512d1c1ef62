/**
 * Serve mode's folder browser: what `files/list` answers so a page in a
 * browser can pick a dataset folder, a zip or a crop.json without anyone
 * typing a path. It shows only what lies under its roots (the user's home
 * and the mount points of removable volumes, or LUS_BROWSE_ROOTS), so a page
 * cannot walk the whole disk: a path is resolved (symbolic links included)
 * before it is checked, and a link leading outside the roots is listed as
 * refused, never followed. Names that are not valid UTF-8 are listed,
 * flagged and unusable, rather than crashing the listing or being sent as
 * a different name.
 */
import { existsSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs'
import { homedir } from 'node:os'
import { basename, delimiter, dirname, extname, isAbsolute, join } from 'node:path'
import type { BrowseRoot, FolderEntry, FolderListing, ListedFiles } from '../../shared/filesContract'
import { UserError } from '../errors'
import { isInside } from './containment'
import { utf8OrNull } from './utf8Name'

/** A listing shows at most this many entries: a folder of a million files must not become one huge answer. */
export const MAX_LISTED_ENTRIES = 5000

/** Where removable and network volumes are mounted (Linux, BSD, macOS). */
export const VOLUME_FOLDERS = ['/media', '/mnt', '/Volumes'] as const

/** The environment variable that replaces the default roots (paths joined by the platform's delimiter, `:` or `;`). */
export const BROWSE_ROOTS_ENV = 'LUS_BROWSE_ROOTS'

export const NOT_UTF8_PROBLEM = 'Its name is not valid UTF-8, so the app cannot open it; rename it to use it.'
export const LINK_OUTSIDE_PROBLEM = 'A link to a place outside the folders that can be browsed here.'
export const BROKEN_LINK_PROBLEM = 'A link to something that does not exist.'
export const UNREADABLE_PROBLEM = 'It cannot be read.'

/** The roots a server browses by default: LUS_BROWSE_ROOTS when set, else the home folder and the volume folders that exist. */
export function defaultBrowseRoots(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string[] {
  const configured = env[BROWSE_ROOTS_ENV]
  if (configured !== undefined && configured.trim() !== '')
    return configured
      .split(delimiter)
      .map((p) => p.trim())
      .filter((p) => p !== '')
  return [home, ...VOLUME_FOLDERS]
}

interface Root extends BrowseRoot {
  /** The real path, every link resolved: what containment is checked against. */
  real: string
}

export class FolderBrowser {
  private readonly configured: readonly string[]

  /** Roots are resolved at each call: a volume mounted (or a folder made) after start shows up. */
  constructor(roots: readonly string[] = defaultBrowseRoots()) {
    this.configured = roots.filter((r) => isAbsolute(r))
  }

  roots(): BrowseRoot[] {
    return this.resolvedRoots().map(({ name, path }) => ({ name, path }))
  }

  list(args: { path?: string | undefined; files?: ListedFiles | undefined; showHidden?: boolean | undefined }): FolderListing {
    const roots = this.resolvedRoots()
    const shownRoots = roots.map(({ name, path }) => ({ name, path }))
    if (args.path === undefined) {
      // The list of roots is itself a listing, so the page shows it the same way.
      const entries: FolderEntry[] = shownRoots.map((r) => ({ name: r.name, path: r.path, kind: 'folder', sizeBytes: null, problem: null }))
      return { folder: null, parent: null, roots: shownRoots, entries, truncated: false }
    }
    const folder = this.containedFolder(args.path, roots)
    const within = (p: string): boolean => roots.some((r) => isInside(r.real, p))
    const atRoot = roots.some((r) => r.real === folder)
    const parent = atRoot || !within(dirname(folder)) ? null : dirname(folder)

    let dirents: Dirent<Buffer>[]
    try {
      // Names as bytes: a name that is not UTF-8 would otherwise arrive already mangled into another name.
      dirents = readdirSync(folder, { withFileTypes: true, encoding: 'buffer' })
    } catch (e) {
      throw new UserError('bad_input', `The folder ${folder} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`)
    }
    const files = args.files ?? 'none'
    const wanted = (name: string): boolean =>
      files === 'all' || (files !== 'none' && files.some((ext) => extname(name).slice(1).toLowerCase() === ext.toLowerCase()))

    const entries: FolderEntry[] = []
    for (const dirent of dirents) {
      const entry = describe(dirent, folder, within)
      if (entry === null) continue
      if (!args.showHidden && entry.name.startsWith('.')) continue
      if (entry.kind === 'file' && !wanted(entry.name)) continue
      entries.push(entry)
    }
    entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1))
    return {
      folder,
      parent,
      roots: shownRoots,
      entries: entries.slice(0, MAX_LISTED_ENTRIES),
      truncated: entries.length > MAX_LISTED_ENTRIES
    }
  }

  /** The real path of `path`, refused unless it is a folder inside a root. */
  private containedFolder(path: string, roots: readonly Root[]): string {
    if (!isAbsolute(path)) throw new UserError('bad_input', `Folders are named by absolute path; "${path}" is not one.`)
    let real: string
    try {
      real = realpathSync(path)
    } catch {
      throw new UserError('not_found', `There is no folder ${path}.`)
    }
    if (!roots.some((r) => isInside(r.real, real)))
      throw new UserError('forbidden', `${path} is outside the folders that can be browsed here (${roots.map((r) => r.path).join(', ') || 'none'}).`)
    if (!statOrNull(real)?.isDirectory()) throw new UserError('bad_input', `${path} is not a folder.`)
    return real
  }

  private resolvedRoots(): Root[] {
    const seen = new Set<string>()
    const roots: Root[] = []
    for (const path of this.configured) {
      if (!existsSync(path)) continue
      let real: string
      try {
        real = realpathSync(path)
      } catch {
        continue
      }
      if (seen.has(real) || !statOrNull(real)?.isDirectory()) continue
      seen.add(real)
      roots.push({ name: real === realHome() ? 'Home' : basename(real) || real, path: real, real })
    }
    return roots
  }
}

/** One entry of a listing; null for what is neither a folder nor a file (sockets, devices). */
function describe(dirent: Dirent<Buffer>, folder: string, within: (p: string) => boolean): FolderEntry | null {
  const name = utf8OrNull(dirent.name)
  if (name === null) {
    // Shown so the user knows it is there, but a path could not be sent without changing its bytes.
    const shown = new TextDecoder('utf-8').decode(dirent.name)
    const kind = dirent.isDirectory() ? 'folder' : 'file'
    return { name: shown, path: null, kind, sizeBytes: null, problem: NOT_UTF8_PROBLEM }
  }
  const path = join(folder, name)
  if (dirent.isSymbolicLink()) {
    let target: string
    try {
      target = realpathSync(path)
    } catch {
      return { name, path: null, kind: 'file', sizeBytes: null, problem: BROKEN_LINK_PROBLEM }
    }
    const st = statOrNull(target)
    if (st === null) return { name, path: null, kind: 'file', sizeBytes: null, problem: BROKEN_LINK_PROBLEM }
    const kind = st.isDirectory() ? 'folder' : st.isFile() ? 'file' : null
    if (kind === null) return null
    if (!within(target)) return { name, path: null, kind, sizeBytes: null, problem: LINK_OUTSIDE_PROBLEM }
    return { name, path: target, kind, sizeBytes: kind === 'file' ? st.size : null, problem: null }
  }
  if (dirent.isDirectory()) return { name, path, kind: 'folder', sizeBytes: null, problem: null }
  if (!dirent.isFile()) return null
  const st = statOrNull(path)
  if (st === null) return { name, path: null, kind: 'file', sizeBytes: null, problem: UNREADABLE_PROBLEM }
  return { name, path, kind: 'file', sizeBytes: st.size, problem: null }
}

function realHome(): string | null {
  try {
    return realpathSync(homedir())
  } catch {
    return null
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}
