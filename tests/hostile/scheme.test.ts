/**
 * Runs the scheme-* cases (schemeCases.ts) through the real handlers of the
 * Electron window's custom schemes. Electron itself cannot start here, so its
 * `protocol` module is replaced by a recorder that keeps each handler; the
 * handlers then answer WHATWG Requests exactly as Electron hands them over.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createServices, type Services } from '../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../src/main/catalog/database'
import { importDataset } from '../../src/main/dataset/datasetImport'
import { snapshotCatalog } from '../helpers/catalogSnapshot'
import { makeDataset, row } from '../helpers/fixtures'
import { tempDir } from '../helpers/paths'
import { schemeCases } from './schemeCases'

type Handler = (request: Request) => Response | Promise<Response>
const registered = vi.hoisted(() => new Map<string, (request: Request) => Response | Promise<Response>>())
vi.mock('electron', () => ({
  protocol: {
    handle: (scheme: string, handler: Handler) => registered.set(scheme, handler),
    registerSchemesAsPrivileged: () => undefined
  }
}))

const { handleAppProtocol, handleMediaProtocol } = await import('../../src/main/electron/protocols')
const { APP_SCHEME, MEDIA_SCHEME, APP_ORIGIN } = await import('../../src/main/electron/windowOptions')

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let services: Services
const ids = { SYMLINK: 0, KEPT: 0 }

beforeAll(async () => {
  tmp = tempDir('lus-scheme-')
  writeFileSync(join(tmp.path, 'secret.txt'), 'outside secret')
  // The renderer three levels down, so /../../../secret.txt would reach the secret if not contained.
  const renderer = join(tmp.path, 'a', 'b', 'renderer')
  mkdirSync(join(renderer, 'assets'), { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>LUS Review</title>')
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
  symlinkSync(join(tmp.path, 'secret.txt'), join(renderer, 'escape.txt'))

  db = openCatalog(join(tmp.path, 'catalog.db'))
  const root = join(tmp.path, 'ds')
  makeDataset(root, [row('kept'), row('swap')], { 'pocus_videos/convex/kept.mp4': 'clip', 'pocus_videos/convex/swap.mp4': 'clip' })
  await importDataset(db, root)
  // Swapped for a link out of the dataset after import.
  rmSync(join(root, 'pocus_videos/convex/swap.mp4'))
  symlinkSync(join(tmp.path, 'secret.txt'), join(root, 'pocus_videos/convex/swap.mp4'))
  services = createServices({ db, catalogPath: join(tmp.path, 'catalog.db'), transport: 'ipc', version: 'test', cacheDir: join(tmp.path, 'cache') })
  const entries = services.repository.list()
  ids.SYMLINK = entries.find((e) => e.filename === 'swap')!.mediaId!
  ids.KEPT = entries.find((e) => e.filename === 'kept')!.mediaId!

  handleAppProtocol(renderer)
  handleMediaProtocol(services)
})
afterAll(async () => {
  await services.close()
  db.close()
  tmp.cleanup()
})

function call(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const scheme = new URL(url).protocol.replace(/:$/, '')
  const handler = registered.get(scheme)
  if (!handler) throw new Error(`no handler for ${scheme}`)
  return Promise.resolve(handler(new Request(url, { headers })))
}

describe('the custom schemes answer good requests (so the refusals are about what each case changed)', () => {
  it('registers both schemes', () => {
    expect([...registered.keys()].sort()).toEqual([APP_SCHEME, MEDIA_SCHEME].sort())
  })

  it('app:// serves the renderer with its type and the CSP on the page', async () => {
    const page = await call('app://renderer/index.html')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/)
    expect(page.headers.get('content-security-policy')).toContain(`media-src 'self' blob: ${MEDIA_SCHEME}:`)
    const js = await call('app://renderer/assets/app.js')
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await js.text()).toBe('console.log(1)')
    // Client-side routes fall back to the page.
    expect(await (await call('app://renderer/review/12')).text()).toMatch(/<title>LUS Review<\/title>/)
  })

  it('lus-media:// serves a clip by id, with Range, and lets only our renderer read it cross-origin', async () => {
    const whole = await call(`lus-media://media/${ids.KEPT}`)
    expect(whole.status).toBe(200)
    const size = Number(whole.headers.get('content-length'))
    expect(size).toBeGreaterThan(100)
    expect(whole.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
    const part = await call(`lus-media://media/${ids.KEPT}`, { range: 'bytes=10-19' })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${size}`)
    expect((await part.arrayBuffer()).byteLength).toBe(10)
  })
})

describe('hostile requests to the custom schemes', () => {
  for (const c of schemeCases) {
    it(`${c.id}: ${c.description}`, async () => {
      const before = snapshotCatalog(db)
      const url = c.url.replace('SYMLINK', String(ids.SYMLINK)).replace('KEPT', String(ids.KEPT))
      const res = await call(url, c.range ? { range: c.range } : {})
      const body = await res.text()
      expect(res.status).toBe(c.status)
      expect(body).toMatch(c.expect)
      if (c.mustNotContain) expect(body).not.toContain(c.mustNotContain)
      expect(snapshotCatalog(db)).toBe(before)
    })
  }
})
