/**
 * Importing a folder with the dataset's layout into the catalog: one entry
 * per CSV record (cells verbatim), media linked by file-name stem and probed
 * with ffprobe. Three named steps: read (importRead.ts: the CSV, checked and
 * normalized), probe (importProbe.ts: every media file), write
 * (importWrite.ts: the catalog, in one transaction, so a failed import leaves
 * it as it was). Nothing is written before the last step.
 *
 * The two heavy steps, reading the CSV (parse, hash, normalize every record)
 * and writing the catalog, can run in a worker thread on its own connection
 * (`offThread`, what the app and serve mode use): at 100k rows each takes
 * seconds of CPU that would otherwise stop every other request. Probing stays
 * here: it is ffprobe processes, awaited, and tests replace it with a function.
 */
import { availableParallelism } from 'node:os'
import type { ImportReport } from '../../shared/contract'
import type { CatalogDb } from '../catalog/database'
import { WorkerConversation, startWorker } from '../jobs/workerThread'
import { probeMedia, type ProbeResult } from '../media/probe'
import { scanMedia } from '../media/mediaScan'
import { CSV_FILE_NAME } from './csvCodec'
import { probeImport, type ProbedMedia } from './importProbe'
import { readImport, resolveDatasetFolder, type PreparedImport, type PreparedSummary } from './importRead'
import { writeImport, type WrittenImport } from './importWrite'

export { CSV_FILE_NAME }

export interface ImportProgress {
  done: number
  total: number
  message: string
}

export interface ImportOptions {
  includeOrphans?: boolean
  onProgress?: (p: ImportProgress) => void
  probe?: (file: string) => Promise<ProbeResult>
  concurrency?: number
  /** Read and write in a worker thread on its own connection to the catalog file (ignored for an in-memory catalog). */
  offThread?: boolean
  /** better-sqlite3 built for Electron, for the worker's connection. */
  nativeBinding?: string
}

/** What the import worker is started with (importWorker.ts). */
export interface ImportWorkerData {
  catalogPath: string
  root: string
  nativeBinding?: string
}

export type ImportWorkerRequest = { type: 'write'; probed: ProbedMedia[]; includeOrphans: boolean }

export type ImportWorkerAnswer =
  | ({ type: 'prepared' } & PreparedSummary)
  | { type: 'progress'; message: string }
  | { type: 'written'; result: WrittenImport }

/** Where the read and write steps run: here, on the caller's connection, or in a worker on its own. */
interface ImportPhases {
  read(): Promise<PreparedSummary>
  write(probed: ProbedMedia[], includeOrphans: boolean, progress: (message: string) => void): Promise<WrittenImport>
  close(): Promise<void>
}

function inThreadPhases(db: CatalogDb, root: string): ImportPhases {
  let prepared: PreparedImport | null = null
  return {
    read: async () => (prepared = readImport(db, root)),
    write: async (probed, includeOrphans, progress) => writeImport(db, prepared!, probed, includeOrphans, progress),
    close: async () => {}
  }
}

function offThreadPhases(db: CatalogDb, root: string, nativeBinding: string | undefined): ImportPhases {
  const data: ImportWorkerData = { catalogPath: db.name, root, ...(nativeBinding ? { nativeBinding } : {}) }
  let onProgress: (message: string) => void = () => {}
  const worker = new WorkerConversation<ImportWorkerAnswer>(startWorker('importWorker', data), (m) => {
    if (m.type === 'progress') onProgress(m.message)
  })
  return {
    read: async () => {
      const m = await worker.next('prepared')
      return { existingSourceId: m.existingSourceId, known: m.known }
    },
    write: async (probed, includeOrphans, progress) => {
      onProgress = progress
      // While the worker holds the write lock, a write here fails at once (the API answers `conflict`) rather than
      // blocking this thread for the busy timeout.
      const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number
      db.pragma('busy_timeout = 0')
      try {
        worker.send({ type: 'write', probed, includeOrphans } satisfies ImportWorkerRequest)
        return (await worker.next('written')).result
      } finally {
        // PRAGMA takes no bound parameters; the value is the integer it had.
        db.pragma(`busy_timeout = ${Math.trunc(busyTimeout)}`)
      }
    },
    close: () => worker.close()
  }
}

export async function importDataset(db: CatalogDb, folder: string, options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now()
  const progress = options.onProgress ?? (() => {})
  const root = resolveDatasetFolder(folder)

  progress({ done: 0, total: 0, message: `Reading ${CSV_FILE_NAME}` })
  const phases = options.offThread && !db.memory ? offThreadPhases(db, root, options.nativeBinding) : inThreadPhases(db, root)
  try {
    const read = await phases.read()
    const scanned = scanMedia(root)
    const total = scanned.length
    progress({ done: 0, total, message: `Probing ${total} media files` })
    const probed = await probeImport(scanned, read.known, {
      probe: options.probe ?? ((f: string) => probeMedia(f)),
      concurrency: options.concurrency ?? availableParallelism(),
      onFile: (done, relPath) => progress({ done, total, message: relPath })
    })
    progress({ done: total, total, message: 'Writing catalog' })
    const written = await phases.write(probed, options.includeOrphans ?? false, (message) => progress({ done: total, total, message }))
    return { ...written, durationMs: Math.round(performance.now() - started) }
  } finally {
    await phases.close()
  }
}
