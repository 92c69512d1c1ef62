import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { UserError } from '../../../src/main/errors'
import { sha256File } from '../../../src/main/media/contentHash'
import { PlaybackService } from '../../../src/main/media/playbackService'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { csvText, makeClip, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'
import { decodedFrameCount, makeFormatClip, streamFacts, truncatedCopy, type ClipFormat } from './clips'

const V = 'pocus_videos/convex'
const I = 'pocus_images/convex'

/** The dataset of this file: one clip per format, plus clips the tests break on purpose. */
const FILES: Record<string, { format: ClipFormat; frames?: number; fps?: number; size?: string }> = {
  [`${V}/h264.mp4`]: { format: 'h264' },
  [`${V}/yuv444.mp4`]: { format: 'h264-444' },
  [`${V}/mpeg4.avi`]: { format: 'mpeg4-avi' },
  [`${V}/mpeg2.mpeg`]: { format: 'mpeg2', fps: 25 },
  [`${V}/anim.gif`]: { format: 'gif' },
  [`${I}/still.png`]: { format: 'png' },
  [`${V}/gone.mp4`]: { format: 'h264' },
  [`${V}/edited.mp4`]: { format: 'h264' },
  [`${V}/touched.mp4`]: { format: 'h264', frames: 9 },
  [`${V}/nullsha.mp4`]: { format: 'h264', frames: 8 },
  [`${V}/nullsha-touched.mp4`]: { format: 'h264', frames: 7 },
  [`${V}/long.avi`]: { format: 'mpeg4-avi', frames: 900, fps: 30, size: '640x480' }
}

function stemOf(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1, rel.lastIndexOf('.'))
}

function buildDataset(root: string, files: typeof FILES, extraRows: string[] = []): void {
  const rows = [...Object.keys(files).map((rel) => row(stemOf(rel), rel.startsWith('pocus_images') ? { Type: 'image' } : {})), ...extraRows.map((s) => row(s))]
  mkdirSync(join(root, V), { recursive: true })
  for (const [rel, spec] of Object.entries(files)) makeFormatClip(join(root, rel), spec.format, spec)
  writeFileSync(join(root, 'dataset_metadata.csv'), csvText(rows))
}

function mediaIdOf(db: CatalogDb, root: string, stem: string): number {
  const r = db
    .prepare<[string, string], { id: number }>('SELECT m.id FROM media m JOIN sources s ON s.id = m.source_id WHERE s.root = ? AND m.stem = ?')
    .get(root, stem)
  if (!r) throw new Error(`no media ${stem}`)
  return r.id
}

function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : []
}

