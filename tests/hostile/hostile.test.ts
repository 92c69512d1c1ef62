/**
 * Runs the hostile-input corpus (corpus.ts) and the API / serve-mode cases:
 * each must be answered with its specific message and leave the catalog as it was.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/api/dispatch'
import { createServices, type Services } from '../../src/main/api/handlers'
import { openCatalog, type CatalogDb } from '../../src/main/catalog/database'
import { importDataset } from '../../src/main/dataset/datasetImport'
import { UserError } from '../../src/main/errors'
import { exportCsv } from '../../src/main/export/csvExport'
import { startServer, type RunningServer } from '../../src/main/serve/httpServer'
import { parseDatasetCsv } from '../../src/main/dataset/csvCodec'
import { snapshotCatalog } from '../helpers/catalogSnapshot'
import { makeDataset, row } from '../helpers/fixtures'
import { tempDir } from '../helpers/paths'
import { datasetCases } from './corpus'
import { csvWith, writeFile } from './generators'

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let services: Services
let goodRoot: string

beforeAll(async () => {
  tmp = tempDir('lus-hostile-')
  db = openCatalog(join(tmp.path, 'catalog.db'))
  goodRoot = join(tmp.path, 'good')
  makeDataset(goodRoot, [row('kept-a'), row('kept-b')], { 'pocus_videos/convex/kept-a.mp4': 'clip' })
  await importDataset(db, goodRoot)
  services = createServices({ db, catalogPath: join(tmp.path, 'catalog.db'), transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
  services.review.settings.setUserName('Hostile Tester')
})
afterAll(async () => {
  await services.close()
  db.close()
  tmp.cleanup()
})

const goodSourceRows = (): string =>
  JSON.stringify(db.prepare('SELECT e.*, m.rel_path, m.error FROM entries e LEFT JOIN media m ON m.id = e.media_id WHERE e.source_id = 1 ORDER BY e.id').all())

describe('hostile dataset folders', () => {
  it('the corpus has at least 30 cases in all', () => {
    expect(datasetCases.length + apiCases.length + serveCases.length).toBeGreaterThanOrEqual(30)
    expect(new Set(datasetCases.map((c) => c.id)).size).toBe(datasetCases.length)
  })

  for (const c of datasetCases) {
    it(`${c.id}: ${c.description}`, async () => {
      const root = join(tmp.path, c.id)
      c.build(root)
      const before = snapshotCatalog(db)
      const keptBefore = goodSourceRows()
      const outcome = await importDataset(db, root).then(
        (report) => ({ report, error: null }),
        (error: unknown) => ({ report: null, error })
      )
      if (c.kind === 'import-refused') {
        expect(outcome.error).toBeInstanceOf(UserError)
        expect((outcome.error as Error).message).toMatch(c.expect)
        expect(snapshotCatalog(db)).toBe(before)
      } else {
        expect(outcome.error).toBeNull()
        const flagged = outcome.report!.unreadable.find((u) => u.file === c.file)
        expect(flagged, `${c.file} should be flagged unreadable`).toBeDefined()
        expect(flagged!.error).toMatch(c.expect)
        const entry = services.repository.list().find((e) => e.sourceId === outcome.report!.sourceId && e.filename === 'clip-a')!
        expect(entry.mediaStatus).toBe('unreadable')
        // The hostile file did not touch what was already in the catalog.
        expect(goodSourceRows()).toBe(keptBefore)
      }
    })
  }
})

describe('spreadsheet formula injection', () => {
  it('imports formula-like cells verbatim and neutralises them on export; other records stay byte-identical', async () => {
    const root = join(tmp.path, 'formulas')
    const rows = [row('plain'), row('evil', { Title: '=HYPERLINK("http://evil.example","click")', DOI: '@SUM(A1)', Age: '-3+cmd|calc' }), row('neg', { Age: '-5' })]
    writeFile(join(root, 'dataset_metadata.csv'), csvWith(rows))
    const f = openCatalog(join(tmp.path, 'formulas.db'))
    try {
      await importDataset(f, root, { probe: async () => ({ frames: 1, fps: null, width: 1, height: 1, durationS: null, codec: 'stub' }) })
      const out = exportCsv(f)
      expect(out.neutralizedCells).toBe(3)
      const recs = parseDatasetCsv(out.bytes).records
      expect(recs[1]!.cells).toContain(`'=HYPERLINK("http://evil.example","click")`)
      expect(recs[1]!.cells).toContain(`'@SUM(A1)`)
      expect(recs[1]!.cells).toContain(`'-3+cmd|calc`)
      const source = parseDatasetCsv(Buffer.from(csvWith(rows))).records
      expect(recs[0]!.raw).toBe(source[0]!.raw)
      expect(recs[2]!.raw).toBe(source[2]!.raw)
    } finally {
      f.close()
    }
  })

  it('neutralises a formula typed into a cell in the app', async () => {
    const id = services.repository.list().find((e) => e.filename === 'kept-b')!.id
    services.review.editCells(id, { 'Comments first medical doctor (MD1)': '+1+1' })
    const rec = parseDatasetCsv(exportCsv(db).bytes).records.find((r) => r.cells[2] === 'kept-b')!
    expect(rec.cells[15]).toBe(`'+1+1`)
    services.review.undo()
  })
})

interface ApiCase {
  id: string
  op: unknown
  args: unknown
  code: string
  expect: RegExp
}

const apiCases: ApiCase[] = [
  { id: 'api-unknown-op', op: 'catalog/drop', args: {}, code: 'invalid_request', expect: /Unknown operation "catalog\/drop"/ },
  { id: 'api-op-not-string', op: { toString: 'x' }, args: {}, code: 'invalid_request', expect: /Unknown operation/ },
  { id: 'api-wrong-type', op: 'catalog/get', args: { id: '1 OR 1=1' }, code: 'invalid_request', expect: /expected number/ },
  { id: 'api-negative-id', op: 'catalog/get', args: { id: -1 }, code: 'invalid_request', expect: /id/ },
  { id: 'api-extra-key', op: 'catalog/update', args: { id: 1, cells: {}, sql: 'DROP TABLE entries' }, code: 'invalid_request', expect: /sql/ },
  { id: 'api-proto-pollution', op: 'catalog/update', args: JSON.parse('{"id":1,"cells":{},"__proto__":{"admin":true}}'), code: 'invalid_request', expect: /__proto__/ },
  { id: 'api-unknown-column', op: 'catalog/update', args: { id: 1, cells: { 'Label; DROP': 'x' } }, code: 'invalid_request', expect: /cells/ },
  { id: 'api-oversized-cell', op: 'catalog/update', args: { id: 1, cells: { Title: 'x'.repeat(100_001) } }, code: 'invalid_request', expect: /Title/ },
  { id: 'api-relative-import', op: 'dataset/import', args: { folder: '../../etc' }, code: 'ok-job-fails', expect: /absolute path/ },
  { id: 'api-export-relative-path', op: 'dataset/exportCsv', args: { outPath: '../out.csv' }, code: 'bad_input', expect: /absolute path/ },
  { id: 'api-export-not-csv', op: 'dataset/exportCsv', args: { outPath: '/tmp/evil.sh' }, code: 'bad_input', expect: /must end in \.csv/ },
  { id: 'api-empty-user-name', op: 'settings/setUserName', args: { name: '   ' }, code: 'invalid_request', expect: /name/ }
]

describe('hostile API payloads', () => {
  for (const c of apiCases) {
    it(c.id, async () => {
      const before = snapshotCatalog(db)
      const r = await dispatch(services.handlers, c.op, c.args)
      if (c.code === 'ok-job-fails') {
        expect(r.ok).toBe(true)
        const jobId = (r as { ok: true; value: { jobId: string } }).value.jobId
        let job = services.jobs.get(jobId)
        for (let i = 0; i < 100 && job.state === 'running'; i++) {
          await new Promise((res) => setTimeout(res, 20))
          job = services.jobs.get(jobId)
        }
        expect(job.state).toBe('failed')
        expect(job.error).toMatch(c.expect)
      } else {
        expect(r.ok).toBe(false)
        const error = (r as { ok: false; error: { code: string; message: string } }).error
        expect(error.code).toBe(c.code)
        expect(error.message).toMatch(c.expect)
      }
      expect(snapshotCatalog(db)).toBe(before)
    })
  }
})

interface ServeCase {
  id: string
  path: string
  auth: 'none' | 'wrong' | 'right'
  host?: string
  method?: string
  contentType?: string
  body?: string
  status: number
  /** The body must not contain this (e.g. file contents outside the app). */
  mustNotContain?: string
}

