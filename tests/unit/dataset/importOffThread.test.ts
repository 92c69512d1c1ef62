import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSyntheticDataset } from '../../../bench/syntheticDataset'
import { dispatch } from '../../../src/main/api/dispatch'
import { createServices } from '../../../src/main/app/services'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset, type ImportOptions } from '../../../src/main/dataset/datasetImport'
import { UserError } from '../../../src/main/errors'
import { exportCsv } from '../../../src/main/export/csvExport'
import type { Job } from '../../../src/shared/contract'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { csvText, makeDataset, row } from '../../helpers/fixtures'
import { watchEventLoop } from '../../../bench/eventLoop'
import { SHARED_CSV, tempDir } from '../../helpers/paths'

/** No ffmpeg: every non-empty file probes as the same small clip, so the import's own work is what is compared. */
const fakeProbe: ImportOptions['probe'] = async () => ({ frames: 12, fps: 10, width: 64, height: 48, durationS: 1.2, codec: 'h264' })

let dir: ReturnType<typeof tempDir>
beforeAll(() => {
  dir = tempDir()
})
afterAll(() => dir.cleanup())

function withoutDuration<T extends { durationMs: number }>(r: T): Omit<T, 'durationMs'> {
  const { durationMs: _, ...rest } = r
  return rest
}