describe('PlaybackService', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let service: PlaybackService
  let root: string
  let cacheDir: string
  const id = (stem: string): number => mediaIdOf(db, root, stem)
  const fileOf = (rel: string): string => join(root, rel)

  beforeAll(async () => {
    tmp = tempDir('lus-playback-')
    root = join(tmp.path, 'dataset')
    buildDataset(root, FILES)
    // Truncated at half: the container header survives, the stream does not.
    makeFormatClip(join(tmp.path, 'whole.avi'), 'mpeg4-avi', { frames: 60, size: '160x120' })
    truncatedCopy(join(tmp.path, 'whole.avi'), join(root, V, 'broken.avi'), 0.5)
    writeFileSync(join(root, 'dataset_metadata.csv'), csvText([...Object.keys(FILES).map((rel) => row(stemOf(rel))), row('broken')]))
    db = openCatalog(join(tmp.path, 'catalog.db'))
    await importDataset(db, root)
    root = db.prepare<[], { root: string }>('SELECT root FROM sources').get()!.root
    cacheDir = join(tmp.path, 'cache')
    service = new PlaybackService({ db, repository: new CatalogRepository(db), cacheDir, concurrency: 2 })
  })
  afterAll(async () => {
    await service.close()
    db.close()
    tmp.cleanup()
  })

  it('plays an 8-bit 4:2:0 H.264 MP4 as it is, with every decoded frame time', async () => {
    const p = await service.prepare(id('h264'))
    expect(p).toMatchObject({ state: 'ready', source: 'original', frameCount: 12, width: 64, height: 48, error: null })
    expect(p.frameTimes).toHaveLength(12)
    expect(p.frameTimes[0]).toBe(0)
    expect(p.frameTimes[11]).toBeCloseTo(1.1, 6)
    expect(service.playbackFile(id('h264'))).toBe(fileOf(`${V}/h264.mp4`))
    const sha = await sha256File(fileOf(`${V}/h264.mp4`))
    expect(filesIn(join(cacheDir, 'proxies'))).toContain(`${sha}.original.json`)
    expect(filesIn(join(cacheDir, 'proxies'))).not.toContain(`${sha}.mp4`)
  })

  it.each([
    ['yuv444', `${V}/yuv444.mp4`],
    ['mpeg4', `${V}/mpeg4.avi`],
    ['mpeg2', `${V}/mpeg2.mpeg`],
    ['anim', `${V}/anim.gif`]
  ])('makes an H.264 proxy of %s, cached by content hash, keeping every frame', async (stem, rel) => {
    const p = await service.prepare(id(stem))
    expect(p.error).toBeNull()
    expect(p).toMatchObject({ state: 'ready', source: 'proxy', width: 64, height: 48 })
    expect(p.frameCount).toBe(await decodedFrameCount(fileOf(rel)))
    expect(p.frameTimes).toEqual([...p.frameTimes].sort((a, b) => a - b))

    const sha = await sha256File(fileOf(rel))
    const proxy = join(cacheDir, 'proxies', `${sha}.mp4`)
    expect(service.playbackFile(id(stem))).toBe(proxy)
    expect(await streamFacts(proxy)).toEqual({ codec: 'h264', pixFmt: 'yuv420p', width: 64, height: 48 })
    expect(await decodedFrameCount(proxy)).toBe(p.frameCount)
    const cached = JSON.parse(readFileSync(join(cacheDir, 'proxies', `${sha}.proxy.json`), 'utf8')) as { frameTimes: number[] }
    expect(cached.frameTimes).toEqual(p.frameTimes)
  })

  it('answers preparing with progress until the proxy exists, and serves nothing meanwhile', () => {
    const first = service.playback(id('long'))
    expect(first).toMatchObject({ state: 'preparing', source: expect.stringMatching(/original|proxy/), frameCount: 0, frameTimes: [] })
    expect(() => service.playbackFile(id('long'))).toThrow(/being prepared/)
  })

  it('reuses a proxy for the same content: no second ffmpeg job, in this service or a new one', async () => {
    await service.prepare(id('mpeg4'))
    const proxiesBefore = service.queueStatus().total
    // The same bytes under another name, in a second dataset folder of the same catalog.
    const root2 = join(tmp.path, 'dataset2')
    buildDataset(root2, {})
    copyFileSync(fileOf(`${V}/mpeg4.avi`), join(root2, V, 'copy-of-mpeg4.avi'))
    writeFileSync(join(root2, 'dataset_metadata.csv'), csvText([row('copy-of-mpeg4')]))
    await importDataset(db, root2)
    const copyId = db.prepare<[], { id: number }>("SELECT id FROM media WHERE stem = 'copy-of-mpeg4'").get()!.id

    const again = await service.prepare(copyId)
    expect(again).toMatchObject({ state: 'ready', source: 'proxy' })
    expect(service.queueStatus().total).toBe(proxiesBefore)

    // A fresh service (a restart) over the same cache: ready on the very first call, no job at all.
    const fresh = new PlaybackService({ db, repository: new CatalogRepository(db), cacheDir, concurrency: 2 })
    try {
      expect(fresh.playback(copyId)).toMatchObject({ state: 'ready', source: 'proxy', frameCount: again.frameCount })
      expect(fresh.queueStatus()).toEqual({ total: 0, done: 0, failed: 0, running: 0, pending: 0 })
    } finally {
      await fresh.close()
    }
  })

  it('gives a proxy to a copy of a playable clip under a name Chromium does not demux', async () => {
    expect((await service.prepare(id('h264'))).source).toBe('original')
    const root3 = join(tmp.path, 'dataset3')
    buildDataset(root3, {})
    copyFileSync(fileOf(`${V}/h264.mp4`), join(root3, V, 'h264-as.avi'))
    writeFileSync(join(root3, 'dataset_metadata.csv'), csvText([row('h264-as')]))
    await importDataset(db, root3)
    const copyId = db.prepare<[], { id: number }>("SELECT id FROM media WHERE stem = 'h264-as'").get()!.id
    expect(await service.prepare(copyId)).toMatchObject({ state: 'ready', source: 'proxy', frameCount: 12 })
    expect(service.playbackFile(copyId)).toMatch(/proxies\/[0-9a-f]{64}\.mp4$/)
  })

  it('fails with ffmpeg’s reason on a truncated file and leaves nothing in the cache', async () => {
    const p = await service.prepare(id('broken'))
    expect(p.state).toBe('failed')
    expect(p.error).toMatch(/broken\.avi/)
    expect(p.error).toMatch(/corrupt|invalid|error|damaged/i)
    // Paths never reach the UI: ffmpeg's own mention of the file is cut to its name.
    expect(p.error).not.toContain(tmp.path)
    expect(service.queueStatus().failed).toBeGreaterThanOrEqual(1)
    const sha = await sha256File(fileOf(`${V}/broken.avi`))
    expect(filesIn(join(cacheDir, 'proxies')).filter((f) => f.startsWith(sha) || f.endsWith('.tmp'))).toEqual([])
    expect(() => service.playbackFile(id('broken'))).toThrow(UserError)
    // Asked again, the failure is reported as is, not retried in a loop.
    expect(service.playback(id('broken'))).toMatchObject({ state: 'failed', error: p.error })
  })

  it('plays an image as one frame at time 0', () => {
    expect(service.playback(id('still'))).toMatchObject({
      state: 'ready',
      source: 'image',
      frameTimes: [0],
      frameCount: 1,
      width: 65,
      height: 49,
      error: null
    })
    expect(service.playbackFile(id('still'))).toBe(fileOf(`${I}/still.png`))
  })

  it('reports a file gone since import as missing, offering relink, without touching the catalog', () => {
    const before = snapshotCatalog(db)
    rmSync(fileOf(`${V}/gone.mp4`))
    const p = service.playback(id('gone'))
    expect(p.state).toBe('missing')
    expect(p.error).toMatch(/gone\.mp4/)
    expect(p.error).toMatch(/[Rr]elink/)
    expect(() => service.playbackFile(id('gone'))).toThrow(/missing/)
    expect(snapshotCatalog(db)).toBe(before)
  })

  it('reports a file whose size and hash changed as changed, without touching the catalog', async () => {
    const before = snapshotCatalog(db)
    makeClip(fileOf(`${V}/edited.mp4`), { frames: 30 })
    const p = await service.prepare(id('edited'))
    expect(p.state).toBe('changed')
    expect(p.error).toMatch(/edited\.mp4 changed since it was imported/)
    expect(p.error).toMatch(/[Rr]elink/)
    expect(snapshotCatalog(db)).toBe(before)
  })

  it('still plays a file whose mtime changed but whose content did not', async () => {
    const file = fileOf(`${V}/touched.mp4`)
    const later = new Date(statSync(file).mtimeMs + 60_000)
    utimesSync(file, later, later)
    const p = await service.prepare(id('touched'))
    expect(p).toMatchObject({ state: 'ready', source: 'original', frameCount: 9 })
  })

  it('computes a missing sha256 lazily and stores it once the file is the imported one', async () => {
    const mediaId = id('nullsha')
    db.prepare('UPDATE media SET sha256 = NULL WHERE id = ?').run(mediaId)
    const p = await service.prepare(mediaId)
    expect(p).toMatchObject({ state: 'ready', frameCount: 8 })
    const stored = db.prepare<[number], { sha256: string | null }>('SELECT sha256 FROM media WHERE id = ?').get(mediaId)!.sha256
    expect(stored).toBe(await sha256File(fileOf(`${V}/nullsha.mp4`)))
  })

  it('without a stored hash, cannot vouch for a file whose mtime changed: changed', async () => {
    const mediaId = id('nullsha-touched')
    db.prepare('UPDATE media SET sha256 = NULL WHERE id = ?').run(mediaId)
    const file = fileOf(`${V}/nullsha-touched.mp4`)
    const later = new Date(statSync(file).mtimeMs + 60_000)
    utimesSync(file, later, later)
    const before = snapshotCatalog(db)
    expect((await service.prepare(mediaId)).state).toBe('changed')
    expect(snapshotCatalog(db)).toBe(before)
  })

  it('refuses unknown media ids', () => {
    expect(() => service.playback(999_999)).toThrow(/No media with id 999999/)
  })

  it('makes a 160 px JPEG thumbnail of the first frame once, then reuses it', async () => {
    const path = await service.thumbnail(id('anim'))
    const sha = await sha256File(fileOf(`${V}/anim.gif`))
    expect(path).toBe(join(cacheDir, 'thumbs', `${sha}.jpg`))
    expect([...readFileSync(path).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
    expect(await streamFacts(path)).toMatchObject({ codec: 'mjpeg', width: 160 })
    const first = statSync(path)
    expect(await service.thumbnail(id('anim'))).toBe(path)
    const second = statSync(path)
    expect([second.ino, second.mtimeMs]).toEqual([first.ino, first.mtimeMs])
    expect(await service.thumbnail(id('still'))).toMatch(/\.jpg$/)
    await expect(service.thumbnail(id('gone'))).rejects.toMatchObject({ code: 'not_found' })
    expect(filesIn(join(cacheDir, 'thumbs')).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})

describe('PlaybackService: interrupted jobs and stale temporary files', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let root: string

  beforeAll(async () => {
    tmp = tempDir('lus-playback-close-')
    root = join(tmp.path, 'dataset')
    buildDataset(root, { [`${V}/long.avi`]: { format: 'mpeg4-avi', frames: 900, fps: 30, size: '640x480' } })
    db = openCatalog(join(tmp.path, 'catalog.db'))
    await importDataset(db, root)
  })
  afterAll(() => {
    db.close()
    tmp.cleanup()
  })

  it('close() kills a running proxy job and removes its temporary file', async () => {
    const cacheDir = join(tmp.path, 'cache-close')
    const service = new PlaybackService({ db, repository: new CatalogRepository(db), cacheDir, concurrency: 1 })
    const mediaId = db.prepare<[], { id: number }>('SELECT id FROM media').get()!.id
    const proxies = join(cacheDir, 'proxies')
    await vi.waitFor(
      () => {
        const p = service.playback(mediaId)
        expect(p.state).toBe('preparing')
        expect(p.source).toBe('proxy')
        expect(p.progress).toBeGreaterThan(0)
        expect(filesIn(proxies).some((f) => f.endsWith('.tmp'))).toBe(true)
      },
      { timeout: 60_000, interval: 20 }
    )
    const progress = service.playback(mediaId).progress!
    expect(progress).toBeLessThan(1)
    await service.close()
    expect(filesIn(proxies)).toEqual([])
    expect(service.queueStatus()).toMatchObject({ running: 0, pending: 0, done: 0 })
    expect(() => service.playback(mediaId)).toThrow(/shut down/)
  })

  it('removes temporary files of dead processes at start, and keeps those of live ones', () => {
    const cacheDir = join(tmp.path, 'cache-stale')
    new PlaybackService({ db, repository: new CatalogRepository(db), cacheDir }) // makes the folders
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid
    const sha = 'a'.repeat(64)
    const dead = [join(cacheDir, 'proxies', `${sha}.mp4.${deadPid}-0a1b2c.tmp`), join(cacheDir, 'thumbs', `${sha}.jpg.${deadPid}-0a1b2c.tmp`)]
    const live = join(cacheDir, 'proxies', `${sha}.mp4.${process.ppid}-0a1b2c.tmp`)
    const own = join(cacheDir, 'proxies', `${sha}.proxy.json.${process.pid}-0a1b2c.tmp`)
    const finished = join(cacheDir, 'proxies', `${sha}.mp4`)
    for (const f of [...dead, live, own, finished]) writeFileSync(f, 'x')
    new PlaybackService({ db, repository: new CatalogRepository(db), cacheDir })
    for (const f of dead) expect(existsSync(f), f).toBe(false)
    for (const f of [live, own, finished]) expect(existsSync(f), f).toBe(true)
  })
})

describe('PlaybackService.enqueueAll', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let root: string

  beforeAll(async () => {
    tmp = tempDir('lus-playback-all-')
    root = join(tmp.path, 'dataset')
    buildDataset(
      root,
      {
        [`${V}/plays.mp4`]: { format: 'h264' },
        [`${V}/needs.avi`]: { format: 'mpeg4-avi' },
        [`${V}/needs-too.gif`]: { format: 'gif', frames: 5 },
        [`${I}/pic.jpg`]: { format: 'jpg' }
      },
      ['no-such-file']
    )
    db = openCatalog(join(tmp.path, 'catalog.db'))
    await importDataset(db, root)
    root = db.prepare<[], { root: string }>('SELECT root FROM sources').get()!.root
  })
  afterAll(() => {
    db.close()
    tmp.cleanup()
  })

  it('makes every needed proxy and every thumbnail in the background', async () => {
    const cacheDir = join(tmp.path, 'cache')
    const service = new PlaybackService({ db, repository: new CatalogRepository(db), cacheDir, concurrency: 2 })
    try {
      service.enqueueAll()
      const shas = await Promise.all(['plays.mp4', 'needs.avi', 'needs-too.gif'].map((f) => sha256File(join(root, V, f))))
      const picSha = await sha256File(join(root, I, 'pic.jpg'))
      await vi.waitFor(
        () => {
          expect(service.queueStatus()).toMatchObject({ total: 2, done: 2, running: 0, pending: 0 })
          expect(filesIn(join(cacheDir, 'thumbs'))).toEqual([...shas, picSha].map((s) => `${s}.jpg`).sort())
        },
        { timeout: 60_000, interval: 50 }
      )
      // Made in the background: the first interactive call finds everything ready.
      for (const stem of ['plays', 'needs', 'needs-too']) expect(service.playback(mediaIdOf(db, root, stem)).state).toBe('ready')
      expect(filesIn(join(cacheDir, 'proxies')).filter((f) => f.endsWith('.mp4'))).toEqual([`${shas[1]}.mp4`, `${shas[2]}.mp4`].sort())
    } finally {
      await service.close()
    }
  })
})
