import { LATEST_SCHEMA_VERSION } from '../../../src/main/catalog/migrations'
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { dispatch, isOperationName } from '../../../src/main/api/dispatch'
import { createServices, type Services } from '../../../src/main/app/services'
import type { Handlers } from '../../../src/main/api/handlers'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { UserError } from '../../../src/main/errors'
import { contract, type Job } from '../../../src/shared/contract'
import { OPERATION_NAMES } from '../../../src/shared/operations'
import type { Result } from '../../../src/shared/result'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

type Failure = { code: string; message: string }

function expectFail(r: Result<unknown>, code: string): Failure {
  if (r.ok) throw new Error(`expected failure ${code}, got ok: ${JSON.stringify(r.value).slice(0, 300)}`)
  expect(r.error.code, r.error.message).toBe(code)
  return r.error
}

function expectOk<T = unknown>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.value as T
}

async function waitForJob(services: Services, jobId: string): Promise<Job> {
  for (;;) {
    const job = expectOk<Job>(await dispatch(services.handlers, 'jobs/get', { jobId }))
    contract['jobs/get'].result.parse(job)
    if (job.state !== 'running') return job
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function runImport(services: Services, args: { folder: string; includeOrphans?: boolean }): Promise<Job> {
  const { jobId } = expectOk<{ jobId: string }>(await dispatch(services.handlers, 'dataset/import', args))
  expect(typeof jobId).toBe('string')
  return waitForJob(services, jobId)
}

interface Ctx {
  tmp: ReturnType<typeof tempDir>
  db: CatalogDb
  catalogPath: string
  services: Services
}

function openServices(): Ctx {
  const tmp = tempDir('lus-dispatch-')
  const catalogPath = join(tmp.path, 'catalog.sqlite')
  const db = openCatalog(catalogPath)
  const services = createServices({ db, catalogPath, transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
  services.review.settings.setUserName('Test Rater')
  return { tmp, db, catalogPath, services }
}

function closeServices(c: Ctx | undefined): void {
  if (!c) return
  c.db.close()
  c.tmp.cleanup()
}

describe('dispatch: validation', () => {
  let c: Ctx
  beforeEach(() => {
    c = openServices()
  })
  afterEach(() => closeServices(c))

  it('knows exactly the operation names', () => {
    for (const op of OPERATION_NAMES) expect(isOperationName(op)).toBe(true)
    for (const op of ['nope', '', 'catalog', 'catalog/', '/catalog/list', 'toString', '__proto__', 'constructor', 42, null, undefined, {}])
      expect(isOperationName(op)).toBe(false)
  })

  it('answers an unknown operation with invalid_request naming it', async () => {
    const e = expectFail(await dispatch(c.services.handlers, 'catalog/drop', {}), 'invalid_request')
    expect(e.message).toContain('catalog/drop')
    expectFail(await dispatch(c.services.handlers, '__proto__', {}), 'invalid_request')
    expectFail(await dispatch(c.services.handlers, 'toString', {}), 'invalid_request')
    expectFail(await dispatch(c.services.handlers, 7, {}), 'invalid_request')
    expectFail(await dispatch(c.services.handlers, undefined, {}), 'invalid_request')
  })

  it('treats a missing payload as empty arguments', async () => {
    expectOk(await dispatch(c.services.handlers, 'app/info', undefined))
    expectOk(await dispatch(c.services.handlers, 'app/info', null))
  })

  it('refuses non-object payloads', async () => {
    expectFail(await dispatch(c.services.handlers, 'app/info', []), 'invalid_request')
    expectFail(await dispatch(c.services.handlers, 'app/info', 'x'), 'invalid_request')
    expectFail(await dispatch(c.services.handlers, 'catalog/get', 5), 'invalid_request')
  })

  it('refuses wrong argument types, naming the field', async () => {
    const cases: [string, unknown, string][] = [
      ['catalog/get', { id: '1' }, 'id'],
      ['catalog/get', { id: 1.5 }, 'id'],
      ['catalog/get', { id: 0 }, 'id'],
      ['catalog/get', { id: -3 }, 'id'],
      ['catalog/get', {}, 'id'],
      ['catalog/update', { id: 1, cells: { Title: 5 } }, 'cells'],
      ['catalog/update', { id: 1, cells: 'Title=x' }, 'cells'],
      ['catalog/update', { id: 1 }, 'cells'],
      ['dataset/import', { folder: 42 }, 'folder'],
      ['dataset/import', { folder: '' }, 'folder'],
      ['dataset/import', { folder: '/x', includeOrphans: 'yes' }, 'includeOrphans'],
      ['dataset/exportCsv', { sourceId: 'one' }, 'sourceId'],
      ['dataset/exportCsv', { outPath: 3 }, 'outPath'],
      ['jobs/get', { jobId: 9 }, 'jobId'],
      ['jobs/get', { jobId: 'x'.repeat(65) }, 'jobId']
    ]
    for (const [op, args, field] of cases) {
      const e = expectFail(await dispatch(c.services.handlers, op, args), 'invalid_request')
      expect(e.message, `${op} ${JSON.stringify(args)}`).toContain(op)
      expect(e.message, `${op} ${JSON.stringify(args)}`).toContain(field)
    }
  })

  it('refuses extra keys (strict arguments)', async () => {
    const cases: [string, unknown][] = [
      ['app/info', { verbose: true }],
      ['catalog/list', { limit: 10 }],
      ['catalog/stats', { x: 1 }],
      ['catalog/get', { id: 1, extra: true }],
      ['catalog/update', { id: 1, cells: {}, force: true }],
      ['dataset/import', { folder: '/x', recursive: true }],
      ['dataset/exportCsv', { path: '/x.csv' }],
      ['jobs/get', { jobId: 'a', wait: true }]
    ]
    for (const [op, args] of cases) {
      const e = expectFail(await dispatch(c.services.handlers, op, args), 'invalid_request')
      expect(e.message, op).toMatch(/unrecognized key/i)
    }
  })

  it('refuses catalog/update of an unknown column before touching the catalog', async () => {
    const before = snapshotCatalog(c.db)
    const e = expectFail(await dispatch(c.services.handlers, 'catalog/update', { id: 1, cells: { Bogus: 'x' } }), 'invalid_request')
    expect(e.message).toContain('Bogus')
    expect(snapshotCatalog(c.db)).toBe(before)
  })

  it('refuses a cell over 100000 characters', async () => {
    expectFail(await dispatch(c.services.handlers, 'catalog/update', { id: 1, cells: { Title: 'x'.repeat(100_001) } }), 'invalid_request')
  })

  it('answers catalog/get of an unknown id with not_found', async () => {
    const e = expectFail(await dispatch(c.services.handlers, 'catalog/get', { id: 999 }), 'not_found')
    expect(e.message).toContain('999')
  })

  it('answers catalog/update of an unknown id with not_found', async () => {
    expectFail(await dispatch(c.services.handlers, 'catalog/update', { id: 999, cells: { Title: 'x' } }), 'not_found')
  })

  it('answers jobs/get of an unknown job with not_found', async () => {
    expectFail(await dispatch(c.services.handlers, 'jobs/get', { jobId: 'no-such-job' }), 'not_found')
  })

  it('answers dataset/exportCsv on an empty catalog with not_found', async () => {
    expectFail(await dispatch(c.services.handlers, 'dataset/exportCsv', {}), 'not_found')
  })

  it('answers an empty catalog with valid results', async () => {
    const info = contract['app/info'].result.parse(expectOk(await dispatch(c.services.handlers, 'app/info', {})))
    expect(info).toEqual({ version: 'test', transport: 'http', catalogPath: c.catalogPath, schemaVersion: LATEST_SCHEMA_VERSION, sources: [] })
    expect(contract['catalog/list'].result.parse(expectOk(await dispatch(c.services.handlers, 'catalog/list', {})))).toEqual({ entries: [] })
    expect(contract['catalog/stats'].result.parse(expectOk(await dispatch(c.services.handlers, 'catalog/stats', {})))).toEqual({
      total: 0,
      withMedia: 0,
      byLabelProbeType: [],
      byMediaStatus: {},
      pathologiesByLabel: [],
      symptomsByLabel: [],
      byLicense: []
    })
  })

  it('refuses edits until a user name is set, with a message saying so', async () => {
    const fresh = openServices()
    try {
      fresh.db.prepare('DELETE FROM settings').run()
      const e = expectFail(await dispatch(fresh.services.handlers, 'catalog/update', { id: 1, cells: { Title: 'x' } }), 'conflict')
      expect(e.message).toMatch(/Set your name first/)
      expectFail(await dispatch(fresh.services.handlers, 'settings/setUserName', { name: '   ' }), 'invalid_request')
      expect(expectOk(await dispatch(fresh.services.handlers, 'settings/setUserName', { name: ' Dr. Ng ' }))).toEqual({ userName: 'Dr. Ng' })
      expect(expectOk(await dispatch(fresh.services.handlers, 'settings/get', {}))).toEqual({ userName: 'Dr. Ng' })
    } finally {
      closeServices(fresh)
    }
  })
})

describe('dispatch: error mapping', () => {
  // The stubs answer partial values: their results are not what these tests check.
  const STUB_RESULTS = { checkResults: 'rater-only' } as const
  const base = (): Handlers => {
    const c = {} as Record<string, unknown>
    for (const op of OPERATION_NAMES) c[op] = () => ({})
    return c as Handlers
  }

  it('passes a handler value through as ok', async () => {
    const h = { ...base(), 'catalog/stats': () => ({ total: 1 }) } as unknown as Handlers
    expect(await dispatch(h, 'catalog/stats', {}, STUB_RESULTS)).toEqual({ ok: true, value: { total: 1 } })
  })

  it('awaits async handlers', async () => {
    const h = { ...base(), 'catalog/stats': async () => ({ total: 2 }) } as unknown as Handlers
    expect(await dispatch(h, 'catalog/stats', {}, STUB_RESULTS)).toEqual({ ok: true, value: { total: 2 } })
  })

  it('gives the handler the parsed arguments', async () => {
    const seen: unknown[] = []
    const h = { ...base(), 'catalog/get': (a: unknown) => (seen.push(a), {}) } as unknown as Handlers
    expectOk(await dispatch(h, 'catalog/get', { id: 4 }, STUB_RESULTS))
    expect(seen).toEqual([{ id: 4 }])
  })

  it('does not call the handler when the arguments are invalid', async () => {
    const spy = vi.fn(() => ({}))
    const h = { ...base(), 'catalog/get': spy } as unknown as Handlers
    expectFail(await dispatch(h, 'catalog/get', { id: 'x' }), 'invalid_request')
    expect(spy).not.toHaveBeenCalled()
  })

  it('turns a UserError into its code and message', async () => {
    const h = {
      ...base(),
      'catalog/stats': () => {
        throw new UserError('conflict', 'Busy right now.')
      }
    } as unknown as Handlers
    expect(await dispatch(h, 'catalog/stats', {})).toEqual({ ok: false, error: { code: 'conflict', message: 'Busy right now.' } })
  })

  it('turns an async UserError into its code and message', async () => {
    const h = {
      ...base(),
      'catalog/stats': async () => {
        throw new UserError('unsupported', 'Nope.')
      }
    } as unknown as Handlers
    expect(await dispatch(h, 'catalog/stats', {})).toEqual({ ok: false, error: { code: 'unsupported', message: 'Nope.' } })
  })

  it('turns any other error into internal, naming the operation', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const h = {
        ...base(),
        'catalog/stats': () => {
          throw new TypeError('boom')
        }
      } as unknown as Handlers
      const e = expectFail(await dispatch(h, 'catalog/stats', {}), 'internal')
      expect(e.message).toContain('catalog/stats')
      expect(e.message).toContain('boom')
    } finally {
      spy.mockRestore()
    }
  })
})

describe('dispatch: dataset/import failures', () => {
  let c: Ctx
  beforeEach(() => {
    c = openServices()
  })
  afterEach(() => closeServices(c))

  it('fails the job for a relative folder, with a clear message, changing nothing', async () => {
    const before = snapshotCatalog(c.db)
    const job = await runImport(c.services, { folder: 'some/relative/dir' })
    expect(job.state).toBe('failed')
    expect(job.report).toBeNull()
    expect(job.message).toBe('Failed')
    expect(job.error).toMatch(/absolute path/)
    expect(job.error).toContain('some/relative/dir')
    expect(snapshotCatalog(c.db)).toBe(before)
  })

  it('fails the job for a folder that does not exist', async () => {
    const missing = join(c.tmp.path, 'nowhere')
    const job = await runImport(c.services, { folder: missing })
    expect(job.state).toBe('failed')
    expect(job.error).toContain(missing)
    expect(job.error).toMatch(/does not exist/)
  })

  it('fails the job for a file given as the folder', async () => {
    const file = join(c.tmp.path, 'a-file.csv')
    writeFileSync(file, 'x')
    const job = await runImport(c.services, { folder: file })
    expect(job.state).toBe('failed')
    expect(job.error).toMatch(/not a dataset folder|is a file/)
  })

  it('fails the job for a folder without dataset_metadata.csv, naming the file', async () => {
    const folder = join(c.tmp.path, 'no-csv')
    mkdirSync(join(folder, 'pocus_videos'), { recursive: true })
    const before = snapshotCatalog(c.db)
    const job = await runImport(c.services, { folder })
    expect(job.state).toBe('failed')
    expect(job.error).toContain('dataset_metadata.csv')
    expect(job.error).toContain(folder)
    expect(snapshotCatalog(c.db)).toBe(before)
  })
})

describe('dispatch: import and catalog operations over a synthetic dataset', () => {
  let c: Ctx
  let root: string
  let csvPath: string
  let originalCsv: Buffer

  beforeAll(() => {
    c = openServices()
    root = join(c.tmp.path, 'dataset')
    makeDataset(
      root,
      [
        row('clipA', { Title: 'First clip' }),
        row('clipB', { Label: 'regular', Probe: 'linear', 'Current location': 'pocus_videos/linear' }),
        row('clipC', { Label: 'Bacterial pneumonia' })
      ],
      {
        'pocus_videos/convex/clipA.mp4': 'clip',
        'pocus_videos/convex/clipC.mp4': 'garbage',
        'pocus_videos/linear/orphan.mp4': 'clip'
      }
    )
    csvPath = join(root, 'dataset_metadata.csv')
    originalCsv = readFileSync(csvPath)
  })
  afterAll(() => closeServices(c))

  it('imports through a job and reports the right counts', async () => {
    const job = await runImport(c.services, { folder: root })
    expect(job.error).toBeNull()
    expect(job.state).toBe('done')
    expect(job.message).toBe('Finished')
    const report = job.report!
    expect(report).toMatchObject({
      sourceId: 1,
      folder: realpathSync(root),
      rows: 3,
      entriesAdded: 3,
      entriesKept: 0,
      orphansAdded: 0,
      mediaFiles: 3,
      linked: 1,
      rowsWithoutMedia: 1,
      orphans: ['pocus_videos/linear/orphan.mp4'],
      duplicateStems: [],
      duplicateFilenames: []
    })
    expect(report.unreadable).toHaveLength(1)
    expect(report.unreadable[0]!.file).toBe('pocus_videos/convex/clipC.mp4')
    expect(report.unreadable[0]!.error).toMatch(/ffprobe/)
    expect(job.total).toBe(3)
    expect(job.done).toBe(3)
  })

  it('lists the entries in CSV order with their media status', async () => {
    const list = contract['catalog/list'].result.parse(expectOk(await dispatch(c.services.handlers, 'catalog/list', {})))
    expect(list.entries.map((e) => [e.row, e.filename, e.label, e.mediaStatus])).toEqual([
      [1, 'clipA', 'covid', 'linked'],
      [2, 'clipB', 'healthy', 'missing'],
      [3, 'clipC', 'bacterial_pneumonia', 'unreadable']
    ])
    const [a, b, cc] = list.entries
    expect(a!.mediaId).not.toBeNull()
    expect(b!.mediaId).toBeNull()
    expect(cc!.mediaId).not.toBeNull()
    expect(a!.title).toBe('First clip')
    expect(a!.sourceId).toBe(1)
  })

  it('gets an entry with its probed media', async () => {
    const list = contract['catalog/list'].result.parse(expectOk(await dispatch(c.services.handlers, 'catalog/list', {})))
    const detail = contract['catalog/get'].result.parse(expectOk(await dispatch(c.services.handlers, 'catalog/get', { id: list.entries[0]!.id })))
    expect(detail.summary.filename).toBe('clipA')
    expect(detail.edited).toBe(false)
    expect(detail.cells).toHaveLength(44)
    expect(detail.cells[2]).toBe('clipA')
    expect(detail.media).toMatchObject({
      relPath: 'pocus_videos/convex/clipA.mp4',
      kind: 'video',
      frames: 12,
      fps: 10,
      width: 64,
      height: 48,
      error: null
    })
    const unreadable = contract['catalog/get'].result.parse(
      expectOk(await dispatch(c.services.handlers, 'catalog/get', { id: list.entries[2]!.id }))
    )
    expect(unreadable.media?.error).toMatch(/ffprobe/)
    expect(unreadable.media?.frames).toBeNull()
  })

  it('answers stats matching the import', async () => {
    const stats = contract['catalog/stats'].result.parse(expectOk(await dispatch(c.services.handlers, 'catalog/stats', {})))
    expect(stats.total).toBe(3)
    expect(stats.withMedia).toBe(1)
    expect(stats.byMediaStatus).toEqual({ linked: 1, missing: 1, unreadable: 1 })
    expect(stats.byLabelProbeType.reduce((n, r) => n + r.count, 0)).toBe(3)
    expect(stats.byLabelProbeType).toContainEqual({ label: 'healthy', probe: 'linear', type: 'video', count: 1 })
  })

  it('answers app/info with the imported source', async () => {
    const info = contract['app/info'].result.parse(expectOk(await dispatch(c.services.handlers, 'app/info', {})))
    expect(info.sources).toEqual([{ id: 1, root: realpathSync(root), entries: 3 }])
  })

  it('exports the unedited catalog as the original CSV bytes', async () => {
    const r = contract['dataset/exportCsv'].result.parse(expectOk(await dispatch(c.services.handlers, 'dataset/exportCsv', {})))
    expect(r.rows).toBe(3)
    expect(r.csv).toBe(originalCsv.toString('utf8'))
    expect(r.bytes).toBe(originalCsv.length)
    const bySource = expectOk<{ csv: string }>(await dispatch(c.services.handlers, 'dataset/exportCsv', { sourceId: 1 }))
    expect(bySource.csv).toBe(r.csv)
    expectFail(await dispatch(c.services.handlers, 'dataset/exportCsv', { sourceId: 99 }), 'not_found')
  })

  it('updates only the given cells, and marks the entry edited until it matches the CSV again', async () => {
    const id = expectOk<{ entries: { id: number }[] }>(await dispatch(c.services.handlers, 'catalog/list', {})).entries[0]!.id
    const before = contract['catalog/get'].result.parse(expectOk(await dispatch(c.services.handlers, 'catalog/get', { id })))
    const after = contract['catalog/update'].result.parse(
      expectOk(await dispatch(c.services.handlers, 'catalog/update', { id, cells: { Title: 'Renamed', Label: 'Viral pneumonia' } }))
    )
    expect(after.edited).toBe(true)
    expect(after.summary.title).toBe('Renamed')
    expect(after.summary.label).toBe('viral_pneumonia')
    const changed = after.cells.flatMap((v, i) => (v === before.cells[i] ? [] : [i]))
    expect(changed).toEqual([4, 14])
    const reread = contract['catalog/get'].result.parse(expectOk(await dispatch(c.services.handlers, 'catalog/get', { id })))
    expect(reread).toEqual(after)
    const reverted = contract['catalog/update'].result.parse(
      expectOk(await dispatch(c.services.handlers, 'catalog/update', { id, cells: { Title: 'First clip', Label: 'COVID-19' } }))
    )
    expect(reverted.edited).toBe(false)
    expect(reverted.cells).toEqual(before.cells)
  })

  it('refuses a second import while one is running', async () => {
    // Both calls are made before either is awaited: the first job is running when the second asks.
    const firstCall = dispatch(c.services.handlers, 'dataset/import', { folder: root })
    const secondCall = dispatch(c.services.handlers, 'dataset/import', { folder: root })
    const first = expectOk<{ jobId: string }>(await firstCall)
    const second = expectFail(await secondCall, 'conflict')
    expect(second.message).toMatch(/already running/)
    const job = await waitForJob(c.services, first.jobId)
    expect(job.state).toBe('done')
  })

  it('re-imports the same folder keeping the entries, and adds orphans on request', async () => {
    const plain = await runImport(c.services, { folder: root })
    expect(plain.state).toBe('done')
    expect(plain.report).toMatchObject({ sourceId: 1, rows: 3, entriesAdded: 0, entriesKept: 3, orphansAdded: 0 })
    const withOrphans = await runImport(c.services, { folder: root, includeOrphans: true })
    expect(withOrphans.state).toBe('done')
    expect(withOrphans.report).toMatchObject({ entriesAdded: 0, entriesKept: 3, orphansAdded: 1 })
    const list = expectOk<{ entries: { filename: string; row: number | null; mediaStatus: string }[] }>(
      await dispatch(c.services.handlers, 'catalog/list', {})
    )
    expect(list.entries.at(-1)).toMatchObject({ filename: 'orphan', row: null, mediaStatus: 'linked' })
  })

  it('fails a re-import after the CSV changed, leaving the catalog as it was', async () => {
    const before = snapshotCatalog(c.db)
    writeFileSync(csvPath, Buffer.concat([originalCsv, Buffer.from('\r\n')]))
    try {
      const job = await runImport(c.services, { folder: root })
      expect(job.state).toBe('failed')
      expect(job.error).toMatch(/changed since it was imported/)
      expect(snapshotCatalog(c.db)).toBe(before)
    } finally {
      writeFileSync(csvPath, originalCsv)
    }
  })

  describe('dataset/exportCsv to a file', () => {
    let outDir: string
    beforeAll(() => {
      outDir = join(c.tmp.path, 'out')
      mkdirSync(outDir)
    })

    it('writes the CSV to an absolute .csv path, leaving no temporary file', async () => {
      const text = expectOk<{ csv: string }>(await dispatch(c.services.handlers, 'dataset/exportCsv', {})).csv
      const out = join(outDir, 'export.csv')
      const r = contract['dataset/exportCsv'].result.parse(
        expectOk(await dispatch(c.services.handlers, 'dataset/exportCsv', { outPath: out }))
      )
      expect(r.csv).toBeNull()
      expect(r.rows).toBe(4)
      expect(readFileSync(out, 'utf8')).toBe(text)
      expect(r.bytes).toBe(readFileSync(out).length)
      expect(readdirSync(outDir)).toEqual(['export.csv'])
      // Overwrites an existing export.
      writeFileSync(out, 'old')
      expectOk(await dispatch(c.services.handlers, 'dataset/exportCsv', { outPath: out }))
      expect(readFileSync(out, 'utf8')).toBe(text)
    })

    it('accepts an upper-case .CSV extension', async () => {
      const out = join(outDir, 'UPPER.CSV')
      expectOk(await dispatch(c.services.handlers, 'dataset/exportCsv', { outPath: out }))
      expect(existsSync(out)).toBe(true)
    })

    it('refuses a relative outPath and writes nothing', async () => {
      const name = `lus-export-${process.pid}-${Date.now()}.csv`
      const e = expectFail(await dispatch(c.services.handlers, 'dataset/exportCsv', { outPath: name }), 'bad_input')
      expect(e.message).toMatch(/absolute path/)
      expect(existsSync(resolve(process.cwd(), name))).toBe(false)
      const nested = expectFail(await dispatch(c.services.handlers, 'dataset/exportCsv', { outPath: `./out/${name}` }), 'bad_input')
      expect(nested.message).toMatch(/absolute path/)
      expect(existsSync(resolve(process.cwd(), 'out', name))).toBe(false)
    })

    it('refuses an outPath that does not end in .csv and writes nothing', async () => {
      const before = readdirSync(outDir)
      for (const name of ['export.txt', 'export.csv.bak', 'export']) {
        const e = expectFail(await dispatch(c.services.handlers, 'dataset/exportCsv', { outPath: join(outDir, name) }), 'bad_input')
        expect(e.message).toContain('.csv')
      }
      expect(readdirSync(outDir)).toEqual(before)
    })

    it('refuses an outPath in a folder that does not exist', async () => {
      const out = join(outDir, 'missing-dir', 'x.csv')
      const e = expectFail(await dispatch(c.services.handlers, 'dataset/exportCsv', { outPath: out }), 'bad_input')
      expect(e.message).toMatch(/does not exist/)
      expect(existsSync(join(outDir, 'missing-dir'))).toBe(false)
    })

    it("refuses the imported dataset's own CSV, however it is named, and leaves it untouched", async () => {
      const link = join(outDir, 'link-to-source.csv')
      symlinkSync(csvPath, link)
      const rootLink = join(c.tmp.path, 'dataset-link')
      symlinkSync(root, rootLink)
      const dataBefore = readdirSync(root).sort()
      for (const out of [
        csvPath,
        join(root, 'pocus_videos', '..', 'dataset_metadata.csv'),
        join(rootLink, 'dataset_metadata.csv'),
        link
      ]) {
        const e = expectFail(await dispatch(c.services.handlers, 'dataset/exportCsv', { outPath: out }), 'bad_input')
        expect(e.message, out).toMatch(/own CSV/)
        expect(readFileSync(csvPath).equals(originalCsv), out).toBe(true)
      }
      expect(readdirSync(root).sort()).toEqual(dataBefore)
    })
  })
})
