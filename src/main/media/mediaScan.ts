/** Finding the media files of a dataset folder (`pocus_videos/…`, `pocus_images/…`). */
import { existsSync, lstatSync, readdirSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import { IMAGE_EXTENSIONS, VIDEO_EXTENSIONS } from '../../shared/vocabulary'

export interface ScannedMedia {
  /** Relative to the dataset root, with forward slashes. */
  relPath: string
  absPath: string
  stem: string
  kind: 'video' | 'image'
  sizeBytes: number
  mtimeMs: number
}

export const MEDIA_FOLDERS = ['pocus_videos', 'pocus_images'] as const

export function mediaKind(fileName: string): 'video' | 'image' | null {
  const ext = extname(fileName).toLowerCase()
  if ((VIDEO_EXTENSIONS as readonly string[]).includes(ext)) return 'video'
  if ((IMAGE_EXTENSIONS as readonly string[]).includes(ext)) return 'image'
  return null
}

export function scanMedia(root: string): ScannedMedia[] {
  const out: ScannedMedia[] = []
  const walk = (dir: string): void => {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      return
    }
    for (const name of names.sort()) {
      const abs = join(dir, name)
      // Symlinks are not followed: media must live inside the dataset folder.
      const st = lstatSync(abs)
      if (st.isDirectory()) walk(abs)
      else if (st.isFile()) {
        const kind = mediaKind(name)
        if (!kind) continue
        out.push({
          relPath: relative(root, abs).split(sep).join('/'),
          absPath: abs,
          stem: name.slice(0, name.length - extname(name).length),
          kind,
          sizeBytes: st.size,
          mtimeMs: Math.floor(st.mtimeMs)
        })
      }
    }
  }
  for (const f of MEDIA_FOLDERS) {
    const dir = join(root, f)
    // The media folders themselves must be real folders of the dataset, not links out of it.
    if (existsSync(dir) && lstatSync(dir).isDirectory()) walk(dir)
  }
  return out
}