let server: RunningServer
const serveCases: ServeCase[] = [
  { id: 'serve-no-token', path: '/', auth: 'none', status: 401 },
  { id: 'serve-no-token-api', path: '/api/catalog/list', auth: 'none', method: 'POST', contentType: 'application/json', body: '{}', status: 401 },
  { id: 'serve-no-token-media', path: '/media/1', auth: 'none', status: 401 },
  { id: 'serve-wrong-token', path: '/?token=guess', auth: 'none', status: 401 },
  { id: 'serve-wrong-bearer', path: '/media/1', auth: 'wrong', status: 401 },
  { id: 'serve-foreign-host', path: '/', auth: 'right', host: 'evil.example', status: 403 },
  { id: 'serve-dotdot', path: '/../../../../etc/passwd', auth: 'right', status: 200, mustNotContain: 'root:' },
  // The URL parser folds %2e%2e into .. at the root, so this is the app page, not the file.
  { id: 'serve-encoded-dotdot', path: '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', auth: 'right', status: 200, mustNotContain: 'root:' },
  { id: 'serve-encoded-slash', path: '/..%2f..%2f..%2fetc%2fpasswd', auth: 'right', status: 403, mustNotContain: 'root:' },
  { id: 'serve-media-absolute', path: '/media//etc/passwd', auth: 'right', status: 400, mustNotContain: 'root:' },
  { id: 'serve-media-traversal', path: '/media/..%2f..%2fetc%2fpasswd', auth: 'right', status: 400, mustNotContain: 'root:' },
  { id: 'serve-media-symlink-escape', path: '/media/SYMLINK', auth: 'right', status: 403, mustNotContain: 'outside secret' },
  { id: 'serve-api-form-post', path: '/api/catalog/list', auth: 'right', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'a=1', status: 415 },
  { id: 'serve-api-oversized', path: '/api/catalog/list', auth: 'right', method: 'POST', contentType: 'application/json', body: `{"x":"${'a'.repeat(1_100_000)}"}`, status: 413 }
]

