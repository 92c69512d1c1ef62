/**
 * Playback of catalog media in Chromium: which file to play (the original,
 * or a transcoded proxy for formats Chromium cannot play), each frame's
 * presentation time for frame-accurate stepping, thumbnails, and detection
 * of files that went missing or changed since import.
 *
 * Preparing a clip is a chain of queued jobs — hash the file, probe its
 * stream, then either list the original's frame times or make a proxy and
 * list its frame times — each keyed by content hash and cached on disk.
 * `playback()` is synchronous: it walks the chain as far as finished jobs
 * allow, submits the next one, and answers `preparing` until the chain is
 * done; the UI polls. `enqueueAll()` walks the same chain in the background.
 *
 * These checks never modify the catalog entry; the only write is filling a
 * media row's missing `sha256` once the file is known to be the imported one.
 */
import { availableParallelism } from 'node:os'
import { existsSync, statSync } from 'node:fs'
import type { Playback, ProxyQueue } from '../../shared/contract'
import type { CatalogRepository } from '../catalog/catalogRepository'
import type { CatalogDb } from '../catalog/database'
import type { MediaWithRoot } from '../catalog/mediaTable'
import { UserError } from '../errors'
import { sha256File } from './contentHash'
import { FfmpegQueue, PRIORITY, type JobSpec, type JobView } from './ffmpegQueue'
import { readFrameTimes, type FrameInfo } from './frameTimes'
import { containedPath } from './mediaResponse'
import { analyzeStream, playableContainer, playsInChromium, type StreamInfo } from './playability'
import { MediaCache } from './proxyCache'
import { MediaRelinker } from './relink'
import { makeProxy, makeThumbnail } from './transcode'

export interface PlaybackServiceOptions {
  db: CatalogDb
  repository: CatalogRepository
  /** Proxies and thumbnails, keyed by content hash (the user-data directory's `media-cache/`). */
  cacheDir: string
  /** At most this many ffmpeg jobs at once; defaults to the number of cores. */
  concurrency?: number
}

/** A media row with its source's folder (catalog/mediaTable.ts). */
type MediaRow = MediaWithRoot

/** Where the chain stands: an answer, or an answer for now plus the job to wait for. */
type Step = { playback: Playback; waitFor: Promise<unknown> | null }

/** The file on disk, identified by content. */
type Identity = { file: string; sha: string } | Step

export class PlaybackService {
  private readonly cache: MediaCache
  private readonly queue: FfmpegQueue
  private readonly relinker: MediaRelinker
  private readonly repository: CatalogRepository
  private closed = false

  constructor(options: PlaybackServiceOptions) {
    this.cache = new MediaCache(options.cacheDir)
    this.cache.removeStaleTemps()
    this.queue = new FfmpegQueue(options.concurrency ?? availableParallelism())
    this.relinker = new MediaRelinker(options.db)
    this.repository = options.repository
  }

  /** What the player needs for one media file; starts making a proxy if one is needed. */
  playback(mediaId: number): Playback {
    return this.advance(this.row(mediaId), PRIORITY.interactive).playback
  }

  /** Progress of the background proxy jobs (since the service started). */
  queueStatus(): ProxyQueue {
    return this.queue.counts('proxy')
  }

  /** Queue proxies for every linked media file that needs one (after an import), then thumbnails. */
  enqueueAll(): void {
    if (this.closed) return
    for (const id of this.repository.tables.entries.linkedMediaIds()) {
      // Failures are recorded in the jobs and answered by playback(); nothing to report here.
      this.prepare(id, PRIORITY.background)
        .then(() => this.thumbnailWith(id, PRIORITY.backgroundLow))
        .catch(() => {})
    }
  }

  /** Walks the chain to its end; resolves with the final state. */
  async prepare(mediaId: number, priority: number = PRIORITY.interactive): Promise<Playback> {
    for (;;) {
      const step = this.advance(this.row(mediaId), priority)
      if (!step.waitFor) return step.playback
      await step.waitFor.catch(() => {})
    }
  }

