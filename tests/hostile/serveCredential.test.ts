/**
 * Serve mode's credential against hostile neighbours and hostile URLs: the
 * cookie must reach this server only (Debian Chromium, driven by
 * Playwright, visits a second server on another loopback port and that
 * server's received headers are searched for the token), the token URL must
 * redirect to this origin only, and a guessable --token is refused.
 *
 * Node cannot resolve `*.localhost` names through glibc, so plain requests go
 * to 127.0.0.1 with the Host header set, which is what the browser sends.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import { join } from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../src/main/catalog/database'
import { UserError } from '../../src/main/errors'
import { startServer, type RunningServer } from '../../src/main/serve/httpServer'
import { snapshotCatalog } from '../helpers/catalogSnapshot'
import { tempDir } from '../helpers/paths'
import type { HostileCase } from './corpus'

const CHROMIUM = '/usr/bin/chromium'
const TITLE = 'LUS Review credential test'

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let services: Services
let rendererDir: string
let server: RunningServer

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** A request to 127.0.0.1:port with the path and Host exactly as given (fetch would normalize the one and drop the other). */
function raw(port: number, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString('utf8')))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Where the printed URL points: the origin the browser holds the cookie for. */
const printedOrigin = (): string => new URL(server.url).origin
const credentialHost = (): string => new URL(server.url).host

beforeAll(async () => {
  tmp = tempDir('lus-credential-')
  db = openCatalog(join(tmp.path, 'catalog.db'))
  services = createServices({ db, catalogPath: join(tmp.path, 'catalog.db'), transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
  rendererDir = join(tmp.path, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), `<!doctype html><html><head><title>${TITLE}</title></head><body></body></html>`)
  server = await startServer({ services, rendererDir, port: 0 })
})
afterAll(async () => {
  await server?.close()
  await services?.close()
  db?.close()
  tmp?.cleanup()
})

describe('the credential stays with this server', () => {
  it('prints a URL on a per-run *.localhost name, not on the shared loopback address', () => {
    expect(server.origin).toMatch(/^http:\/\/lus-[0-9a-f]{16}\.localhost:\d+$/)
    expect(server.url).toBe(`${server.origin}/?token=${server.token}`)
    expect(server.addressOrigin).toBe(`http://127.0.0.1:${server.port}`)
  })

  it('sets a host-only cookie (no Domain) on the per-run name only', async () => {
    const trade = await raw(server.port, `/?token=${server.token}`, { host: credentialHost() })
    expect(trade.status).toBe(303)
    const setCookie = String(trade.headers['set-cookie'])
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).not.toMatch(/domain=/i)
    expect(new URL(String(trade.headers.location), server.origin).origin).toBe(server.origin)
  })

  it('carries the token URL opened at 127.0.0.1 over to the per-run name without setting a cookie there', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`]) {
      const trade = await raw(server.port, `/review?x=1&token=${server.token}`, { host })
      expect(trade.status, host).toBe(303)
      expect(trade.headers['set-cookie'], host).toBeUndefined()
      expect(trade.headers.location, host).toBe(`${server.origin}/review?x=1&token=${server.token}`)
    }
  })

  it('refuses its own cookie arriving at the shared loopback address (where any local server could have set one)', async () => {
    const cookie = `lus_token_${server.port}=${server.token}`
    const viaName = await raw(server.port, '/', { host: credentialHost(), cookie })
    expect(viaName.status).toBe(200)
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`]) {
      const res = await raw(server.port, '/', { host, cookie })
      expect(res.status, host).toBe(401)
      expect(res.body, host).not.toContain(TITLE)
    }
    // Tools keep working at the address, with the token as a Bearer header.
    const tool = await raw(server.port, '/', { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${server.token}` })
    expect(tool.status).toBe(200)
  })

  it('refuses another *.localhost name (a neighbour guessing its way to the cookie path)', async () => {
    for (const host of [`lus-0000000000000000.localhost:${server.port}`, `${credentialHost()}.evil.example`, `x.${credentialHost()}`]) {
      const res = await raw(server.port, `/?token=${server.token}`, { host })
      expect(res.status, host).toBe(403)
      expect(res.headers['set-cookie'], host).toBeUndefined()
    }
  })

  describe.skipIf(!existsSync(CHROMIUM))('in Debian Chromium, with a second server on another loopback port', () => {
    let browser: Browser
    let neighbour: Server
    let neighbourPort = 0
    const received: IncomingHttpHeaders[] = []

    beforeAll(async () => {
      neighbour = createServer((req, res) => {
        received.push(req.headers)
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>neighbour</title>')
      })
      await new Promise<void>((ok) => neighbour.listen(0, '127.0.0.1', ok))
      neighbourPort = (neighbour.address() as { port: number }).port
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] })
    })
    afterAll(async () => {
      await browser?.close()
      await new Promise((ok) => neighbour?.close(ok))
    })

    it('opens the app by the printed URL, then the neighbour on 127.0.0.1 and localhost never receives the token', async () => {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(server.url)
      expect(await page.title()).toBe(TITLE)
      // The app's own API answers the page with the cookie alone.
      const info = await page.evaluate(async () => {
        const r = await fetch('/api/app/info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
        return ((await r.json()) as { ok: boolean }).ok
      })
      expect(info).toBe(true)

      for (const neighbourUrl of [`http://127.0.0.1:${neighbourPort}/`, `http://localhost:${neighbourPort}/`, `http://127.0.0.1:${neighbourPort}/api/app/info`]) {
        await page.goto(neighbourUrl)
        expect(await page.title()).toBe('neighbour')
      }
      expect(received.length).toBeGreaterThanOrEqual(3)
      for (const headers of received) {
        expect(JSON.stringify(headers)).not.toContain(server.token)
        expect(headers.cookie ?? '').not.toContain('lus_token')
      }
      expect(page.url()).toBe(`http://127.0.0.1:${neighbourPort}/api/app/info`)
      const [cookie, ...others] = await context.cookies()
      expect(others).toEqual([])
      expect(cookie?.domain).toBe(new URL(server.origin).hostname)
      // And the serve port itself under its address: no cookie goes there either, so no page.
      const bare = await page.goto(`http://127.0.0.1:${server.port}/`)
      expect(bare?.status()).toBe(401)
      await context.close()
    })
  })
})

