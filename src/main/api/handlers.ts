/**
 * The operations of the API contract, implemented over the main-process
 * services. Transport-agnostic: IPC and serve mode both call these through
 * `dispatch`, which has already validated the arguments.
 */
import { existsSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import type { z } from 'zod'
import type { Contract, OpResult } from '../../shared/contract'
import type { OperationName } from '../../shared/operations'
import type { CatalogDb } from '../catalog/database'
import { schemaVersion } from '../catalog/database'
import { CatalogRepository } from '../catalog/catalogRepository'
import { CSV_FILE_NAME, importDataset } from '../dataset/datasetImport'
import { UserError } from '../errors'
import { exportCsv } from '../export/csvExport'
import { JobRegistry } from '../jobs/jobRegistry'

export type Handlers = {
  [K in OperationName]: (args: z.output<Contract[K]['args']>) => OpResult<K> | Promise<OpResult<K>>
}

export interface ServiceContext {
  db: CatalogDb
  catalogPath: string
  transport: 'ipc' | 'http'
  version: string
  jobs?: JobRegistry
}

export interface Services {
  handlers: Handlers
  repository: CatalogRepository
  jobs: JobRegistry
}

export function createServices(ctx: ServiceContext): Services {
  const repository = new CatalogRepository(ctx.db)
  const jobs = ctx.jobs ?? new JobRegistry()

  const handlers: Handlers = {
    'app/info': () => ({
      version: ctx.version,
      transport: ctx.transport,
      catalogPath: ctx.catalogPath,
      schemaVersion: schemaVersion(ctx.db),
      sources: repository.sources()
    }),
    'catalog/list': () => ({ entries: repository.list() }),
    'catalog/get': ({ id }) => repository.get(id),
    'catalog/update': ({ id, cells }) => repository.update(id, cells),
    'catalog/stats': () => repository.stats(),
    'dataset/import': ({ folder, includeOrphans }) => {
      if (jobs.busy('import')) throw new UserError('conflict', 'An import is already running; wait for it to finish.')
      const jobId = jobs.start('import', (update) =>
        importDataset(ctx.db, folder, {
          includeOrphans: includeOrphans ?? false,
          onProgress: (p) => update(p.done, p.total, p.message)
        })
      )
      return { jobId }
    },
    'dataset/exportCsv': ({ sourceId, outPath }) => {
      const { bytes, rows } = exportCsv(ctx.db, sourceId)
      if (outPath === undefined) return { rows, bytes: bytes.length, csv: bytes.toString('utf8') }
      writeCsvFile(outPath, bytes, repository.sources().map((s) => join(s.root, CSV_FILE_NAME)))
      return { rows, bytes: bytes.length, csv: null }
    },
    'jobs/get': ({ jobId }) => jobs.get(jobId)
  }
  return { handlers, repository, jobs }
}

/** Written next to the target and renamed into place, so a crash never leaves half a CSV. */
function writeCsvFile(outPath: string, bytes: Buffer, sourceCsvs: string[]): void {
  if (!isAbsolute(outPath)) throw new UserError('bad_input', `Give the output file as an absolute path (got "${outPath}").`)
  if (!outPath.toLowerCase().endsWith('.csv')) throw new UserError('bad_input', `The output file must end in .csv (got "${basename(outPath)}").`)
  const dir = dirname(outPath)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError('bad_input', `The folder ${dir} does not exist.`)
  const target = existsSync(outPath) ? realpathSync(outPath) : join(realpathSync(dir), basename(outPath))
  if (sourceCsvs.includes(target))
    throw new UserError('bad_input', `${outPath} is the imported dataset's own CSV; export to another file and replace it yourself once checked.`)
  const tmp = `${target}.${process.pid}.tmp`
  writeFileSync(tmp, bytes)
  renameSync(tmp, target)
}
