/**
 * Serve mode holding a reader study, over real HTTP: the same token, Host
 * and CSP rules as the catalog; only the reader-mode operations answered;
 * the study's clips at /study/clips/<clipNo> with Range; no /media/.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { openStudy, type OpenedStudy } from '../../../src/main/reader/openStudy'
import { READER_WORKSTATION_REFUSAL } from '../../../src/main/reader/readerHandlers'
import { readerServeHost } from '../../../src/main/reader/readerServeHost'
import { CONTENT_SECURITY_POLICY, startServer, type RunningServer } from '../../../src/main/serve/httpServer'
import { contract } from '../../../src/shared/contract'
import { OPERATION_NAMES } from '../../../src/shared/operations'
import { READER_MODE_OPERATIONS } from '../../../src/shared/operations'
import { tempDir } from '../../helpers/paths'
import { RATER_A, makeStudyMedia, studyParts, writeStudyZip, type StudyMedia } from '../reader/studyFixture'

const INDEX_HTML = '<!doctype html><html><head><title>LUS Review reader</title></head><body></body></html>\n'

let tmp: ReturnType<typeof tempDir>
let media: StudyMedia
let study: OpenedStudy
let server: RunningServer
let base: string
let rendererDir: string

const auth = (extra: Record<string, string> = {}): Record<string, string> => ({ Authorization: `Bearer ${server.token}`, ...extra })
async function api(op: string, payload: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const res = await fetch(`${base}/api/${op}`, { method: 'POST', headers: auth({ 'Content-Type': 'application/json' }), body: JSON.stringify(payload) })
  expect(res.status, op).toBe(200)
  expect(res.headers.get('x-lus-catalog-generation')).toBe('0')
  return (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } }
}

beforeAll(async () => {
  tmp = tempDir('lus-reader-serve-')
  media = await makeStudyMedia(tmp.path)
  const zip = await writeStudyZip(join(tmp.path, 'study.zip'), studyParts(media))
  study = await openStudy(zip, { studiesDir: join(tmp.path, 'studies') })
  rendererDir = join(tmp.path, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML)
  server = await startServer({ app: readerServeHost(study.service), rendererDir, port: 0 })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server?.close()
  study?.close()
  tmp?.cleanup()
})

describe('the API of a reader workstation', () => {
  it('refuses every operation that is not a reader-mode one with forbidden', async () => {
    const others = OPERATION_NAMES.filter((op) => !(READER_MODE_OPERATIONS as readonly string[]).includes(op))
    expect(others.length).toBeGreaterThan(50)
    for (const op of others) {
      const body = await api(op, {})
      expect(body, op).toEqual({ ok: false, error: { code: 'forbidden', message: READER_WORKSTATION_REFUSAL } })
    }
  })

  it('answers the reader-mode operations', async () => {
    expect(await api('app/mode', {})).toEqual({ ok: true, value: { mode: 'reader' } })
    const studyInfo = await api('reader/study', {})
    expect(contract['reader/study'].result.parse(studyInfo.value).total).toBe(3)
    const view = contract['reader/open'].result.parse((await api('reader/open', { raterId: RATER_A.id })).value)
    expect(view.clip?.handle).toBe('Clip 3 of 3')
    const submitted = await api('reader/submit', {
      raterId: RATER_A.id,
      clipNo: 3,
      values: { label: 'healthy', 'B-lines': 'absent', comments: '' },
      confidence: 5
    })
    expect(contract['reader/submit'].result.parse(submitted.value).rated).toBe(1)
    expect((await api('reader/playback', { clipNo: 1 })).value).toMatchObject({ source: 'original', frameCount: 5 })
    expect((await api('reader/keyFrames/set', { raterId: RATER_A.id, clipNo: 1, frame: 2, note: 'here' })).value).toEqual({
      keyFrames: [{ frame: 2, note: 'here' }]
    })
    expect((await api('reader/keyFrames/remove', { raterId: RATER_A.id, clipNo: 1, frame: 2 })).value).toEqual({ keyFrames: [] })
    const exported = await api('reader/exportRatings', { raterId: RATER_A.id, final: false })
    expect(exported.value).toMatchObject({ ratings: 1, total: 3, finalizedAt: null })
  })
})

describe('clips and media of a reader workstation', () => {
  const clip1 = (): Buffer => media.clips[0]!.bytes

  it('serves a clip by number, whole and by Range', async () => {
    const whole = await fetch(`${base}/study/clips/1`, { headers: auth() })
    expect(whole.status).toBe(200)
    expect(whole.headers.get('content-type')).toBe('video/mp4')
    expect(whole.headers.get('accept-ranges')).toBe('bytes')
    expect(Buffer.from(await whole.arrayBuffer()).equals(clip1())).toBe(true)

    const part = await fetch(`${base}/study/clips/1`, { headers: auth({ Range: 'bytes=10-99' }) })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 10-99/${clip1().length}`)
    expect(Buffer.from(await part.arrayBuffer()).equals(clip1().subarray(10, 100))).toBe(true)

    const tail = await fetch(`${base}/study/clips/1`, { headers: auth({ Range: 'bytes=-16' }) })
    expect(tail.status).toBe(206)
    expect(Buffer.from(await tail.arrayBuffer()).equals(clip1().subarray(clip1().length - 16))).toBe(true)

    const beyond = await fetch(`${base}/study/clips/1`, { headers: auth({ Range: `bytes=${clip1().length}-` }) })
    expect(beyond.status).toBe(416)
    await beyond.body?.cancel()

    const still = await fetch(`${base}/study/clips/2`, { headers: auth() })
    expect(still.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await still.arrayBuffer()).equals(media.clips[1]!.bytes)).toBe(true)
  })

  it('answers 404 to a clip the study does not hold, and 400 to a malformed number', async () => {
    for (const path of ['/study/clips/4', '/study/clips/999999']) {
      const res = await fetch(base + path, { headers: auth() })
      expect(res.status, path).toBe(404)
      await res.body?.cancel()
    }
    for (const path of ['/study/clips/0', '/study/clips/01', '/study/clips/-1', '/study/clips/1.0', '/study/clips/..%2F..%2Fstudy.db', '/study/clips/']) {
      const res = await fetch(base + path, { headers: auth() })
      expect(res.status, path).toBe(400)
      await res.body?.cancel()
    }
  })

  it('serves no catalog media: /media/… is 404, as are other /study/ paths', async () => {
    for (const path of ['/media/1', '/media/1/playback', '/media/1/thumb', '/study/db', '/study/clips']) {
      const res = await fetch(base + path, { headers: auth() })
      expect(res.status, path).toBe(404)
      await res.body?.cancel()
    }
  })

  it('keeps the token, Host and CSP rules', async () => {
    const noToken = await fetch(`${base}/study/clips/1`)
    expect(noToken.status).toBe(401)
    await noToken.body?.cancel()
    const apiNoToken = await fetch(`${base}/api/reader/study`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    expect(apiNoToken.status).toBe(401)
    await apiNoToken.body?.cancel()
    const foreign = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/study/clips/1', headers: { Host: 'evil.example', ...auth() }, agent: false }, (res) => {
        res.resume()
        resolve(res.statusCode!)
      })
      req.on('error', reject)
      req.end()
    })
    expect(foreign).toBe(403)
    const page = await fetch(`${base}/`, { headers: auth() })
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(await page.text()).toBe(INDEX_HTML)
  })
})

describe('the catalog in serve mode holds no study', () => {
  let db: CatalogDb
  let services: Services
  let catalogServer: RunningServer
  beforeAll(async () => {
    db = openCatalog(join(tmp.path, 'catalog.db'))
    services = createServices({ db, catalogPath: join(tmp.path, 'catalog.db'), transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
    catalogServer = await startServer({ services, rendererDir, port: 0 })
  })
  afterAll(async () => {
    await catalogServer.close()
    await services.close()
    db.close()
  })

  it('answers /study/clips/<n> with 404 and app/mode with catalog', async () => {
    const headers = { Authorization: `Bearer ${catalogServer.token}` }
    const res = await fetch(`http://127.0.0.1:${catalogServer.port}/study/clips/1`, { headers })
    expect(res.status).toBe(404)
    expect(await res.text()).toBe('No reader study is open here.')
    const mode = await fetch(`http://127.0.0.1:${catalogServer.port}/api/app/mode`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: '{}'
    })
    expect(await mode.json()).toEqual({ ok: true, value: { mode: 'catalog' } })
  })
})
