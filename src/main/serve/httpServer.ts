/**
 * Serve mode: the renderer and the API over HTTP, for reviewing in a browser
 * where installing the app is not allowed (and for end-to-end tests). Bound
 * to loopback and protected by a random token: the URL printed at start
 * carries it once, the server trades it for a cookie kept under this run's
 * own `lus-<random>.localhost` name (credential.ts), which no other server
 * on this machine receives.
 *
 * What it serves is a ServeHost: the catalog's services (catalogServeHost),
 * or a reader study (src/main/reader/readerServeHost.ts), under the same
 * token, Host and CSP rules.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { isIP } from 'node:net'
import { resolve, sep } from 'node:path'
import { dispatch } from '../api/dispatch'
import type { Services } from '../app/services'
import { UserError } from '../errors'
import { PreparedJson, sendPreparedJson } from '../jobs/preparedJson'
import { checkServeToken, credentialHostName, listenError, sameOriginPath } from './credential'
import { appContentType } from '../media/contentTypes'
import { mediaResponse } from '../media/mediaResponse'
import { parseMediaPath, resolveMediaFile, type MediaAnswer } from '../media/mediaRoutes'
import { NO_STUDY_MEDIA_MESSAGE } from '../reader/studyClipRoutes'
import { CATALOG_GENERATION_HEADER, CATALOG_REPLACED_MESSAGE } from '../../shared/operations'
import { fail, type Result } from '../../shared/result'

export const MAX_BODY_BYTES = 1 << 20

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/** What a server serves besides the renderer: the API and the media files. */
export interface ServeHost {
  /** Answers one API call of an authorized page. */
  dispatch(op: string, payload: unknown): Promise<Result<unknown>>
  /** Bumped when ids held by pages stop meaning the same thing (a catalog restore); sent with every API answer. */
  generation(): number
  /** A GET under one of MEDIA_PREFIXES: the file to send (with Range support), or the refusal. */
  media(pathname: string): Promise<MediaAnswer>
}

/** Paths answered by the host's media resolver rather than as renderer files: catalog media, and a reader study's clips. */
export const MEDIA_PREFIXES = ['/media/', '/study/'] as const

/** The catalog's services as a ServeHost: `/media/<id>[/playback|/thumb]`, no study clips. */
export function catalogServeHost(services: Services): ServeHost {
  return {
    dispatch: (op, payload) => dispatch(services.handlers, op, payload),
    generation: () => services.generation ?? 0,
    media: async (pathname) => {
      if (!pathname.startsWith('/media/')) return { status: 404, message: NO_STUDY_MEDIA_MESSAGE }
      const target = parseMediaPath(pathname.slice('/media/'.length))
      if (!target) return { status: 400, message: 'Media are addressed by id: /media/<id>, /media/<id>/playback or /media/<id>/thumb.' }
      return resolveMediaFile(target, services.repository, services.playback)
    }
  }
}

interface ServeCommonOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string
  host?: string
  port?: number
  token?: string
  /** Binding beyond loopback exposes the catalog to the network: only on explicit request. */
  allowNonLoopback?: boolean
}

/** Either the catalog's services, or any ServeHost (a reader study). */
export type ServeOptions = ServeCommonOptions & ({ services: Services; app?: never } | { app: ServeHost; services?: never })

