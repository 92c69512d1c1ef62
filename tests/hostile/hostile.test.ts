/**
 * Runs the csv-* and media-* cases of the hostile-input corpus (corpus.ts)
 * and the api-* and serve-* cases below: each must be answered with its
 * specific message and leave the catalog as it was (its fingerprint,
 * snapshotCatalog, is compared before and after). Also checks the corpus as a
 * whole, with the dicom-* (dicom.test.ts), bundle-* (bundles.test.ts) and
 * scheme-* (scheme.test.ts) cases.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/api/dispatch'
import { createServices, type Services } from '../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../src/main/catalog/database'
import { importDataset } from '../../src/main/dataset/datasetImport'
import { UserError } from '../../src/main/errors'
import { exportCsv } from '../../src/main/export/csvExport'
import { startServer, type RunningServer } from '../../src/main/serve/httpServer'
import { parseDatasetCsv } from '../../src/main/dataset/csvCodec'
import { snapshotCatalog } from '../helpers/catalogSnapshot'
import { makeClip, makeDataset, row } from '../helpers/fixtures'
import { tempDir } from '../helpers/paths'
import { bundleCases } from './bundleCases'
import { datasetCases, DOMAINS, type HostileCase } from './corpus'
import { dicomCases } from './dicomCases'
import { schemeCases } from './schemeCases'
import { csvWith, goodRows, pngImage, writeFile } from './generators'

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

describe('the corpus', () => {
  const all = (): HostileCase[] => [...datasetCases, ...dicomCases, ...bundleCases, ...schemeCases, ...apiCases, ...serveCases]

  it('has at least 30 cases in all, with unique ids prefixed by their domain', () => {
    expect(all().length).toBeGreaterThanOrEqual(30)
    expect(new Set(all().map((c) => c.id)).size).toBe(all().length)
    for (const c of all()) expect(c.id.startsWith(`${c.domain}-`), c.id).toBe(true)
  })

  it('has cases in every domain', () => {
    for (const domain of DOMAINS) expect(all().filter((c) => c.domain === domain).length, domain).toBeGreaterThan(0)
    expect(new Set(all().map((c) => c.domain))).toEqual(new Set(DOMAINS))
  })
})

describe('hostile dataset folders', () => {
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

describe('good inputs beside them are accepted (so the refusals are about what each case changed)', () => {
  it('the good dataset of the csv and media cases (goodRows, real media) imports with nothing flagged', async () => {
    const root = join(tmp.path, 'good-control')
    writeFile(join(root, 'dataset_metadata.csv'), csvWith(goodRows()))
    makeClip(join(root, 'pocus_videos/convex/clip-a.mp4'))
    pngImage(join(root, 'pocus_images/convex/clip-b.png'))
    const report = await importDataset(db, root)
    expect(report.unreadable).toEqual([])
    const entries = services.repository.list().filter((e) => e.sourceId === report.sourceId)
    expect(entries.map((e) => e.filename).sort()).toEqual(['clip-a', 'clip-b'])
    expect(entries.find((e) => e.filename === 'clip-a')!.mediaStatus).not.toBe('unreadable')
  })

  it('well-formed API payloads of the operations the api cases attack', async () => {
    const id = services.repository.list()[0]!.id
    expect(await dispatch(services.handlers, 'catalog/get', { id })).toMatchObject({ ok: true })
    expect(await dispatch(services.handlers, 'catalog/update', { id, cells: {} })).toMatchObject({ ok: true })
    expect(await dispatch(services.handlers, 'dataset/exportCsv', { outPath: join(tmp.path, 'out.csv') })).toMatchObject({ ok: true })
  })
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

interface ApiCase extends HostileCase {
  domain: 'api'
  op: unknown
  args: unknown
  code: string
}

const apiCases: ApiCase[] = [
  { id: 'api-unknown-op', domain: 'api', description: 'an operation that does not exist', op: 'catalog/drop', args: {}, code: 'invalid_request', expect: /^Unknown operation "catalog\/drop"\.$/ },
  { id: 'api-op-not-string', domain: 'api', description: 'an object for the operation name', op: { toString: 'x' }, args: {}, code: 'invalid_request', expect: /^Unknown operation \{"toString":"x"\}\.$/ },
  { id: 'api-wrong-type', domain: 'api', description: 'SQL where an id goes', op: 'catalog/get', args: { id: '1 OR 1=1' }, code: 'invalid_request', expect: /Invalid arguments for catalog\/get: .*expected number, received string\s+→ at id/ },
  { id: 'api-negative-id', domain: 'api', description: 'a negative id', op: 'catalog/get', args: { id: -1 }, code: 'invalid_request', expect: /Invalid arguments for catalog\/get: .*expected number to be >0\s+→ at id/ },
  { id: 'api-extra-key', domain: 'api', description: 'an unknown key beside the arguments', op: 'catalog/update', args: { id: 1, cells: {}, sql: 'DROP TABLE entries' }, code: 'invalid_request', expect: /Invalid arguments for catalog\/update: .*Unrecognized key: "sql"/ },
  { id: 'api-proto-pollution', domain: 'api', description: 'a __proto__ key', op: 'catalog/update', args: JSON.parse('{"id":1,"cells":{},"__proto__":{"admin":true}}'), code: 'invalid_request', expect: /Invalid arguments for catalog\/update: .*Unrecognized key: "__proto__"/ },
  { id: 'api-unknown-column', domain: 'api', description: 'a cell of a column that does not exist', op: 'catalog/update', args: { id: 1, cells: { 'Label; DROP': 'x' } }, code: 'invalid_request', expect: /Unrecognized key: "Label; DROP"\s+→ at cells/ },
  { id: 'api-oversized-cell', domain: 'api', description: 'a 100 001-character cell', op: 'catalog/update', args: { id: 1, cells: { Title: 'x'.repeat(100_001) } }, code: 'invalid_request', expect: /expected string to have <=100000 characters\s+→ at cells\.Title/ },
  { id: 'api-relative-import', domain: 'api', description: 'a relative dataset folder (the import job fails)', op: 'dataset/import', args: { folder: '../../etc' }, code: 'ok-job-fails', expect: /^Give the dataset folder as an absolute path \(got "\.\.\/\.\.\/etc"\)\.$/ },
  { id: 'api-export-relative-path', domain: 'api', description: 'a relative export path', op: 'dataset/exportCsv', args: { outPath: '../out.csv' }, code: 'bad_input', expect: /^Give the output file as an absolute path \(got "\.\.\/out\.csv"\)\.$/ },
  { id: 'api-export-not-csv', domain: 'api', description: 'an export to a shell script', op: 'dataset/exportCsv', args: { outPath: '/tmp/evil.sh' }, code: 'bad_input', expect: /^The output file must end in \.csv \(got "evil\.sh"\)\.$/ },
  { id: 'api-empty-user-name', domain: 'api', description: 'a blank user name', op: 'settings/setUserName', args: { name: '   ' }, code: 'invalid_request', expect: /Invalid arguments for settings\/setUserName: .*expected string to have >=1 characters\s+→ at name/ }
]

describe('hostile API payloads', () => {
  for (const c of apiCases) {
    it(`${c.id}: ${c.description}`, async () => {
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

interface ServeCase extends HostileCase {
  domain: 'serve'
  path: string
  auth: 'none' | 'wrong' | 'right'
  host?: string
  method?: string
  contentType?: string
  body?: string
  status: number
  /** `expect` is matched against the response body. The body must not contain this (e.g. file contents outside the app). */
  mustNotContain?: string
}