describe('hostile requests to serve mode', () => {
  let symlinkMediaId = 0
  beforeAll(async () => {
    const renderer = join(tmp.path, 'renderer')
    mkdirSync(renderer, { recursive: true })
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>LUS Review</title>')
    // A media row whose file was swapped for a link out of the dataset after import.
    const root = join(tmp.path, 'linked')
    makeDataset(root, [row('swap')], { 'pocus_videos/convex/swap.mp4': 'clip' })
    await importDataset(db, root)
    writeFile(join(tmp.path, 'outside.txt'), 'outside secret')
    const clip = join(root, 'pocus_videos/convex/swap.mp4')
    await import('node:fs').then((fs) => fs.rmSync(clip))
    symlinkSync(join(tmp.path, 'outside.txt'), clip)
    symlinkMediaId = services.repository.list().find((e) => e.filename === 'swap')!.mediaId!
    server = await startServer({ services, rendererDir: renderer })
  })
  afterAll(() => server.close())

  it('refuses to listen beyond loopback without the explicit flag', async () => {
    await expect(startServer({ services, rendererDir: join(tmp.path, 'renderer'), host: '0.0.0.0' })).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0/)
  })

  for (const c of serveCases) {
    it(c.id, async () => {
      const before = snapshotCatalog(db)
      const headers: Record<string, string> = { host: c.host ?? `127.0.0.1:${server.port}` }
      if (c.auth === 'right') headers['authorization'] = `Bearer ${server.token}`
      if (c.auth === 'wrong') headers['authorization'] = 'Bearer not-the-token'
      if (c.contentType) headers['content-type'] = c.contentType
      const path = c.path.replace('SYMLINK', String(symlinkMediaId))
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path, method: c.method ?? 'GET', headers }, (r) => {
          let body = ''
          r.on('data', (d: Buffer) => (body += d.toString('utf8')))
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }))
        })
        req.on('error', reject)
        req.end(c.body)
      })
      expect(res.status).toBe(c.status)
      if (c.mustNotContain) expect(res.body).not.toContain(c.mustNotContain)
      expect(snapshotCatalog(db)).toBe(before)
    })
  }
})
