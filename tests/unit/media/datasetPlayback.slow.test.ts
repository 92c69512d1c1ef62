/**
 * SLOW (about a minute on 2 cores): every clip of the shared dataset through
 * PlaybackService — 97 videos, 52 of them transcoded — checked against
 * ffprobe's decoded frame count (`-count_frames`). Covers every format of the
 * dataset: H.264 MP4/MOV (some with edit lists that discard packets), 4:4:4
 * H.264, MPEG-4 part 2 and H.264 in AVI, MPEG-2 (.mpeg), GIF, JPEG and PNG.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Playback } from '../../../src/shared/contract'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { ffprobePath } from '../../../src/main/media/ffmpegPaths'
import { PRIORITY } from '../../../src/main/media/ffmpegQueue'
import { mapLimit } from '../../../src/main/jobs/mapLimit'
import { readFrameTimes } from '../../../src/main/media/frameTimes'
import { scanMedia } from '../../../src/main/media/mediaScan'
import { PlaybackService } from '../../../src/main/media/playbackService'
import { SHARED_DATASET, tempDir } from '../../helpers/paths'

const run = promisify(execFile)

/** The independent reference: frames ffprobe decodes. */
async function countFrames(file: string): Promise<number> {
  const { stdout } = await run(ffprobePath()!, ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'default=nw=1:nk=1', file])
  return Number(stdout.trim())
}

const media = scanMedia(SHARED_DATASET)
const videos = media.filter((m) => m.kind === 'video')
const images = media.filter((m) => m.kind === 'image')

describe('shared dataset playback (slow)', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let service: PlaybackService
  const results = new Map<string, { playback: Playback; reference: number }>()

  beforeAll(async () => {
    tmp = tempDir('lus-dataset-playback-')
    db = openCatalog(join(tmp.path, 'catalog.db'))
    await importDataset(db, SHARED_DATASET)
    service = new PlaybackService({ db, repository: new CatalogRepository(db), cacheDir: join(tmp.path, 'cache'), concurrency: 2 })
    const ids = new Map(db.prepare<[], { id: number; rel_path: string }>('SELECT id, rel_path FROM media').all().map((r) => [r.rel_path, r.id]))
    const playbacks = await Promise.all(media.map((m) => service.prepare(ids.get(m.relPath)!, PRIORITY.background)))
    const references = await mapLimit(media, 2, (m) => (m.kind === 'video' ? countFrames(m.absPath) : Promise.resolve(1)))
    media.forEach((m, i) => results.set(m.relPath, { playback: playbacks[i]!, reference: references[i]! }))
  }, 600_000)
  afterAll(async () => {
    await service?.close()
    db?.close()
    tmp.cleanup()
  })

  it('holds the 97 videos and 28 images this test is written for', () => {
    expect([videos.length, images.length]).toEqual([97, 28])
  })

  it.each(videos.map((m) => [m.relPath, m.absPath] as const))('%s: one frame time per decoded frame', async (relPath, absPath) => {
    const { playback, reference } = results.get(relPath)!
    expect(playback.error).toBeNull()
    expect(playback.state).toBe('ready')
    expect(playback.frameCount).toBe(reference)
    expect(playback.frameTimes).toHaveLength(reference)
    for (let i = 1; i < playback.frameTimes.length; i++) expect(playback.frameTimes[i]!).toBeGreaterThanOrEqual(playback.frameTimes[i - 1]!)
    // Chromium demuxes neither AVI nor MPEG program streams, and plays no GIF as video.
    if (/\.(avi|mpeg|gif)$/i.test(relPath)) expect(playback.source).toBe('proxy')
    if (playback.source === 'proxy') {
      // Every source frame is kept with its own timestamp, shifted so the proxy starts at 0.
      const source = (await readFrameTimes(absPath)).frameTimes
      const shift = source[0]! - playback.frameTimes[0]!
      source.forEach((t, i) => expect(Math.abs(t - shift - playback.frameTimes[i]!)).toBeLessThan(2e-6))
      expect(playback.width! % 2).toBe(0)
      expect(playback.height! % 2).toBe(0)
    }
  })

  it.each(images.map((m) => m.relPath))('%s: a still, one frame at 0', (relPath) => {
    expect(results.get(relPath)!.playback).toMatchObject({ state: 'ready', source: 'image', frameTimes: [0], frameCount: 1 })
  })

  it('transcoded exactly the clips Chromium cannot play', () => {
    const proxied = [...results.entries()].filter(([, r]) => r.playback.source === 'proxy').map(([p]) => p)
    expect(proxied.filter((p) => /\.(avi|mpeg|gif)$/i.test(p))).toHaveLength(46)
    // The rest are 4:4:4 H.264 MP4s (Chromium decodes 4:2:0 only).
    expect(proxied.filter((p) => !/\.(avi|mpeg|gif)$/i.test(p)).sort()).toEqual(
      [
        'pocus_videos/convex/Pneu_Avi_Video_001.mp4',
        'pocus_videos/convex/Pneu_Avi_Video_002.mp4',
        'pocus_videos/convex/Pneu_Avi_Video_003.mp4',
        'pocus_videos/convex/Pneu_Avi_Video_004.mp4',
        'pocus_videos/convex/Reg_Avi_Video_001.mp4',
        'pocus_videos/convex/Reg_Avi_Video_002.mp4'
      ]
    )
    expect(service.queueStatus()).toMatchObject({ total: 52, done: 52, failed: 0 })
  })
})