interface RedirectCase extends HostileCase {
  domain: 'serve'
  /** The request path, token appended. */
  path: string
}

const TO_ANOTHER_SITE = /^same origin$/
const redirectCases: RedirectCase[] = [
  { id: 'serve-redirect-dot-slashes', domain: 'serve', description: 'a dot segment before two slashes', path: '/.//evil.example', expect: TO_ANOTHER_SITE },
  { id: 'serve-redirect-double-slash', domain: 'serve', description: 'a protocol-relative path', path: '//evil.example', expect: TO_ANOTHER_SITE },
  { id: 'serve-redirect-triple-slash', domain: 'serve', description: 'three slashes', path: '///evil.example', expect: TO_ANOTHER_SITE },
  { id: 'serve-redirect-backslash', domain: 'serve', description: 'a slash and a backslash', path: '/\\evil.example', expect: TO_ANOTHER_SITE },
  { id: 'serve-redirect-backslashes', domain: 'serve', description: 'two backslashes after the slash', path: '/\\\\evil.example', expect: TO_ANOTHER_SITE },
  { id: 'serve-redirect-dot-backslash', domain: 'serve', description: 'a dot segment before a backslash', path: '/./\\evil.example', expect: TO_ANOTHER_SITE },
  { id: 'serve-redirect-encoded-dot', domain: 'serve', description: 'an encoded dot segment before two slashes', path: '/%2e//evil.example', expect: TO_ANOTHER_SITE },
  { id: 'serve-redirect-encoded-dots', domain: 'serve', description: 'an encoded double dot before two slashes', path: '/%2e%2e//evil.example', expect: TO_ANOTHER_SITE },
  { id: 'serve-redirect-encoded-slashes', domain: 'serve', description: 'percent-encoded slashes', path: '/%2F%2Fevil.example', expect: TO_ANOTHER_SITE },
  { id: 'serve-redirect-encoded-backslashes', domain: 'serve', description: 'percent-encoded backslashes', path: '/%5C%5Cevil.example', expect: TO_ANOTHER_SITE },
  { id: 'serve-redirect-scheme-path', domain: 'serve', description: 'an absolute URL as the path', path: '/http://evil.example/', expect: TO_ANOTHER_SITE }
]