  /** The file to serve for `/media/<id>/playback`. */
  playbackFile(mediaId: number): string {
    const row = this.row(mediaId)
    const p = this.advance(row, PRIORITY.interactive).playback
    if (p.state === 'ready') {
      if (p.source === 'proxy') return this.cache.proxyPath(this.readySha(row))
      return containedPath(row.root, row.rel_path)
    }
    const why =
      p.state === 'preparing'
        ? `A playable copy of ${row.rel_path} is being prepared${p.progress ? ` (${Math.round(p.progress * 100)}%)` : ''}; try again shortly.`
        : (p.error ?? `${row.rel_path} cannot be played.`)
    throw new UserError('not_found', why)
  }

  /** A JPEG thumbnail of the first frame, made on first request. */
  thumbnail(mediaId: number): Promise<string> {
    return this.thumbnailWith(mediaId, PRIORITY.interactive)
  }

  /** Points an entry at another file inside its dataset folder. */
  async relink(entryId: number, path: string): Promise<void> {
    await this.relinker.relink(entryId, path)
  }

  /** Stops running ffmpeg jobs, leaving no partial files. */
  async close(): Promise<void> {
    this.closed = true
    await this.queue.close()
  }

  // ---------------------------------------------------------------------------

  private row(mediaId: number): MediaRow {
    const row = this.repository.tables.media.withRoot(mediaId)
    if (!row) throw new UserError('not_found', `No media with id ${mediaId}.`)
    return row
  }

  /** Only called for a ready row, whose hash is known. */
  private readySha(row: MediaRow): string {
    const id = this.identify(row, PRIORITY.interactive)
    if ('sha' in id) return id.sha
    throw new UserError('not_found', id.playback.error ?? `${row.rel_path} is not ready.`)
  }

  private advance(row: MediaRow, priority: number): Step {
    const id = this.identify(row, priority)
    if (!('sha' in id)) return id
    const { file, sha } = id

    if (row.kind === 'image')
      return this.ready(row, 'image', { frameTimes: [0], width: row.width, height: row.height, durationS: null })
    // The content was found playable before; this copy's name must also be one Chromium accepts.
    const original = playableContainer(file) ? this.cache.readFrames(sha, 'original') : null
    if (original) return this.ready(row, 'original', original)
    const proxy = this.cache.readFrames(sha, 'proxy')
    if (proxy) return this.ready(row, 'proxy', proxy)

    const analysis = this.ensure<StreamInfo>({
      key: `analyze:${sha}`,
      kind: 'analyze',
      priority,
      run: ({ signal }) => analyzeStream(file, signal)
    })
    if (analysis.view.state === 'failed')
      return this.final(row, 'failed', 'original', `${row.rel_path} cannot be read: ${analysis.view.error}.`)
    if (analysis.view.state !== 'done') return this.waiting(row, 'original', null, analysis.promise)

    if (playsInChromium(file, analysis.view.result!)) {
      const frames = this.ensure<FrameInfo>({
        key: `frames:${sha}`,
        kind: 'frames',
        priority,
        run: async ({ signal }) => {
          const info = await readFrameTimes(file, signal)
          this.cache.writeFrames(sha, 'original', info)
          return info
        }
      })
      if (frames.view.state === 'failed')
        return this.final(row, 'failed', 'original', `The frames of ${row.rel_path} cannot be read: ${frames.view.error}.`)
      if (frames.view.state !== 'done') return this.waiting(row, 'original', null, frames.promise)
      return this.ready(row, 'original', frames.view.result!)
    }

    const made = this.ensure<FrameInfo>(
      {
        key: `proxy:${sha}`,
        kind: 'proxy',
        priority,
        run: ({ signal, progress }) =>
          makeProxy(file, sha, this.cache, { signal, expectedFrames: row.frames, expectedDurationS: row.duration_s, onProgress: progress })
      },
      this.cache.proxyPath(sha)
    )
    if (made.view.state === 'failed')
      return this.final(row, 'failed', 'proxy', `A playable copy of ${row.rel_path} could not be made: ${made.view.error}.`)
    if (made.view.state !== 'done') return this.waiting(row, 'proxy', made.view.progress ?? 0, made.promise)
    return this.ready(row, 'proxy', made.view.result!)
  }

