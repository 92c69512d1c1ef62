/**
 * Proxy creation for every video of a dataset that Chromium cannot play:
 * through PlaybackService (its bounded queue, hashing, stream probe and the
 * proxy's frame-time listing included) against the same ffmpeg command run
 * bare, one file after the other. The ratio tells what the service's
 * parallelism gains, net of its bookkeeping. Prints nothing, asserts nothing.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { CatalogRepository } from '../src/main/catalog/catalogRepository'
import { openCatalog } from '../src/main/catalog/database'
import { importDataset } from '../src/main/dataset/datasetImport'
import { ffmpegPath } from '../src/main/media/ffmpegPaths'
import { requireH264Encoder } from '../src/main/media/h264Encoder'
import { containedPath } from '../src/main/media/mediaResponse'
import { analyzeStream, playsInChromium } from '../src/main/media/playability'
import { PlaybackService } from '../src/main/media/playbackService'
import { runProcess } from '../src/main/media/processRun'
import { proxyArgs } from '../src/main/media/transcode'

export interface ProxyBench {
  /** Wall time for the service to make every proxy (default concurrency: the number of cores). */
  proxyAllSeconds: number
  /** Wall time for the same ffmpeg command, bare and sequential, on the same files. */
  bareFfmpegSeconds: number
  /** proxyAllSeconds / bareFfmpegSeconds: below 1, the queue's parallelism wins. */
  ratio: number
  files: number
}

export async function benchProxies(datasetDir: string, workDir: string): Promise<ProxyBench> {
  const ffmpeg = ffmpegPath()
  if (!ffmpeg) throw new Error('ffmpeg is required for the proxy bench')
  mkdirSync(workDir, { recursive: true })
  const catalog = join(workDir, 'proxy-bench.db')
  const cacheDir = join(workDir, 'proxy-bench-cache')
  const bareDir = join(workDir, 'proxy-bench-bare')
  for (const p of [catalog, `${catalog}-wal`, `${catalog}-shm`, cacheDir, bareDir]) rmSync(p, { recursive: true, force: true })
  mkdirSync(bareDir)

  const db = openCatalog(catalog)
  try {
    await importDataset(db, datasetDir)
    // Which files need a proxy is decided before the clock starts, the same way the service decides.
    const videos = db
      .prepare<[], { id: number; root: string; rel_path: string }>(
        `SELECT m.id, s.root, m.rel_path FROM media m JOIN sources s ON s.id = m.source_id
         WHERE m.kind = 'video' AND m.error IS NULL ORDER BY m.id`
      )
      .all()
    const needing: { id: number; file: string }[] = []
    for (const v of videos) {
      const file = containedPath(v.root, v.rel_path)
      if (!playsInChromium(file, await analyzeStream(file))) needing.push({ id: v.id, file })
    }

    const service = new PlaybackService({ db, repository: new CatalogRepository(db), cacheDir })
    let proxyAllSeconds: number
    try {
      const t = performance.now()
      const results = await Promise.all(needing.map((n) => service.prepare(n.id)))
      proxyAllSeconds = (performance.now() - t) / 1000
      const bad = results.filter((r) => r.state !== 'ready' || r.source !== 'proxy')
      if (bad.length > 0) throw new Error(`proxy bench: ${bad.length} proxies not made (first: ${bad[0]!.error ?? bad[0]!.state})`)
    } finally {
      await service.close()
    }

    // The encoder the service chose (detected once, cached), so the bare runs encode exactly as the proxies did.
    const encoder = await requireH264Encoder('Playback copies', ffmpeg)
    const t = performance.now()
    for (const [i, n] of needing.entries()) await runProcess(ffmpeg, proxyArgs(n.file, join(bareDir, `${i}.mp4`), encoder))
    const bareFfmpegSeconds = (performance.now() - t) / 1000

    return { proxyAllSeconds, bareFfmpegSeconds, ratio: proxyAllSeconds / bareFfmpegSeconds, files: needing.length }
  } finally {
    db.close()
  }
}
