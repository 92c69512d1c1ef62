/**
 * Pointing an entry at another file of its dataset folder (the clip was
 * renamed or moved). Every check — containment, media type, readability —
 * happens before anything is written; the media row and the entry's link
 * are then written in one transaction, so a refused relink changes nothing.
 */
import { realpathSync, statSync } from 'node:fs'
import { basename, extname, isAbsolute, relative, sep } from 'node:path'
import { IMAGE_EXTENSIONS, VIDEO_EXTENSIONS } from '../../shared/vocabulary'
import { catalogTables, type CatalogTables } from '../catalog/catalogTables'
import type { CatalogDb } from '../catalog/database'
import { UserError } from '../errors'
import { sha256File } from './contentHash'
import { containedPath } from './mediaResponse'
import { mediaKind } from './mediaScan'
import { ProbeError, probeMedia, type ProbeResult } from './probe'

export class MediaRelinker {
  private readonly tables: CatalogTables

  constructor(
    private readonly db: CatalogDb,
    private readonly probe: (file: string) => Promise<ProbeResult> = (f) => probeMedia(f)
  ) {
    this.tables = catalogTables(db)
  }

  /** `path`: absolute, or relative to the entry's dataset folder. Returns the media id now linked. */
  async relink(entryId: number, path: string): Promise<number> {
    const entry = this.tables.entryMedia.sourceOf(entryId)
    if (!entry) throw new UserError('not_found', `No catalog entry with id ${entryId}.`)
    let realRoot: string
    try {
      realRoot = realpathSync(entry.root)
    } catch {
      throw new UserError('not_found', `The dataset folder ${entry.root} is gone; relinking needs it.`)
    }
    const file = containedPath(realRoot, relativeToRoot(realRoot, path))
    const relPath = relative(realRoot, file).split(sep).join('/')

    const kind = mediaKind(file)
    if (!kind)
      throw new UserError(
        'bad_input',
        `${basename(file)} is not a media file: relink to a video (${VIDEO_EXTENSIONS.join(' ')}) or an image (${IMAGE_EXTENSIONS.join(' ')}).`
      )
    const before = statSync(file)
    if (before.size === 0) throw new UserError('bad_input', `${relPath} is empty (0 bytes): it cannot be the entry's media.`)
    let probe: ProbeResult
    try {
      probe = await this.probe(file)
    } catch (e) {
      if (e instanceof ProbeError) throw new UserError('bad_input', `${relPath} cannot be used: ${e.message}.`)
      throw e
    }
    const sha256 = await sha256File(file)
    const after = statSync(file)
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs)
      throw new UserError('conflict', `${relPath} changed while it was being checked; try again once it is complete.`)

    return this.db.transaction((): number => {
      const id = this.tables.media.upsert({
        source_id: entry.sourceId,
        rel_path: relPath,
        stem: basename(relPath, extname(relPath)),
        kind,
        size_bytes: after.size,
        mtime_ms: Math.floor(after.mtimeMs),
        frames: probe.frames,
        fps: probe.fps,
        width: probe.width,
        height: probe.height,
        duration_s: probe.durationS,
        codec: probe.codec,
        error: null,
        sha256
      })
      // The entry may have been deleted while the file was probed: then nothing is written.
      if (!this.tables.entries.link(entryId, id, 'linked')) throw new UserError('not_found', `No catalog entry with id ${entryId}.`)
      return id
    })()
  }
}

/**
 * The path relative to the root, as containedPath wants it. An absolute path
 * is resolved first, so one that reaches the folder through a symlinked
 * parent (/home/me/data → /mnt/data) is recognized as inside it.
 */
function relativeToRoot(realRoot: string, path: string): string {
  if (!isAbsolute(path)) return path
  let real = path
  try {
    real = realpathSync(path)
  } catch {
    // Missing: containedPath reports it (or refuses it when it is outside the folder).
  }
  return relative(realRoot, real)
}
