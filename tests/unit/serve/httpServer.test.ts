import dns from 'node:dns'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createServices, type Services } from '../../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { UserError } from '../../../src/main/errors'
import {
  CONTENT_SECURITY_POLICY,
  MAX_BODY_BYTES,
  isLoopback,
  startServer,
  type RunningServer
} from '../../../src/main/serve/httpServer'
import { contract } from '../../../src/shared/contract'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

const INDEX_HTML = '<!doctype html><html><head><title>LUS Review test</title></head><body><div id="app"></div></body></html>\n'
const APP_JS = 'console.log("lus review test bundle")\n'
const SECRET = 'TOP-SECRET-OUTSIDE-THE-RENDERER\n'

interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** The Host raw() sends unless told otherwise: the credential host of the server under test, as a browser would. */
let rawHost: string | undefined

/** A request with full control of the path and the Host header, which fetch normalizes or forbids. */
function raw(
  port: number,
  path: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const withHost = rawHost && !Object.keys(headers).some((k) => k.toLowerCase() === 'host') ? { Host: rawHost, ...headers } : headers
    const req = request({ host: '127.0.0.1', port, path, method, headers: withHost, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

function looksLikePasswd(text: string): boolean {
  return /root:.*:0:0:/.test(text)
}

describe('isLoopback', () => {
  it('accepts loopback names and addresses only', () => {
    for (const h of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', 'localhost']) expect(isLoopback(h), h).toBe(true)
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '128.0.0.1', 'example.com', '127.0.0.1.evil.example', 'localhost.evil.example', ''])
      expect(isLoopback(h), h).toBe(false)
  })
})

describe('startServer: refusals', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let services: Services
  let rendererDir: string

  beforeAll(() => {
    tmp = tempDir('lus-serve-refuse-')
    db = openCatalog(join(tmp.path, 'catalog.sqlite'))
    services = createServices({ db, catalogPath: join(tmp.path, 'catalog.sqlite'), transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
    rendererDir = join(tmp.path, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML)
  })
  afterAll(() => {
    db.close()
    tmp.cleanup()
  })

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses to listen on %s without allowNonLoopback', async (host) => {
    const err = await startServer({ services, rendererDir, host, port: 0 }).then(
      (s) => (void s.close(), null),
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(UserError)
    expect((err as UserError).code).toBe('bad_input')
    expect((err as Error).message).toMatch(/loopback/)
    expect((err as Error).message).toContain(host)
  })

  it('refuses to start without the built renderer (index.html)', async () => {
    const empty = join(tmp.path, 'empty-renderer')
    mkdirSync(empty)
    const err = await startServer({ services, rendererDir: empty, port: 0 }).then(
      (s) => (void s.close(), null),
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(UserError)
    expect((err as Error).message).toContain('index.html')
    await expect(startServer({ services, rendererDir: join(tmp.path, 'no-such-dir'), port: 0 })).rejects.toThrow(/index\.html/)
  })

  it('listens on localhost, and uses a given token in the printed URL, on a per-run *.localhost name', async () => {
    const fixed = 'Zq3_-kP9xYtB2mWv8LcN4rHs7DjFe1Ga'
    const s = await startServer({ services, rendererDir, host: 'localhost', port: 0, token: fixed })
    try {
      expect(s.token).toBe(fixed)
      expect(s.port).toBeGreaterThan(0)
      expect(s.origin).toMatch(new RegExp(`^http://lus-[0-9a-f]{16}\\.localhost:${s.port}$`))
      expect(s.url).toBe(`${s.origin}/?token=${fixed}`)
      expect(s.addressOrigin).toBe(`http://localhost:${s.port}`)
    } finally {
      await s.close()
    }
  })

  it('serves a renderer folder given through a symlink', async () => {
    const link = join(tmp.path, 'renderer-link')
    symlinkSync(rendererDir, link)
    const s = await startServer({ services, rendererDir: link, port: 0 })
    try {
      const res = await fetch(`http://127.0.0.1:${s.port}/`, { headers: { Authorization: `Bearer ${s.token}` } })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(INDEX_HTML)
    } finally {
      await s.close()
    }
  })

  it('makes a fresh random token for each server', async () => {
    const a = await startServer({ services, rendererDir, port: 0 })
    const b = await startServer({ services, rendererDir, port: 0 })
    try {
      expect(a.token).not.toBe(b.token)
      expect(a.token).toMatch(/^[A-Za-z0-9_-]{32,}$/)
      expect(a.url).toBe(`${a.origin}/?token=${a.token}`)
      expect(a.port).not.toBe(b.port)
      // A fresh name too: a cookie of one run is never sent to another.
      expect(new URL(a.origin).hostname).not.toBe(new URL(b.origin).hostname)
    } finally {
      await a.close()
      await b.close()
    }
  })
})

describe('serve mode over a synthetic dataset', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let services: Services
  let server: RunningServer
  let base: string
  let token: string
  let cookie: string
  let clipBytes: Buffer
  let clipMediaId: number
  let entryIds: number[]
  let missingMediaId: number
  let linkedOutMediaId: number
  let traversalMediaId: number

  const auth = (extra: Record<string, string> = {}): Record<string, string> => ({ Cookie: cookie, ...extra })
  const api = (op: string, payload: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${base}/api/${op}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(payload)
    })
  const apiValue = async (op: string, payload: unknown = {}): Promise<unknown> => {
    const res = await api(op, payload)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { ok: boolean; value?: unknown; error?: unknown }
    if (!body.ok) throw new Error(`${op} failed: ${JSON.stringify(body.error)}`)
    return body.value
  }

  beforeAll(async () => {
    tmp = tempDir('lus-serve-')
    const root = join(tmp.path, 'dataset')
    makeDataset(root, [row('clipA', { Title: 'Served clip' }), row('clipB'), row('clipC', { Label: 'regular' })], {
      'pocus_videos/convex/clipA.mp4': 'clip'
    })
    clipBytes = readFileSync(join(root, 'pocus_videos/convex/clipA.mp4'))
    writeFileSync(join(tmp.path, 'secret.txt'), SECRET)
    // A link inside the dataset that points out of it; the import skips it, the test adds it by hand.
    symlinkSync(join(tmp.path, 'secret.txt'), join(root, 'pocus_videos', 'leak.mp4'))

    const catalogPath = join(tmp.path, 'catalog.sqlite')
    db = openCatalog(catalogPath)
    const report = await importDataset(db, root)
    expect(report.linked).toBe(1)
    services = createServices({ db, catalogPath, transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
    services.review.settings.setUserName('Test Rater')
    const entries = services.repository.list()
    entryIds = entries.map((e) => e.id)
    clipMediaId = entries.find((e) => e.filename === 'clipA')!.mediaId!
    expect(clipMediaId).toBeGreaterThan(0)

    const addMedia = (relPath: string): number =>
      Number(
        db
          .prepare(
            `INSERT INTO media (source_id, rel_path, stem, kind, size_bytes, mtime_ms) VALUES (?, ?, ?, 'video', 1, 0)`
          )
          .run(report.sourceId, relPath, relPath.replace(/.*\//, '')).lastInsertRowid
      )
    missingMediaId = addMedia('pocus_videos/convex/gone.mp4')
    linkedOutMediaId = addMedia('pocus_videos/leak.mp4')
    traversalMediaId = addMedia('../secret.txt')

    const rendererDir = join(tmp.path, 'renderer')
    mkdirSync(join(rendererDir, 'assets'), { recursive: true })
    writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML)
    writeFileSync(join(rendererDir, 'assets', 'app.js'), APP_JS)
    symlinkSync(join(tmp.path, 'secret.txt'), join(rendererDir, 'assets', 'leak.js'))

    server = await startServer({ services, rendererDir, port: 0 })
    // The page lives on a per-run lus-<random>.localhost name, which glibc does not resolve: let fetch reach it as a browser does.
    const systemLookup = dns.lookup
    vi.spyOn(dns, 'lookup').mockImplementation(((name: string, ...rest: unknown[]) =>
      (systemLookup as (...args: unknown[]) => unknown)(name.endsWith('.localhost') ? 'localhost' : name, ...rest)) as typeof dns.lookup)
    base = server.origin
    rawHost = new URL(server.origin).host
    token = server.token
    cookie = `lus_token_${server.port}=${token}`
  })

  afterAll(async () => {
    rawHost = undefined
    vi.mocked(dns.lookup).mockRestore()
    await server?.close()
    db?.close()
    tmp?.cleanup()
  })

  describe('authentication', () => {
    it('answers 401 without a token, for pages, API and media alike', async () => {
      for (const [path, init] of [
        ['/', {}],
        ['/assets/app.js', {}],
        ['/api/app/info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }],
        [`/media/${clipMediaId}`, {}]
      ] as const) {
        const res = await fetch(base + path, { redirect: 'manual', ...init })
        expect(res.status, path).toBe(401)
        const text = await res.text()
        expect(text, path).not.toContain('LUS Review test')
        expect(text, path).not.toContain('lus review test bundle')
      }
    })

    it('answers 401 to a wrong ?token, without setting a cookie', async () => {
      for (const wrong of ['nope', token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), token + 'x', '']) {
        const res = await fetch(`${base}/?token=${encodeURIComponent(wrong)}`, { redirect: 'manual' })
        expect(res.status, wrong).toBe(401)
        expect(res.headers.get('set-cookie'), wrong).toBeNull()
        await res.body?.cancel()
      }
    })

    it('trades the right ?token for a host-only HttpOnly SameSite=Strict cookie with a 303 to this origin', async () => {
      const res = await fetch(`${base}/?token=${token}`, { redirect: 'manual' })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe(`${base}/`)
      const setCookie = res.headers.get('set-cookie')!
      expect(setCookie).not.toBeNull()
      const [pair, ...attrs] = setCookie.split(';').map((s) => s.trim())
      expect(pair).toBe(`lus_token_${server.port}=${token}`)
      expect(attrs).toContain('HttpOnly')
      expect(attrs).toContain('SameSite=Strict')
      expect(attrs).toContain('Path=/')
      expect(attrs.some((a) => /^domain=/i.test(a))).toBe(false)
      await res.body?.cancel()
    })

    it('keeps the path and the other query parameters in the redirect, dropping only the token', async () => {
      const res = await fetch(`${base}/catalog/view?x=1&token=${token}&y=two`, { redirect: 'manual' })
      expect(res.status).toBe(303)
      const location = res.headers.get('location')!
      expect(location).not.toContain('token')
      expect(location).not.toContain(token)
      const u = new URL(location, base)
      expect(u.pathname).toBe('/catalog/view')
      expect(u.searchParams.get('x')).toBe('1')
      expect(u.searchParams.get('y')).toBe('two')
      await res.body?.cancel()
    })

    it('accepts the cookie afterwards', async () => {
      const res = await fetch(`${base}/`, { redirect: 'manual', headers: { Cookie: cookie } })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(INDEX_HTML)
    })

    it('finds the cookie among others', async () => {
      const res = await fetch(`${base}/`, { redirect: 'manual', headers: { Cookie: `a=b; ${cookie}; c=d` } })
      expect(res.status).toBe(200)
      await res.body?.cancel()
    })

    it('refuses a cookie with the wrong value or for another port', async () => {
      for (const c of [`lus_token_${server.port}=wrong`, `lus_token_${server.port + 1}=${token}`, `lus_token_${server.port}=`, `lus_token=${token}`]) {
        const res = await fetch(`${base}/`, { redirect: 'manual', headers: { Cookie: c } })
        expect(res.status, c).toBe(401)
        await res.body?.cancel()
      }
    })

    it('accepts a Bearer token and refuses a wrong one', async () => {
      const good = await fetch(`${base}/assets/app.js`, { headers: { Authorization: `Bearer ${token}` } })
      expect(good.status).toBe(200)
      expect(await good.text()).toBe(APP_JS)
      for (const h of ['Bearer wrong', `Basic ${token}`, `bearer${token}`, token]) {
        const bad = await fetch(`${base}/assets/app.js`, { headers: { Authorization: h } })
        expect(bad.status, h).toBe(401)
        await bad.body?.cancel()
      }
    })

    it('answers 403 to a foreign Host header, even with a valid token', async () => {
      for (const host of [`evil.example:${server.port}`, 'evil.example', '127.0.0.1', `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`]) {
        const page = await raw(server.port, '/', { headers: { Host: host, Cookie: cookie } })
        expect(page.status, host).toBe(403)
        expect(page.body.toString(), host).not.toContain('LUS Review test')
        const trade = await raw(server.port, `/?token=${token}`, { headers: { Host: host } })
        expect(trade.status, host).toBe(403)
        expect(trade.headers['set-cookie'], host).toBeUndefined()
        const apiCall = await raw(server.port, '/api/app/info', {
          method: 'POST',
          headers: { Host: host, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: '{}'
        })
        expect(apiCall.status, host).toBe(403)
      }
    })

    it('accepts the loopback Host spellings with the Bearer token, but not the cookie (any local server can set one there)', async () => {
      for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`]) {
        const res = await raw(server.port, '/', { headers: { Host: host, Authorization: `Bearer ${token}` } })
        expect(res.status, host).toBe(200)
        const withCookie = await raw(server.port, '/', { headers: { Host: host, Cookie: cookie } })
        expect(withCookie.status, host).toBe(401)
      }
      const named = await raw(server.port, '/', { headers: { Host: rawHost!.toUpperCase(), Cookie: cookie } })
      expect(named.status).toBe(200)
    })

    it('sets the security headers on every answer', async () => {
      for (const res of [
        await raw(server.port, '/'),
        await raw(server.port, '/', { headers: { Cookie: cookie } }),
        await raw(server.port, '/', { headers: { Host: 'evil.example' } })
      ]) {
        expect(res.headers['x-frame-options']).toBe('DENY')
        expect(res.headers['x-content-type-options']).toBe('nosniff')
        expect(res.headers['referrer-policy']).toBe('no-referrer')
      }
    })
  })

  describe('API', () => {
    it('answers app/info with the http transport', async () => {
      const res = await api('app/info', {})
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      expect(res.headers.get('cache-control')).toBe('no-store')
      const body = (await res.json()) as { ok: true; value: unknown }
      expect(body.ok).toBe(true)
      const info = contract['app/info'].result.parse(body.value)
      expect(info.transport).toBe('http')
      expect(info.version).toBe('test')
      expect(info.sources).toHaveLength(1)
    })

    it('works with the cookie as well as the Bearer token', async () => {
      const res = await fetch(`${base}/api/catalog/stats`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie },
        body: '{}'
      })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { ok: boolean; value: unknown }
      expect(contract['catalog/stats'].result.parse(body.value)).toMatchObject({ total: 3, withMedia: 1 })
    })

    it('answers list, get, update and stats with contract-shaped results', async () => {
      const list = contract['catalog/list'].result.parse(await apiValue('catalog/list'))
      expect(list.entries.map((e) => e.filename)).toEqual(['clipA', 'clipB', 'clipC'])
      expect(list.entries.map((e) => e.id)).toEqual(entryIds)
      const detail = contract['catalog/get'].result.parse(await apiValue('catalog/get', { id: entryIds[0] }))
      expect(detail.summary.title).toBe('Served clip')
      expect(detail.media).toMatchObject({ id: clipMediaId, frames: 12, width: 64, height: 48 })
      const updated = contract['catalog/update'].result.parse(await apiValue('catalog/update', { id: entryIds[1], cells: { Title: 'Über' } }))
      expect(updated.summary.title).toBe('Über')
      expect(updated.edited).toBe(true)
      const stats = contract['catalog/stats'].result.parse(await apiValue('catalog/stats'))
      expect(stats).toMatchObject({ total: 3, withMedia: 1, byMediaStatus: { linked: 1, missing: 2 } })
      const csv = contract['dataset/exportCsv'].result.parse(await apiValue('dataset/exportCsv'))
      expect(csv.rows).toBe(3)
      expect(csv.csv).toContain('Über')
    })

    it('answers failures as Result errors with status 200', async () => {
      const notFound = await api('catalog/get', { id: 999_999 })
      expect(notFound.status).toBe(200)
      expect(await notFound.json()).toMatchObject({ ok: false, error: { code: 'not_found' } })
      const unknown = await api('catalog/drop', {})
      expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
      const badArgs = await api('catalog/get', { id: 'one' })
      const badBody = (await badArgs.json()) as { ok: false; error: { code: string; message: string } }
      expect(badBody.error.code).toBe('invalid_request')
      expect(badBody.error.message).toContain('id')
    })

    it('decodes a percent-encoded operation name', async () => {
      const res = await fetch(`${base}/api/catalog%2Flist`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: '{}'
      })
      expect(((await res.json()) as { ok: boolean }).ok).toBe(true)
    })

    it('takes an empty body as empty arguments', async () => {
      const res = await fetch(`${base}/api/app/info`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }
      })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { ok: boolean }).ok).toBe(true)
    })

    it('accepts a JSON content type with parameters', async () => {
      const res = await api('app/info', {}, { 'Content-Type': 'application/json; charset=utf-8' })
      expect(res.status).toBe(200)
      await res.body?.cancel()
    })

    it('answers 405 to anything but POST', async () => {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await fetch(`${base}/api/app/info`, { method, headers: { Authorization: `Bearer ${token}` } })
        expect(res.status, method).toBe(405)
        await res.body?.cancel()
      }
    })

    it('answers 415 to a body that is not application/json, without running the operation', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/json']) {
        const res = await fetch(`${base}/api/catalog/update`, {
          method: 'POST',
          headers: { 'Content-Type': type, Authorization: `Bearer ${token}` },
          body: JSON.stringify({ id: entryIds[2], cells: { Title: 'via form' } })
        })
        expect(res.status, type).toBe(415)
        await res.body?.cancel()
      }
      const noType = await raw(server.port, '/api/app/info', { method: 'POST', headers: { Cookie: cookie }, body: '{}' })
      expect(noType.status).toBe(415)
      expect(services.repository.get(entryIds[2]!).summary.title).not.toBe('via form')
    })

    it('answers 400 with a JSON error to a body that is not JSON', async () => {
      for (const body of ['{', 'not json', '{"id": 1,}', "{'id': 1}"]) {
        const res = await fetch(`${base}/api/catalog/get`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body
        })
        expect(res.status, body).toBe(400)
        expect(res.headers.get('content-type')).toMatch(/^application\/json/)
        expect(await res.json()).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringMatching(/not valid JSON/) } })
      }
    })

    it('accepts a body of exactly the limit', async () => {
      const prefix = '{"pad":"'
      const suffix = '"}'
      const body = prefix + 'a'.repeat(MAX_BODY_BYTES - prefix.length - suffix.length) + suffix
      expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES)
      const res = await raw(server.port, '/api/app/info', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie },
        body
      })
      // Read in full and handed to dispatch, which refuses the unknown key.
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body.toString())).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    })

    it('answers 413 to a body over 1 MiB', async () => {
      const prefix = '{"pad":"'
      const suffix = '"}'
      const body = prefix + 'a'.repeat(MAX_BODY_BYTES + 1 - prefix.length - suffix.length) + suffix
      expect(MAX_BODY_BYTES).toBe(1 << 20)
      const outcome = await raw(server.port, '/api/app/info', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie },
        body
      }).then(
        (r) => ({ status: r.status, body: r.body.toString() }),
        (e: unknown) => ({ status: null, error: String(e) })
      )
      expect(outcome).toMatchObject({ status: 413 })
    })

    it('answers 413 to a large body sent in chunks', async () => {
      const outcome = await new Promise<{ status: number | null; error?: string }>((resolve) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/api/app/info',
            method: 'POST',
            agent: false,
            headers: { Host: rawHost!, 'Content-Type': 'application/json', Cookie: cookie, 'Transfer-Encoding': 'chunked' }
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve({ status: res.statusCode! }))
          }
        )
        req.on('error', (e) => resolve({ status: null, error: String(e) }))
        const chunk = Buffer.alloc(64 * 1024, 0x20)
        for (let i = 0; i < 20; i++) req.write(chunk)
        req.end()
      })
      expect(outcome).toMatchObject({ status: 413 })
    })

    it('answers a malformed percent-encoded operation name as a client error, not 500', async () => {
      const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
      try {
        const res = await raw(server.port, '/api/catalog%E0%A4%Alist', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Cookie: cookie },
          body: '{}'
        })
        expect(res.status).toBeLessThan(500)
        if (res.status === 200) expect(JSON.parse(res.body.toString())).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
      } finally {
        spy.mockRestore()
      }
    })
  })

  describe('media', () => {
    it('serves a clip whole with its length and type', async () => {
      const res = await fetch(`${base}/media/${clipMediaId}`, { headers: auth() })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('video/mp4')
      expect(res.headers.get('accept-ranges')).toBe('bytes')
      expect(res.headers.get('content-length')).toBe(String(clipBytes.length))
      expect(Buffer.from(await res.arrayBuffer()).equals(clipBytes)).toBe(true)
    })

    it('serves a byte range with 206 and the exact slice', async () => {
      const res = await fetch(`${base}/media/${clipMediaId}`, { headers: auth({ Range: 'bytes=100-1099' }) })
      expect(res.status).toBe(206)
      expect(res.headers.get('content-range')).toBe(`bytes 100-1099/${clipBytes.length}`)
      expect(res.headers.get('content-length')).toBe('1000')
      expect(Buffer.from(await res.arrayBuffer()).equals(clipBytes.subarray(100, 1100))).toBe(true)
    })

    it('serves open-ended and suffix ranges', async () => {
      const open = await fetch(`${base}/media/${clipMediaId}`, { headers: auth({ Range: `bytes=${clipBytes.length - 10}-` }) })
      expect(open.status).toBe(206)
      expect(Buffer.from(await open.arrayBuffer()).equals(clipBytes.subarray(clipBytes.length - 10))).toBe(true)
      const suffix = await fetch(`${base}/media/${clipMediaId}`, { headers: auth({ Range: 'bytes=-20' }) })
      expect(suffix.status).toBe(206)
      expect(Buffer.from(await suffix.arrayBuffer()).equals(clipBytes.subarray(clipBytes.length - 20))).toBe(true)
    })

    it('answers 416 to an unsatisfiable range', async () => {
      const res = await fetch(`${base}/media/${clipMediaId}`, { headers: auth({ Range: `bytes=${clipBytes.length}-` }) })
      expect(res.status).toBe(416)
      expect(res.headers.get('content-range')).toBe(`bytes */${clipBytes.length}`)
      expect((await res.arrayBuffer()).byteLength).toBe(0)
    })

    it('answers HEAD with the headers and no body', async () => {
      const res = await raw(server.port, `/media/${clipMediaId}`, { method: 'HEAD', headers: auth() })
      expect(res.status).toBe(200)
      expect(res.headers['content-length']).toBe(String(clipBytes.length))
      expect(res.body.length).toBe(0)
    })

    it('answers 400 to an id that is not a positive integer', async () => {
      for (const id of ['abc', '0', '-1', '1.5', '', '1e400', '9007199254740993', '0x1', '01', '1%20']) {
        const res = await fetch(`${base}/media/${id}`, { headers: auth() })
        expect(res.status, id).toBe(400)
        await res.body?.cancel()
      }
    })

    it('answers 404 to an unknown id and to a file gone from disk', async () => {
      for (const id of [999, missingMediaId]) {
        const res = await fetch(`${base}/media/${id}`, { headers: auth() })
        expect(res.status, String(id)).toBe(404)
        await res.body?.cancel()
      }
    })

    it('answers 403 to media that resolve outside the dataset folder', async () => {
      for (const id of [linkedOutMediaId, traversalMediaId]) {
        const res = await fetch(`${base}/media/${id}`, { headers: auth() })
        expect(res.status, String(id)).toBe(403)
        expect(await res.text()).not.toContain('TOP-SECRET')
      }
    })

    it('answers 405 to a POST', async () => {
      const res = await fetch(`${base}/media/${clipMediaId}`, { method: 'POST', headers: auth() })
      expect(res.status).toBe(405)
      await res.body?.cancel()
    })
  })

  describe('static files', () => {
    it('serves index.html with the Content-Security-Policy', async () => {
      const res = await fetch(`${base}/`, { headers: auth() })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(await res.text()).toBe(INDEX_HTML)
    })

    it('has a CSP that allows only its own origin', () => {
      expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'")
      expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
      expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'")
      expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*'unsafe-inline'/)
      expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*'unsafe-eval'/)
      expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*/)
    })

    it('serves assets with their type', async () => {
      const res = await fetch(`${base}/assets/app.js`, { headers: auth() })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(APP_JS)))
      expect(await res.text()).toBe(APP_JS)
    })

    it('falls back to index.html for app routes and folders', async () => {
      for (const path of ['/catalog/12', '/assets', '/assets/', '/missing.js']) {
        const res = await fetch(base + path, { headers: auth() })
        expect(res.status, path).toBe(200)
        expect(res.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY)
        expect(await res.text(), path).toBe(INDEX_HTML)
      }
    })

    it('answers HEAD with the headers and no body', async () => {
      const res = await raw(server.port, '/assets/app.js', { method: 'HEAD', headers: auth() })
      expect(res.status).toBe(200)
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(APP_JS)))
      expect(res.body.length).toBe(0)
    })

    it('answers 405 to other methods', async () => {
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const res = await raw(server.port, '/', { method, headers: auth() })
        expect(res.status, method).toBe(405)
      }
    })

    it.each([
      '/..%2f..%2fetc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/../../../../../../etc/passwd',
      '/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/assets/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/..%5c..%5cetc%5cpasswd',
      '//etc/passwd',
      '/%2fetc%2fpasswd'
    ])('never serves a file outside the renderer for %s', async (path) => {
      const res = await raw(server.port, path, { headers: auth() })
      const text = res.body.toString()
      expect(looksLikePasswd(text)).toBe(false)
      expect([200, 400, 403]).toContain(res.status)
      if (res.status === 200) expect(text).toBe(INDEX_HTML)
    })

    it.each(['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/leak.js', '/assets%2fleak.js'])(
      'never serves the file beside the renderer for %s',
      async (path) => {
        const res = await raw(server.port, path, { headers: auth() })
        expect(res.body.toString()).not.toContain('TOP-SECRET')
        expect([200, 403]).toContain(res.status)
        if (res.status === 200) expect(res.body.toString()).toBe(INDEX_HTML)
      }
    )

    it('refuses an encoded traversal with 403 and a link out of the renderer with 403', async () => {
      expect((await raw(server.port, '/..%2fsecret.txt', { headers: auth() })).status).toBe(403)
      expect((await raw(server.port, '/assets/leak.js', { headers: auth() })).status).toBe(403)
    })

    it('answers 400 to a malformed percent-encoding', async () => {
      const res = await raw(server.port, '/assets/%E0%A4%A', { headers: auth() })
      expect(res.status).toBe(400)
    })

    it('does not fail on a NUL byte in the path', async () => {
      const res = await raw(server.port, '/assets/app.js%00.html', { headers: auth() })
      expect([200, 400, 403, 404]).toContain(res.status)
      if (res.status === 200) expect(res.body.toString()).toBe(INDEX_HTML)
    })
  })
})
