/**
 * startServer's own refusals and the binds beside the default: a busy port
 * (catalog and reader workstation alike) is a UserError the CLI prints as one
 * line, and binds a `*.localhost` name does not reach (another loopback
 * address, the network with --allow-non-loopback) keep working with the
 * cookie on the address itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders } from 'node:http'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveStudyCommand, type ServeStudyProcess } from '../../../src/main/cli/serveStudyCommand'
import { createServices, type Services } from '../../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { UserError } from '../../../src/main/errors'
import { startServer } from '../../../src/main/serve/httpServer'
import { tempDir } from '../../helpers/paths'
import { makeStudyMedia, studyParts, writeStudyZip } from '../reader/studyFixture'

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let services: Services
let rendererDir: string
let busy: Server
let busyPort = 0

function get(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.2', port, path, headers, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

const failure = (p: Promise<{ close(): Promise<void> }>): Promise<unknown> =>
  p.then(
    async (s) => {
      await s.close()
      return null
    },
    (e: unknown) => e
  )

beforeAll(async () => {
  tmp = tempDir('lus-serve-listen-')
  db = openCatalog(join(tmp.path, 'catalog.sqlite'))
  services = createServices({ db, catalogPath: join(tmp.path, 'catalog.sqlite'), transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
  rendererDir = join(tmp.path, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>listen test</title>')
  busy = createServer()
  await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok))
  busyPort = (busy.address() as { port: number }).port
})
afterAll(async () => {
  await new Promise((ok) => busy?.close(ok))
  await services?.close()
  db?.close()
  tmp?.cleanup()
})

describe('a port that cannot be listened on', () => {
  it('is a UserError naming the port, saying nothing started and what to do (catalog)', async () => {
    const err = await failure(startServer({ services, rendererDir, port: busyPort }))
    expect(err).toBeInstanceOf(UserError)
    expect((err as UserError).code).toBe('bad_input')
    expect((err as Error).message).toBe(
      `Port ${busyPort} is in use on 127.0.0.1: another program (perhaps another lus-review serve) is listening there. Nothing was started. ` +
        'Stop that program, or pick another port with --port (--port 0 picks a free one).'
    )
  })

  it('is the same UserError for a reader workstation, and the study store it opened is closed again', async () => {
    const media = await makeStudyMedia(join(tmp.path, 'media'))
    const zip = await writeStudyZip(join(tmp.path, 'study.zip'), studyParts(media))
    const storeDir = join(tmp.path, 'store')
    const logged: string[] = []
    const proc: ServeStudyProcess = { log: (l) => logged.push(l), once: () => undefined, exit: () => undefined }
    const err = await serveStudyCommand({ studyZip: zip, storeDir, rendererDir, port: busyPort }, proc).then(
      async (s) => {
        await s.stop()
        return null
      },
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(UserError)
    expect((err as Error).message).toMatch(new RegExp(`^Port ${busyPort} is in use on 127\\.0\\.0\\.1: .* Nothing was started\\.`))
    expect(logged).toEqual([])
    // Closed: the same store opens again, on a free port this time.
    const again = await serveStudyCommand({ studyZip: zip, storeDir, rendererDir, port: 0 }, proc)
    try {
      expect(again.server.url).toMatch(/^http:\/\/lus-[0-9a-f]{16}\.localhost:\d+\/\?token=/)
    } finally {
      await again.stop()
    }
  })

  it('is a UserError for an address that is not this machine’s', async () => {
    const err = await failure(startServer({ services, rendererDir, host: '192.0.2.1', port: 0, allowNonLoopback: true }))
    expect(err).toBeInstanceOf(UserError)
    expect((err as Error).message).toMatch(/^192\.0\.2\.1 is not an address of this machine, so serve mode cannot listen on it\. Nothing was started\./)
  })
})

describe('binds a *.localhost name does not reach', () => {
  it('127.0.0.2: prints and answers its own address, with the cookie there (no name would reach it)', async () => {
    const s = await startServer({ services, rendererDir, host: '127.0.0.2', port: 0 })
    try {
      expect(s.url).toBe(`http://127.0.0.2:${s.port}/?token=${s.token}`)
      expect(s.origin).toBe(`http://127.0.0.2:${s.port}`)
      const host = `127.0.0.2:${s.port}`
      const trade = await get(s.port, `/.//evil.example?token=${s.token}`, { host })
      expect(trade.status).toBe(303)
      expect(trade.headers.location).toBe('/evil.example')
      expect(String(trade.headers['set-cookie'])).toMatch(new RegExp(`^lus_token_${s.port}=`))
      expect((await get(s.port, '/', { host, cookie: `lus_token_${s.port}=${s.token}` })).status).toBe(200)
      expect((await get(s.port, '/', { host: `evil.example:${s.port}`, cookie: `lus_token_${s.port}=${s.token}` })).status).toBe(403)
    } finally {
      await s.close()
    }
  })

  it('--allow-non-loopback on 0.0.0.0: any Host, the cookie on the name the network uses, a same-origin redirect', async () => {
    const s = await startServer({ services, rendererDir, host: '0.0.0.0', port: 0, allowNonLoopback: true })
    try {
      expect(s.url).toBe(`http://0.0.0.0:${s.port}/?token=${s.token}`)
      const host = `192.168.1.10:${s.port}`
      const trade = await get(s.port, `/%2e//evil.example?token=${s.token}`, { host })
      expect(trade.status).toBe(303)
      expect(new URL(String(trade.headers.location), `http://${host}`).host).toBe(host)
      expect((await get(s.port, '/', { host, cookie: `lus_token_${s.port}=${s.token}` })).status).toBe(200)
    } finally {
      await s.close()
    }
  })
})
