/**
 * The media URLs, shared by serve mode (`/media/…`) and the Electron scheme
 * (`lus-media://media/…`) so both answer alike:
 *
 *   <id>            the original file, as imported
 *   <id>/playback   what the player plays: the original, or its proxy (404 while it is made)
 *   <id>/thumb      a JPEG of the first frame (made on first request)
 *
 * Originals are contained in their dataset folder (containedPath); proxies
 * and thumbnails are named by content hash inside the cache folder.
 */
import type { CatalogRepository } from '../catalog/catalogRepository'
import { UserError } from '../errors'
import { mediaFilePath } from './mediaFiles'
import type { PlaybackService } from './playbackService'

export type MediaVariant = 'original' | 'playback' | 'thumb'

export interface MediaTarget {
  id: number
  variant: MediaVariant
}

export type MediaAnswer = { file: string } | { status: 400 | 403 | 404 | 422 | 503; message: string }

/** `rest` is the path after `/media/`: `12`, `12/playback` or `12/thumb`. */
export function parseMediaPath(rest: string): MediaTarget | null {
  const m = /^([1-9]\d{0,15})(?:\/(playback|thumb))?$/.exec(rest)
  if (!m) return null
  const id = Number(m[1])
  if (!Number.isSafeInteger(id)) return null
  return { id, variant: (m[2] as MediaVariant | undefined) ?? 'original' }
}

export async function resolveMediaFile(
  target: MediaTarget,
  repository: CatalogRepository,
  playback: PlaybackService | undefined
): Promise<MediaAnswer> {
  try {
    if (target.variant === 'original') return { file: mediaFilePath(repository, target.id) }
    if (!playback) return { status: 503, message: 'Playback is not available in this host.' }
    if (target.variant === 'playback') return { file: playback.playbackFile(target.id) }
    return { file: await playback.thumbnail(target.id) }
  } catch (e) {
    if (!(e instanceof UserError)) throw e
    const status = e.code === 'not_found' ? 404 : e.code === 'bad_input' ? 403 : 422
    return { status, message: e.message }
  }
}
