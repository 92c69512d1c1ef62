import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { startServer, type RunningServer } from '../../../src/main/serve/httpServer'
import { csvText, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'
import { makeFormatClip, truncatedCopy } from '../media/clips'

const V = 'pocus_videos/convex'
const SECRET = 'TOP-SECRET-OUTSIDE-THE-DATASET\n'

describe('serve mode: /media/<id>/playback and /media/<id>/thumb', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let services: Services
  let server: RunningServer
  let base: string
  let root: string
  const ids: Record<string, number> = {}
  const auth = (extra: Record<string, string> = {}): Record<string, string> => ({ Authorization: `Bearer ${server.token}`, ...extra })
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> =>
    fetch(base + path, { method, headers: auth(headers) })

  beforeAll(async () => {
    tmp = tempDir('lus-media-routes-')
    root = join(tmp.path, 'dataset')
    makeFormatClip(join(root, V, 'plays.mp4'), 'h264', { frames: 30 })
    makeFormatClip(join(root, V, 'needs.avi'), 'mpeg4-avi', { frames: 30 })
    makeFormatClip(join(root, 'pocus_images/convex/pic.png'), 'png')
    makeFormatClip(join(tmp.path, 'whole.avi'), 'mpeg4-avi', { frames: 60, size: '160x120' })
    truncatedCopy(join(tmp.path, 'whole.avi'), join(root, V, 'broken.avi'), 0.5)
    makeFormatClip(join(root, V, 'gone.mp4'), 'h264')
    writeFileSync(join(tmp.path, 'secret.txt'), SECRET)
    writeFileSync(join(root, 'dataset_metadata.csv'), csvText(['plays', 'needs', 'pic', 'broken', 'gone'].map((n) => row(n))))
    db = openCatalog(join(tmp.path, 'catalog.db'))
    const report = await importDataset(db, root)
    for (const r of db.prepare<[], { id: number; stem: string }>('SELECT id, stem FROM media').all()) ids[r.stem] = r.id
    ids.traversal = Number(
      db
        .prepare(`INSERT INTO media (source_id, rel_path, stem, kind, size_bytes, mtime_ms) VALUES (?, '../secret.txt', 'secret', 'video', 1, 0)`)
        .run(report.sourceId).lastInsertRowid
    )
    services = createServices({ db, catalogPath: join(tmp.path, 'catalog.db'), transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
    const rendererDir = join(tmp.path, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
    server = await startServer({ services, rendererDir, port: 0 })
    base = `http://127.0.0.1:${server.port}`
  })
  afterAll(async () => {
    await server?.close()
    await services?.close()
    db?.close()
    tmp.cleanup()
  })

  it('answers 401 without the token', async () => {
    for (const path of [`/media/${ids.plays}/playback`, `/media/${ids.plays}/thumb`]) {
      const res = await fetch(base + path)
      expect(res.status, path).toBe(401)
    }
  })

  it('serves an original that Chromium plays, with Range (206)', async () => {
    await services.playback.prepare(ids.plays!)
    const bytes = readFileSync(join(root, V, 'plays.mp4'))
    const res = await get(`/media/${ids.plays}/playback`, { Range: 'bytes=100-199' })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-type')).toBe('video/mp4')
    expect(res.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes.subarray(100, 200))
  })

  it('answers 404 with a message while the proxy is made, then serves the proxy with Range', async () => {
    const first = await get(`/media/${ids.needs}/playback`)
    expect(first.status).toBe(404)
    expect(await first.text()).toMatch(/needs\.avi is being prepared/)

    const p = await services.playback.prepare(ids.needs!)
    expect(p).toMatchObject({ state: 'ready', source: 'proxy' })
    const proxy = services.playback.playbackFile(ids.needs!)
    const size = statSync(proxy).size
    const res = await get(`/media/${ids.needs}/playback`, { Range: 'bytes=-64' })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-type')).toBe('video/mp4')
    expect(res.headers.get('content-range')).toBe(`bytes ${size - 64}-${size - 1}/${size}`)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync(proxy).subarray(size - 64))
    const unsatisfiable = await get(`/media/${ids.needs}/playback`, { Range: `bytes=${size}-` })
    expect(unsatisfiable.status).toBe(416)
    // The original stays reachable as imported.
    const original = await get(`/media/${ids.needs}`, { Range: 'bytes=0-3' })
    expect([original.status, original.headers.get('content-type')]).toEqual([206, 'video/x-msvideo'])
  })

  it('serves a still as its own playback file', async () => {
    const res = await get(`/media/${ids.pic}/playback`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
  })

  it('makes and serves a JPEG thumbnail, Range and HEAD included', async () => {
    const res = await get(`/media/${ids.needs}/thumb`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/jpeg')
    const body = Buffer.from(await res.arrayBuffer())
    expect([...body.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
    const part = await get(`/media/${ids.needs}/thumb`, { Range: 'bytes=0-1' })
    expect(part.status).toBe(206)
    expect(Buffer.from(await part.arrayBuffer())).toEqual(body.subarray(0, 2))
    const head = await get(`/media/${ids.pic}/thumb`, {}, 'HEAD')
    expect([head.status, head.headers.get('content-type')]).toEqual([200, 'image/jpeg'])
  })

  it('answers 404 with the reason for a file that cannot be played', async () => {
    await services.playback.prepare(ids.broken!)
    const res = await get(`/media/${ids.broken}/playback`)
    expect(res.status).toBe(404)
    expect(await res.text()).toMatch(/could not be made: broken\.avi: corrupt/)
  })

  it('answers 404 for a file gone since import, on every media URL', async () => {
    rmSync(join(root, V, 'gone.mp4'))
    for (const suffix of ['', '/playback', '/thumb']) {
      const res = await get(`/media/${ids.gone}${suffix}`)
      expect(res.status, suffix).toBe(404)
      expect(await res.text(), suffix).toMatch(/missing/)
    }
  })

  it('never serves a path that leaves the dataset folder', async () => {
    for (const suffix of ['', '/playback', '/thumb']) {
      const res = await get(`/media/${ids.traversal}${suffix}`)
      expect([403, 404], suffix).toContain(res.status)
      expect(await res.text(), suffix).not.toContain('TOP-SECRET')
    }
  })

  it('refuses malformed media URLs and unknown ids', async () => {
    for (const path of [`/media/${ids.plays}/other`, `/media/${ids.plays}/thumb/x`, '/media/0/thumb', `/media/${ids.plays}/`]) {
      expect((await get(path)).status, path).toBe(400)
    }
    for (const path of ['/media/999999/playback', '/media/999999/thumb']) {
      const res = await get(path)
      expect(res.status, path).toBe(404)
      expect(await res.text()).toMatch(/No media with id 999999/)
    }
  })
})