describe('an import run in a worker thread', () => {
  it('gives the catalog and report an in-thread import gives, orphans and re-import included', async () => {
    const folder = join(dir.path, 'same')
    makeDataset(folder, [row('a'), row('b', { Label: 'covid' }), row('c'), row('a')], {
      'pocus_videos/convex/a.mp4': 'garbage',
      'pocus_videos/convex/b.mp4': 'garbage',
      'pocus_videos/convex/zero.mp4': 'empty',
      'pocus_videos/linear/orphan.mp4': 'garbage'
    })
    const run = async (name: string, offThread: boolean): Promise<{ reports: unknown[]; db: CatalogDb }> => {
      const db = openCatalog(join(dir.path, `${name}.db`))
      const options = { probe: fakeProbe, includeOrphans: true, offThread }
      const first = await importDataset(db, folder, options)
      const again = await importDataset(db, folder, options)
      return { reports: [withoutDuration(first), withoutDuration(again)], db }
    }
    const here = await run('in-thread', false)
    const there = await run('off-thread', true)
    expect(there.reports).toEqual(here.reports)
    expect(there.reports[0]).toMatchObject({ rows: 4, entriesAdded: 4, orphansAdded: 2, duplicateFilenames: [{ filename: 'a' }] })
    expect(new CatalogRepository(there.db).list()).toEqual(new CatalogRepository(here.db).list())
    expect(exportCsv(there.db).bytes.equals(exportCsv(here.db).bytes)).toBe(true)
    here.db.close()
    there.db.close()
  })

  it('refuses what the in-thread import refuses, with the same message, and changes nothing', async () => {
    const db = openCatalog(join(dir.path, 'refusals.db'))
    const good = join(dir.path, 'good')
    makeDataset(good, [row('a'), row('b')], {})
    await importDataset(db, good, { offThread: true })
    const before = snapshotCatalog(db)
    const ragged = join(dir.path, 'ragged')
    makeDataset(ragged, [row('a')], {})
    writeFileSync(join(ragged, 'dataset_metadata.csv'), csvText([row('a'), row('b')]) + ',one too many')
    writeFileSync(join(good, 'dataset_metadata.csv'), csvText([row('a'), row('b'), row('c')]))
    for (const [folder, code, pattern] of [
      [ragged, 'bad_input', /line 3: expected 44 fields, found 45/],
      [good, 'conflict', /changed since it was imported/]
    ] as const) {
      const error = await importDataset(db, folder, { offThread: true }).then(
        () => null,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(UserError)
      expect(error).toMatchObject({ code, message: expect.stringMatching(pattern) })
      expect(snapshotCatalog(db)).toBe(before)
    }
    db.close()
  })

  it('is all or nothing: a write failing half-way leaves the catalog as it was, and this connection as it was', async () => {
    const db = openCatalog(join(dir.path, 'half.db'))
    const folder = join(dir.path, 'half')
    makeDataset(folder, Array.from({ length: 3000 }, (_, i) => row(`clip_${i}`)), {})
    // A failure well into the entries, after thousands were written in the worker's transaction.
    db.exec(`CREATE TRIGGER fail_half_way BEFORE INSERT ON entries WHEN NEW.row_no = 2500 BEGIN SELECT RAISE(ABORT, 'disk went away'); END`)
    const before = snapshotCatalog(db)
    await expect(importDataset(db, folder, { offThread: true })).rejects.toThrow(/disk went away/)
    expect(snapshotCatalog(db)).toBe(before)
    expect(db.prepare('SELECT count(*) AS n FROM entries').get()).toEqual({ n: 0 })
    // The busy timeout is lifted only while the worker writes.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    db.close()
  })

  it('keeps the server answering while a 20k-row import is read and written', async () => {
    const folder = join(dir.path, 'large')
    writeSyntheticDataset(folder, SHARED_CSV, 20_000)
    const db = openCatalog(join(dir.path, 'large.db'))
    const services = createServices({ db, catalogPath: join(dir.path, 'large.db'), transport: 'http', version: 'test', cacheDir: join(dir.path, 'cache') })
    const lag = watchEventLoop()
    try {
      const started = await dispatch(services.handlers, 'dataset/import', { folder })
      expect(started.ok).toBe(true)
      const { jobId } = (started as { value: { jobId: string } }).value
      let job: Job
      for (;;) {
        await new Promise((ok) => setTimeout(ok, 20))
        const answer = await dispatch(services.handlers, 'jobs/get', { jobId })
        job = (answer as { value: Job }).value
        if (job.state !== 'running') break
      }
      expect(job.error).toBeNull()
      expect(job.report).toMatchObject({ rows: 20_000, entriesAdded: 20_000 })
      // The bound: the old in-thread import stopped the loop for seconds at this size (≈1.5 s per 20k rows
      // here). 750 ms is far above a worker's message handling, and leaves room for a loaded 2-core CI
      // machine descheduling this thread; it is a liveness check, not a speed figure.
      expect(lag.maxMs()).toBeLessThan(750)
    } finally {
      lag.stop()
      await services.close()
    }
    expect(new CatalogRepository(db).list()).toHaveLength(20_000)
    expect(exportCsv(db).bytes.equals(readFileSync(join(folder, 'dataset_metadata.csv')))).toBe(true)
    db.close()
  }, 60_000)
})

describe('writes on the app connection while the worker writes', () => {
  it('fail at once as a conflict the user can read, instead of blocking the server', async () => {
    const file = join(dir.path, 'busy.db')
    const db = openCatalog(file)
    const folder = join(dir.path, 'busy')
    makeDataset(folder, [row('a')], {})
    await importDataset(db, folder)
    const services = createServices({ db, catalogPath: file, transport: 'http', version: 'test', cacheDir: join(dir.path, 'cache') })
    expect((await dispatch(services.handlers, 'settings/setUserName', { name: 'tester' })).ok).toBe(true)
    const id = new CatalogRepository(db).list()[0]!.id
    // What the import worker holds while it writes: the write lock, on its own connection.
    const other = new Database(file)
    other.exec('BEGIN IMMEDIATE')
    db.pragma('busy_timeout = 0')
    try {
      const t = performance.now()
      const answer = await dispatch(services.handlers, 'catalog/update', { id, cells: { MD3: 'during import' } })
      expect(performance.now() - t).toBeLessThan(1000)
      expect(answer).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/busy with another write; nothing was changed/) } })
    } finally {
      other.exec('ROLLBACK')
      other.close()
      db.pragma('busy_timeout = 5000')
    }
    expect(await dispatch(services.handlers, 'catalog/update', { id, cells: { MD3: 'after import' } })).toMatchObject({ ok: true })
    await services.close()
    db.close()
  })
})
