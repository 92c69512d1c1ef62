/**
 * The on-disk media cache, keyed by content hash so that one clip imported
 * into several catalogs (or re-imported) is transcoded once:
 *
 *   <cacheDir>/proxies/<sha256>.mp4             the H.264 proxy
 *   <cacheDir>/proxies/<sha256>.proxy.json      frame times of the proxy
 *   <cacheDir>/proxies/<sha256>.original.json   frame times of an original that plays as is
 *   <cacheDir>/thumbs/<sha256>.jpg              first-frame thumbnail
 *
 * Everything is written under a temporary name in the same folder and
 * renamed into place, so a file under its final name is always complete.
 * Temporary names carry the writer's pid: a later start removes the ones
 * whose process is gone, never those of another live process sharing the
 * cache (the app and `lus-review serve` use the same user-data folder).
 *
 * The proxy recipe is part of the folder name's meaning: change the ffmpeg
 * arguments in transcode.ts and rename PROXY_DIR, or old proxies are reused.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../fs/atomicWrite'
import { SHA256_HEX } from './contentHash'
import type { FrameInfo } from './frameTimes'

export const PROXY_DIR = 'proxies'
export const THUMB_DIR = 'thumbs'

export type PlayedVariant = 'original' | 'proxy'

const TEMP_NAME = /\.(\d+)-[0-9a-f]+\.tmp$/

function assertSha(sha: string): string {
  // The hash becomes a file name: anything but 64 hex digits could name a path outside the cache.
  if (!SHA256_HEX.test(sha)) throw new Error(`not a SHA-256: ${sha}`)
  return sha
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class MediaCache {
  readonly proxiesDir: string
  readonly thumbsDir: string
  private readonly frames = new Map<string, FrameInfo>()

  constructor(readonly cacheDir: string) {
    this.proxiesDir = join(cacheDir, PROXY_DIR)
    this.thumbsDir = join(cacheDir, THUMB_DIR)
    mkdirSync(this.proxiesDir, { recursive: true })
    mkdirSync(this.thumbsDir, { recursive: true })
  }

  proxyPath(sha: string): string {
    return join(this.proxiesDir, `${assertSha(sha)}.mp4`)
  }

  framesPath(sha: string, variant: PlayedVariant): string {
    return join(this.proxiesDir, `${assertSha(sha)}.${variant}.json`)
  }

  thumbPath(sha: string): string {
    return join(this.thumbsDir, `${assertSha(sha)}.jpg`)
  }

  /** A unique temporary name beside `finalPath`. */
  tempFor(finalPath: string): string {
    return `${finalPath}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`
  }

  /** Removes temporary files left by processes that died mid-job; returns how many. */
  removeStaleTemps(): number {
    let removed = 0
    for (const dir of [this.proxiesDir, this.thumbsDir]) {
      for (const name of readdirSync(dir)) {
        const m = TEMP_NAME.exec(name)
        if (!m) continue
        const pid = Number(m[1])
        if (pid === process.pid || processAlive(pid)) continue
        rmSync(join(dir, name), { force: true })
        removed++
      }
    }
    return removed
  }

  /** The cached frame times of what plays for this content, or null when not made yet. */
  readFrames(sha: string, variant: PlayedVariant): FrameInfo | null {
    const key = `${sha}.${variant}`
    const memo = this.frames.get(key)
    if (memo) return memo
    const file = this.framesPath(sha, variant)
    if (!existsSync(file)) return null
    if (variant === 'proxy' && !existsSync(this.proxyPath(sha))) return null
    let info: FrameInfo
    try {
      info = JSON.parse(readFileSync(file, 'utf8')) as FrameInfo
    } catch {
      return null // unreadable (a disk error, a hand edit): made again
    }
    if (!Array.isArray(info.frameTimes) || info.frameTimes.length === 0) return null
    this.frames.set(key, info)
    return info
  }

  writeFrames(sha: string, variant: PlayedVariant, info: FrameInfo): void {
    const file = this.framesPath(sha, variant)
    writeFileAtomic(file, JSON.stringify(info))
    this.frames.set(`${sha}.${variant}`, info)
  }
}
