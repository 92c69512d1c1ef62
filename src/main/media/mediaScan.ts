/** Finding the media files of a dataset folder (`pocus_videos/…`, `pocus_images/…`). */
import { existsSync, lstatSync, readdirSync, type Stats } from 'node:fs'
import { extname, join, sep } from 'node:path'
import { IMAGE_EXTENSIONS, VIDEO_EXTENSIONS } from '../../shared/vocabulary'
import { utf8OrNull } from '../fs/utf8Name'

export interface ScannedMedia {
  /** Relative to the dataset root, with forward slashes. */
  relPath: string
  absPath: string
  stem: string
  kind: 'video' | 'image'
  sizeBytes: number
  mtimeMs: number
  /**
   * Set when the file cannot be taken in at all (its name is not valid UTF-8):
   * why, for the user. relPath and stem then show the name escaped, and the
   * file is neither probed nor hashed.
   */
  unreadable?: string
}

export const MEDIA_FOLDERS = ['pocus_videos', 'pocus_images'] as const

export function mediaKind(fileName: string): 'video' | 'image' | null {
  const ext = extname(fileName).toLowerCase()
  if ((VIDEO_EXTENSIONS as readonly string[]).includes(ext)) return 'video'
  if ((IMAGE_EXTENSIONS as readonly string[]).includes(ext)) return 'image'
  return null
}

/**
 * A file name's bytes as text a person can read and report: valid UTF-8
 * as is, every other byte (and control characters) as `\xNN`, so two names
 * that differ only in such bytes still read differently.
 */
export function escapeFileName(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  while (i < bytes.length) {
    let char: string | null = null
    let len = 1
    // A UTF-8 sequence is at most 4 bytes: the shortest prefix that decodes is this character.
    for (; len <= 4 && i + len <= bytes.length; len++) {
      char = utf8OrNull(bytes.subarray(i, i + len))
      if (char !== null) break
    }
    const code = char === null ? -1 : char.codePointAt(0)!
    if (char === null || code < 0x20 || code === 0x7f) {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`
      i++
    } else {
      out += char
      i += len
    }
  }
  return out
}

const NOT_UTF8 =
  'its name is not valid UTF-8 (the bytes that are not are shown as \\xNN), so it cannot be stored or linked by name. ' +
  'It was skipped; the other files were imported. Rename it (e.g. to the Filename in the CSV) and import again.'

export function scanMedia(root: string): ScannedMedia[] {
  const out: ScannedMedia[] = []
  /**
   * Names are read as bytes: a name that is not UTF-8 read as a string comes
   * back with U+FFFD in it, a path that does not exist, and lstat would fail.
   * `rel` is the path so far as text (escaped once a name is not UTF-8).
   */
  const walk = (dir: Buffer, rel: string, relValid: boolean): void => {
    let names: Buffer[]
    try {
      names = readdirSync(dir, { encoding: 'buffer' })
    } catch {
      return
    }
    const entries = names.map((bytes) => {
      const text = utf8OrNull(bytes)
      return { bytes, text, shown: text ?? escapeFileName(bytes) }
    })
    for (const { bytes, text, shown } of entries.sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0))) {
      const abs = Buffer.concat([dir, Buffer.from(sep), bytes])
      const relPath = `${rel}/${relValid && text !== null ? text : shown}`
      const valid = relValid && text !== null
      let st: Stats
      try {
        // Symlinks are not followed: media must live inside the dataset folder.
        st = lstatSync(abs)
      } catch {
        // Gone since the folder was listed: there is nothing left to import.
        continue
      }
      if (st.isDirectory()) walk(abs, relPath, valid)
      else if (st.isFile()) {
        const kind = mediaKind(shown)
        if (!kind) continue
        const name = relPath.slice(relPath.lastIndexOf('/') + 1)
        out.push({
          relPath,
          // Escaped, for an invalid name: a path that names no file, and nothing opens it.
          absPath: join(root, ...relPath.split('/')),
          stem: name.slice(0, name.length - extname(name).length),
          kind,
          sizeBytes: st.size,
          mtimeMs: Math.floor(st.mtimeMs),
          ...(valid ? {} : { unreadable: NOT_UTF8 })
        })
      }
    }
  }
  for (const f of MEDIA_FOLDERS) {
    const dir = join(root, f)
    // The media folders themselves must be real folders of the dataset, not links out of it.
    if (existsSync(dir) && lstatSync(dir).isDirectory()) walk(Buffer.from(dir), f, true)
  }
  return out
}
