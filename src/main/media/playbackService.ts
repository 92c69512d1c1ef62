/**
 * Playback of catalog media in Chromium: which file to play (the original,
 * or a transcoded proxy for formats Chromium cannot play), each frame's
 * presentation time for frame-accurate stepping, thumbnails, and detection
 * of files that went missing or changed since import.
 *
 * SKELETON: the interface the API handlers use. Being implemented.
 */
import type { Playback, ProxyQueue } from '../../shared/contract'
import type { CatalogRepository } from '../catalog/catalogRepository'
import type { CatalogDb } from '../catalog/database'
import { UserError } from '../errors'

export interface PlaybackServiceOptions {
  db: CatalogDb
  repository: CatalogRepository
  /** Proxies and thumbnails, keyed by content hash (the user-data directory's `media-cache/`). */
  cacheDir: string
  /** At most this many ffmpeg jobs at once; defaults to the number of cores. */
  concurrency?: number
}

export class PlaybackService {
  constructor(private readonly options: PlaybackServiceOptions) {}

  /** What the player needs for one media file; starts making a proxy if one is needed. */
  playback(_mediaId: number): Playback {
    throw new UserError('unsupported', 'Playback is not implemented yet.')
  }

  /** Progress of the background proxy jobs. */
  queueStatus(): ProxyQueue {
    return { total: 0, done: 0, failed: 0, running: 0, pending: 0 }
  }

  /** Queue proxies for every linked media file that needs one (after an import). */
  enqueueAll(): void {}

  /** The file to serve for `/media/<id>/playback`. */
  playbackFile(_mediaId: number): string {
    throw new UserError('not_found', 'No playable file yet.')
  }

  /** A JPEG thumbnail of the first frame, made on first request. */
  async thumbnail(_mediaId: number): Promise<string> {
    throw new UserError('not_found', 'No thumbnail yet.')
  }

  /** Points an entry at another file inside its dataset folder. */
  async relink(_entryId: number, _path: string): Promise<void> {
    throw new UserError('unsupported', 'Relink is not implemented yet.')
  }

  /** Stops running ffmpeg jobs, leaving no partial files. */
  async close(): Promise<void> {}
}