describe('the redirect after trading the token goes to this origin only', () => {
  for (const c of redirectCases) {
    it(`${c.id}: ${c.description}`, async () => {
      const before = snapshotCatalog(db)
      for (const host of new Set([`127.0.0.1:${server.port}`, credentialHost()])) {
        const res = await raw(server.port, `${c.path}?token=${server.token}`, { host })
        expect(res.status, host).toBe(303)
        const location = String(res.headers.location)
        // Resolved the way a browser resolves a Location header against the page it came from.
        const target = new URL(location, `http://${host}`)
        expect(target.origin === printedOrigin() ? 'same origin' : target.href, `${host} -> ${location}`).toMatch(c.expect)
        expect(target.hostname).not.toContain('evil')
      }
      expect(snapshotCatalog(db)).toBe(before)
    })
  }

  it('keeps an ordinary path and query (so the cases above fail on the slashes, not on every path)', async () => {
    const res = await raw(server.port, `/catalog/view?x=1&token=${server.token}&y=two`, { host: credentialHost() })
    expect(new URL(String(res.headers.location), printedOrigin()).href).toBe(`${printedOrigin()}/catalog/view?x=1&y=two`)
  })
})

interface TokenCase extends HostileCase {
  domain: 'serve'
  token: string
}

const TOO_WEAK = /^The --token value is too weak to protect serve mode: .+\. Nothing was started\. Leave --token out/
const tokenCases: TokenCase[] = [
  { id: 'serve-token-short-word', domain: 'serve', description: 'a short word', token: 'fixed-token', expect: /it has 11 characters/ },
  { id: 'serve-token-31-chars', domain: 'serve', description: '31 random characters', token: randomBytes(24).toString('base64url').slice(0, 31), expect: /it has 31 characters/ },
  { id: 'serve-token-empty', domain: 'serve', description: 'an empty value', token: '', expect: /it has 0 characters/ },
  { id: 'serve-token-one-letter', domain: 'serve', description: 'one letter repeated 40 times', token: 'a'.repeat(40), expect: /it repeats too few characters/ },
  { id: 'serve-token-pattern', domain: 'serve', description: 'a short pattern repeated', token: 'abc1'.repeat(10), expect: /it repeats too few characters/ },
  { id: 'serve-token-spaces', domain: 'serve', description: 'a passphrase with spaces', token: 'correct horse battery staple and more words', expect: /characters other than letters, digits/ },
  { id: 'serve-token-cookie-syntax', domain: 'serve', description: 'characters that break a cookie', token: `${randomBytes(24).toString('base64url')};x=1`, expect: /characters other than letters, digits/ },
  { id: 'serve-token-huge', domain: 'serve', description: 'a 600-character value', token: randomBytes(450).toString('base64url'), expect: /longer than 512 characters/ }
]

describe('a --token must be strong', () => {
  for (const c of tokenCases) {
    it(`${c.id}: ${c.description}`, async () => {
      const err = await startServer({ services, rendererDir, port: 0, token: c.token }).then(
        async (s) => {
          await s.close()
          return null
        },
        (e: unknown) => e
      )
      expect(err).toBeInstanceOf(UserError)
      expect((err as Error).message).toMatch(TOO_WEAK)
      expect((err as Error).message).toMatch(c.expect)
    })
  }

  it('accepts 48 hex characters and 32 base64url characters (so the refusals are about what each case changed)', async () => {
    for (const token of [randomBytes(24).toString('hex'), randomBytes(24).toString('base64url')]) {
      const s = await startServer({ services, rendererDir, port: 0, token })
      try {
        expect(s.url).toBe(`${s.origin}/?token=${token}`)
      } finally {
        await s.close()
      }
    }
  })

  it('has unique case ids in the serve domain', () => {
    const ids = [...redirectCases, ...tokenCases].map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
