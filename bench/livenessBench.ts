/**
 * How long the main thread's event loop stops while serve mode imports a
 * ROWS-row CSV and lists the resulting catalog, as the API runs them (import
 * and list in worker threads), beside the same work done in-thread: the
 * largest delay is the longest any other request would have waited.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { dispatch } from '../src/main/api/dispatch'
import { createServices } from '../src/main/app/services'
import { CatalogRepository } from '../src/main/catalog/catalogRepository'
import { openCatalog } from '../src/main/catalog/database'
import { importDataset } from '../src/main/dataset/datasetImport'
import type { Job } from '../src/shared/contract'
import { watchEventLoop } from './eventLoop'
import { writeSyntheticDataset } from './syntheticDataset'

const TEMPLATE = resolve(__dirname, '../../shared/lus-dataset/dataset_metadata.csv')

async function maxDelayDuring<T>(work: () => Promise<T>): Promise<{ value: T; maxMs: number; seconds: number }> {
  const lag = watchEventLoop()
  const t = performance.now()
  try {
    const value = await work()
    // Lets a tick that was held back by the last of the work be counted.
    await new Promise((ok) => setTimeout(ok, 20))
    return { value, maxMs: lag.maxMs(), seconds: (performance.now() - t) / 1000 }
  } finally {
    lag.stop()
  }
}

export async function benchLiveness(rows: number, line: (name: string, value: string) => void): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'lus-bench-liveness-'))
  try {
    const folder = join(work, 'dataset')
    writeSyntheticDataset(folder, TEMPLATE, rows)
    const catalogPath = join(work, 'catalog.db')
    const db = openCatalog(catalogPath)
    const services = createServices({ db, catalogPath, transport: 'http', version: 'bench', cacheDir: join(work, 'cache') })
    const imported = await maxDelayDuring(async () => {
      const started = await dispatch(services.handlers, 'dataset/import', { folder })
      if (!started.ok) throw new Error(started.error.message)
      const { jobId } = started.value as { jobId: string }
      for (;;) {
        await new Promise((ok) => setTimeout(ok, 50))
        const job = (await dispatch(services.handlers, 'jobs/get', { jobId })) as { ok: true; value: Job }
        if (job.value.state === 'failed') throw new Error(job.value.error ?? 'import failed')
        if (job.value.state === 'done') return job.value
      }
    })
    line(`dataset/import ${rows} rows (worker): max event-loop delay`, `${imported.maxMs.toFixed(0)} ms over ${imported.seconds.toFixed(1)} s`)
    const listed = await maxDelayDuring(() => dispatch(services.handlers, 'catalog/list', {}))
    line(`catalog/list ${rows} rows (worker, serve mode): max delay`, `${listed.maxMs.toFixed(0)} ms over ${listed.seconds.toFixed(1)} s`)
    const ipc = createServices({ db, catalogPath, transport: 'ipc', version: 'bench', cacheDir: join(work, 'cache') })
    const listedIpc = await maxDelayDuring(() => dispatch(ipc.handlers, 'catalog/list', {}))
    line(`catalog/list ${rows} rows (worker, IPC objects): max delay`, `${listedIpc.maxMs.toFixed(0)} ms over ${listedIpc.seconds.toFixed(1)} s`)
    await Promise.all([services.close(), ipc.close()])

    // The same work on the main thread, for comparison: what every other request waited before.
    const inThread = await maxDelayDuring(async () => {
      const again = openCatalog(join(work, 'in-thread.db'))
      await importDataset(again, folder)
      JSON.stringify({ ok: true, value: { entries: new CatalogRepository(again).list() } })
      again.close()
    })
    line(`in-thread import + list + stringify, ${rows} rows: max delay`, `${inThread.maxMs.toFixed(0)} ms over ${inThread.seconds.toFixed(1)} s`)
    db.close()
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