  /**
   * The file behind the row and its content hash, or why there is none yet:
   * missing, changed since import (size/mtime differ and so does the hash),
   * or still being hashed.
   */
  private identify(row: MediaRow, priority: number): Identity {
    const source = row.kind === 'image' ? 'image' : 'original'
    let file: string
    try {
      file = containedPath(row.root, row.rel_path)
    } catch (e) {
      if (!(e instanceof UserError)) throw e
      return this.final(row, 'missing', source, `${e.message} Relink the entry to the file's new location.`)
    }
    const st = statSync(file)
    const mtime = Math.floor(st.mtimeMs)
    const unchanged = st.size === row.size_bytes && mtime === row.mtime_ms
    if (unchanged && row.sha256) return { file, sha: row.sha256 }

    const hash = this.ensure<string>({
      key: `hash:${file}:${st.size}:${mtime}`,
      kind: 'hash',
      priority,
      run: ({ signal }) => sha256File(file, signal)
    })
    if (hash.view.state === 'failed') return this.final(row, 'failed', source, `${row.rel_path} cannot be read: ${hash.view.error}.`)
    if (hash.view.state !== 'done') return this.waiting(row, source, null, hash.promise)
    const sha = hash.view.result!
    if (unchanged) {
      this.repository.tables.media.fillSha256(row.id, sha, row.size_bytes, row.mtime_ms)
      return { file, sha }
    }
    // A copy or a `touch` changes the mtime but not the content: still the imported file.
    if (row.sha256 === sha) return { file, sha }
    const what = st.size !== row.size_bytes ? `its size went from ${row.size_bytes} to ${st.size} bytes` : 'its content differs'
    return this.final(
      row,
      'changed',
      source,
      `${row.rel_path} changed since it was imported (${what}). Relink the entry to the right file, or re-import the folder to accept the new one.`
    )
  }

  private async thumbnailWith(mediaId: number, priority: number): Promise<string> {
    const row = this.row(mediaId)
    const file = containedPath(row.root, row.rel_path)
    const st = statSync(file)
    const mtime = Math.floor(st.mtimeMs)
    // The thumbnail shows what is on disk now, changed or not: keyed by the current content.
    const sha =
      st.size === row.size_bytes && mtime === row.mtime_ms && row.sha256
        ? row.sha256
        : await this.ensure<string>({
            key: `hash:${file}:${st.size}:${mtime}`,
            kind: 'hash',
            priority,
            run: ({ signal }) => sha256File(file, signal)
          }).promise
    const thumb = this.cache.thumbPath(sha)
    if (existsSync(thumb)) return thumb
    try {
      return await this.ensure<string>(
        { key: `thumb:${sha}`, kind: 'thumb', priority, run: ({ signal }) => makeThumbnail(file, sha, this.cache, signal) },
        thumb
      ).promise
    } catch (e) {
      throw new UserError('unsupported', `No thumbnail of ${row.rel_path}: ${(e as Error).message}.`)
    }
  }

  /**
   * Submits the job (or joins the existing one, raising its priority) and
   * returns its state. `output`: a job that finished but whose file has
   * since been deleted from the cache is run again.
   */
  private ensure<T>(spec: JobSpec<T>, output?: string): { view: JobView<T>; promise: Promise<T> } {
    if (this.closed) throw new UserError('unsupported', 'The media service has shut down.')
    const prior = this.queue.get<T>(spec.key)
    if (output && prior?.state === 'done' && !existsSync(output)) this.queue.forget(spec.key)
    const promise = this.queue.submit(spec)
    return { view: this.queue.get<T>(spec.key)!, promise }
  }

  private base(row: MediaRow, source: Playback['source']): Playback {
    return {
      mediaId: row.id,
      state: 'preparing',
      source,
      frameTimes: [],
      frameCount: 0,
      fps: row.fps,
      width: row.width,
      height: row.height,
      durationS: row.duration_s,
      progress: null,
      error: null
    }
  }

  private ready(row: MediaRow, source: Playback['source'], info: FrameInfo): Step {
    return {
      playback: {
        ...this.base(row, source),
        state: 'ready',
        frameTimes: info.frameTimes,
        frameCount: info.frameTimes.length,
        width: info.width ?? row.width,
        height: info.height ?? row.height,
        durationS: info.durationS ?? row.duration_s
      },
      waitFor: null
    }
  }

  private final(row: MediaRow, state: 'failed' | 'missing' | 'changed', source: Playback['source'], error: string): Step {
    return { playback: { ...this.base(row, source), state, error }, waitFor: null }
  }

  private waiting(row: MediaRow, source: Playback['source'], progress: number | null, until: Promise<unknown>): Step {
    return { playback: { ...this.base(row, source), progress }, waitFor: until }
  }
}