export interface RunningServer {
  /** The URL to open, with the one-time token: on the credential origin. */
  url: string
  /** Where the browser holds the cookie: `http://lus-<random>.localhost:PORT`, or the address where no such name reaches it. */
  origin: string
  /** The address listened on (`http://127.0.0.1:PORT`), for tools with `Authorization: Bearer`; a cookie is not accepted there. */
  addressOrigin: string
  port: number
  token: string
  server: Server
  close(): Promise<void>
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true
  if (isIP(host) === 4) return host.startsWith('127.')
  return host === '::1'
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return null
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' })
  res.end(body)
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY_BYTES) {
        // Drain instead of destroying the socket, so the client still gets the 413.
        req.removeAllListeners('data')
        req.resume()
        reject(new UserError('invalid_request', `Request body over ${MAX_BODY_BYTES} bytes.`))
      } else chunks.push(c)
    })
    req.on('end', () => resolveBody(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopback(host) && !options.allowNonLoopback)
    throw new UserError(
      'bad_input',
      `Refusing to listen on ${host}: serve mode binds to loopback only. Pass --allow-non-loopback to expose the catalog to the network on purpose.`
    )
  const app = options.app ?? catalogServeHost(options.services)
  if (options.token !== undefined) checkServeToken(options.token)
  const token = options.token ?? randomBytes(24).toString('base64url')
  const credentialName = credentialHostName(host)
  if (!existsSync(resolve(options.rendererDir, 'index.html')))
    throw new UserError('bad_input', `The renderer is not built (${options.rendererDir}/index.html missing): run npm run build.`)
  const rendererRoot = realpathSync(options.rendererDir)
  let port = 0
  const shownHost = host.includes(':') ? `[${host}]` : host
  const cookieName = (): string => `lus_token_${port}`
  const credentialHost = (): string | null => (credentialName ? `${credentialName}:${port}` : null)

  const authorized = (req: IncomingMessage, cookieHost: boolean): boolean => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    // A cookie counts only on the credential host: one arriving at 127.0.0.1 could have been set by any local server.
    const presented = bearer ?? (cookieHost ? cookieValue(req, cookieName()) : null)
    return presented !== null && sameSecret(presented, token)
  }

  /** 'credential': the host the cookie lives on; 'address': the listening address (Bearer only); null: refused. */
  const hostKind = (req: IncomingMessage): 'credential' | 'address' | null => {
    const h = (req.headers.host ?? '').toLowerCase()
    if (h === credentialHost()) return 'credential'
    // Bound beyond loopback on purpose: the Host is whatever name the network uses, and the cookie lives on it.
    if (options.allowNonLoopback === true && !isLoopback(host)) return 'credential'
    // Blocks DNS rebinding: a page on another origin resolving to 127.0.0.1 sends its own Host.
    const addresses = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${shownHost.toLowerCase()}:${port}`]
    if (!addresses.includes(h)) return null
    return credentialName ? 'address' : 'credential'
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    const kind = hostKind(req)
    if (kind === null) return send(res, 403, 'Forbidden host.')
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)

    const offered = url.searchParams.get('token')
    if (offered !== null) {
      if (!sameSecret(offered, token)) return send(res, 401, 'Wrong token.')
      const credential = credentialHost()
      if (kind === 'address' && credential) {
        // The token URL opened at the bare address: carry it to the credential host rather than set a cookie every local server gets.
        res.writeHead(303, { Location: `http://${credential}${sameOriginPath(url.pathname, url.search)}` })
        return void res.end()
      }
      url.searchParams.delete('token')
      const path = sameOriginPath(url.pathname, url.search)
      res.writeHead(303, {
        // No Domain attribute: a host-only cookie, sent back to this host name only.
        'Set-Cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: credential ? `http://${credential}${path}` : path
      })
      return void res.end()
    }
    if (!authorized(req, kind === 'credential'))
      return send(res, 401, 'Open the URL printed by `lus-review serve`, which carries the access token.')

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'Use POST.')
      // A JSON content type cannot be sent cross-site without a CORS preflight, which this server never grants.
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return send(res, 415, 'The API takes application/json.')
      let payload: unknown
      try {
        const body = await readBody(req)
        payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'))
      } catch (e) {
        const tooLarge = e instanceof UserError
        if (tooLarge) res.setHeader('Connection', 'close')
        return send(
          res,
          tooLarge ? 413 : 400,
          JSON.stringify({ ok: false, error: { code: 'invalid_request', message: tooLarge ? (e as Error).message : 'The request body is not valid JSON.' } }),
          'application/json'
        )
      }
      let op: string
      try {
        op = decodeURIComponent(url.pathname.slice(5))
      } catch {
        return send(res, 400, 'Bad operation name.')
      }
      // A page loaded before a restore holds ids of the catalog it replaced: refuse its calls (it says which
      // generation it loaded; the answer names the current one).
      const generation = String(app.generation())
      res.setHeader(CATALOG_GENERATION_HEADER, generation)
      const loaded = req.headers[CATALOG_GENERATION_HEADER]
      if (typeof loaded === 'string' && loaded !== generation)
        return send(res, 200, JSON.stringify(fail('conflict', CATALOG_REPLACED_MESSAGE)), 'application/json')
      const result = await app.dispatch(op, payload)
      // A large catalog/list arrives serialized by its worker: sent as is, not stringified on this thread.
      if (result.ok && result.value instanceof PreparedJson) return sendPreparedJson(res, result.value)
      return send(res, 200, JSON.stringify(result), 'application/json')
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed.')

    if (MEDIA_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) {
      const answer = await app.media(url.pathname)
      if ('message' in answer) return send(res, answer.status, answer.message)
      const r = mediaResponse(answer.file, req.headers.range, req.method)
      res.writeHead(r.status, r.headers)
      if (r.body) r.body.pipe(res)
      else res.end()
      return
    }

    // Static files of the built renderer; anything else falls back to index.html.
    let rel: string
    try {
      rel = decodeURIComponent(url.pathname)
    } catch {
      return send(res, 400, 'Bad path.')
    }
    let file = resolve(rendererRoot, '.' + rel)
    if (!file.startsWith(rendererRoot + sep) && file !== rendererRoot) return send(res, 403, 'Forbidden path.')
    if (!existsSync(file) || !statSync(file).isFile()) file = resolve(rendererRoot, 'index.html')
    else if (!realpathSync(file).startsWith(rendererRoot + sep)) return send(res, 403, 'Forbidden path.')
    const headers: Record<string, string> = {
      'Content-Type': appContentType(file),
      'Content-Length': String(statSync(file).size),
      'Cache-Control': 'no-store'
    }
    if (file.endsWith('.html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY
    res.writeHead(200, headers)
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file).pipe(res)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('[lus-review] request failed:', e)
      if (!res.headersSent) send(res, 500, 'Internal error.')
      else res.destroy()
    })
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', (e) => fail(listenError(e, host, options.port ?? 0)))
    server.listen(options.port ?? 0, host, () => ok())
  })
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : 0
  const addressOrigin = `http://${shownHost}:${port}`
  const origin = credentialName ? `http://${credentialName}:${port}` : addressOrigin
  return {
    url: `${origin}/?token=${token}`,
    origin,
    addressOrigin,
    port,
    token,
    server,
    close: () => new Promise((ok) => server.close(() => ok()))
  }
}