let server: RunningServer
const NEEDS_TOKEN = /^Open the URL printed by `lus-review serve`, which carries the access token\.$/
const APP_PAGE = /^<!doctype html><title>LUS Review<\/title>$/
const MEDIA_BY_ID = /^Media are addressed by id: \/media\/<id>, \/media\/<id>\/playback or \/media\/<id>\/thumb\.$/
const serveCases: ServeCase[] = [
  { id: 'serve-no-token', domain: 'serve', description: 'the app page without the token', path: '/', auth: 'none', status: 401, expect: NEEDS_TOKEN },
  { id: 'serve-no-token-api', domain: 'serve', description: 'an API call without the token', path: '/api/catalog/list', auth: 'none', method: 'POST', contentType: 'application/json', body: '{}', status: 401, expect: NEEDS_TOKEN },
  { id: 'serve-no-token-media', domain: 'serve', description: 'a media file without the token', path: '/media/1', auth: 'none', status: 401, expect: NEEDS_TOKEN },
  { id: 'serve-wrong-token', domain: 'serve', description: 'a guessed token in the URL', path: '/?token=guess', auth: 'none', status: 401, expect: /^Wrong token\.$/ },
  { id: 'serve-wrong-bearer', domain: 'serve', description: 'a wrong bearer token', path: '/media/1', auth: 'wrong', status: 401, expect: NEEDS_TOKEN },
  { id: 'serve-foreign-host', domain: 'serve', description: 'a foreign Host header (DNS rebinding)', path: '/', auth: 'right', host: 'evil.example', status: 403, expect: /^Forbidden host\.$/ },
  { id: 'serve-dotdot', domain: 'serve', description: '/../ up to /etc/passwd', path: '/../../../../etc/passwd', auth: 'right', status: 200, expect: APP_PAGE, mustNotContain: 'root:' },
  // The URL parser folds %2e%2e into .. at the root, so this is the app page, not the file.
  { id: 'serve-encoded-dotdot', domain: 'serve', description: '%2e%2e up to /etc/passwd', path: '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', auth: 'right', status: 200, expect: APP_PAGE, mustNotContain: 'root:' },
  { id: 'serve-encoded-slash', domain: 'serve', description: '..%2f up to /etc/passwd', path: '/..%2f..%2f..%2fetc%2fpasswd', auth: 'right', status: 403, expect: /^Forbidden path\.$/, mustNotContain: 'root:' },
  { id: 'serve-media-absolute', domain: 'serve', description: 'a media path instead of an id', path: '/media//etc/passwd', auth: 'right', status: 400, expect: MEDIA_BY_ID, mustNotContain: 'root:' },
  { id: 'serve-media-traversal', domain: 'serve', description: 'a media path climbing out', path: '/media/..%2f..%2fetc%2fpasswd', auth: 'right', status: 400, expect: MEDIA_BY_ID, mustNotContain: 'root:' },
  { id: 'serve-media-symlink-escape', domain: 'serve', description: 'a media file swapped for a link out of the dataset', path: '/media/SYMLINK', auth: 'right', status: 403, expect: /^Refused: pocus_videos\/convex\/swap\.mp4 links outside the dataset folder\.$/, mustNotContain: 'outside secret' },
  { id: 'serve-api-form-post', domain: 'serve', description: 'a cross-site form post to the API', path: '/api/catalog/list', auth: 'right', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'a=1', status: 415, expect: /^The API takes application\/json\.$/ },
  { id: 'serve-api-oversized', domain: 'serve', description: 'a 1.1 MB API body', path: '/api/catalog/list', auth: 'right', method: 'POST', contentType: 'application/json', body: `{"x":"${'a'.repeat(1_100_000)}"}`, status: 413, expect: /"code":"invalid_request","message":"Request body over 1048576 bytes\."/ }
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

  it('answers the right token, the loopback host and a media id (so the refusals are about what each case changed)', async () => {
    const get = (path: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${server.token}` } }, (r) => {
          let body = ''
          r.on('data', (d: Buffer) => (body += d.toString('latin1')))
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }))
        })
        req.on('error', reject)
        req.end()
      })
    expect(await get('/')).toMatchObject({ status: 200, body: expect.stringMatching(/<title>LUS Review<\/title>/) })
    const kept = services.repository.list().find((e) => e.filename === 'kept-a')!.mediaId!
    expect((await get(`/media/${kept}`)).status).toBe(200)
  })

  it('refuses to listen beyond loopback without the explicit flag', async () => {
    await expect(startServer({ services, rendererDir: join(tmp.path, 'renderer'), host: '0.0.0.0' })).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0/)
  })

  for (const c of serveCases) {
    it(`${c.id}: ${c.description}`, async () => {
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
      expect(res.body).toMatch(c.expect)
      if (c.mustNotContain) expect(res.body).not.toContain(c.mustNotContain)
      expect(snapshotCatalog(db)).toBe(before)
    })
  }
})
