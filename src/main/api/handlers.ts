/**
 * The operations of the API contract, implemented over the main-process
 * services. Transport-agnostic: IPC and serve mode both call these through
 * `dispatch`, which has already validated the arguments.
 */
import { join } from 'node:path'
import type { z } from 'zod'
import type { Contract, OpResult } from '../../shared/contract'
import type { SubmissionJob } from '../../shared/submissionContract'
import type { OperationName } from '../../shared/operations'
import type { CatalogDb } from '../catalog/database'
import { schemaVersion } from '../catalog/database'
import { backupDir, backupOnline, listBackups } from '../catalog/backup'
import { toBackupSummary } from '../catalog/backupNames'
import { CatalogRepository } from '../catalog/catalogRepository'
import { importDataset } from '../dataset/datasetImport'
import { UserError } from '../errors'
import { sourceCsvFiles, writeCsvExport } from '../export/csvFile'
import { exportCsv } from '../export/csvExport'
import { createFilesHandlers } from '../fs/filesHandlers'
import { FolderBrowser } from '../fs/folderBrowser'
import { OFF_THREAD_LIST_ROWS, listCatalogOffThread } from '../jobs/catalogList'
import { JobRegistry } from '../jobs/jobRegistry'
import { PlaybackService } from '../media/playbackService'
import { userDataDir } from '../paths'
import { createClassifierHandlers } from '../classifier/handlers'
import { createRatingHandlers } from '../ratings/handlers'
import { catalogModeReaderHandlers } from '../reader/readerHandlers'
import { ReviewService } from '../review/reviewService'
import { createSubmissionHandlers } from '../submission/handlers'

export type Handlers = {
  [K in OperationName]: (args: z.output<Contract[K]['args']>) => OpResult<K> | Promise<OpResult<K>>
}

export interface ServiceContext {
  db: CatalogDb
  catalogPath: string
  transport: 'ipc' | 'http'
  version: string
  jobs?: JobRegistry
  /** Playback proxies and thumbnails; defaults to the user-data directory's media-cache. */
  cacheDir?: string
  /** De-identification secret and PACS settings; defaults to the user-data directory. */
  stateDir?: string
  /** better-sqlite3 built for Electron, for the worker threads' own connections (import, large lists). */
  nativeBinding?: string
  /** Where files/list may look (absolute folders); defaults to the home folder and volume mounts, or LUS_BROWSE_ROOTS. */
  browseRoots?: readonly string[]
}

export interface Services {
  handlers: Handlers
  repository: CatalogRepository
  jobs: JobRegistry
  review: ReviewService
  playback: PlaybackService
  /** The long job now running (an import, a pre-labelling run, …) as a phrase for a message, or null. */
  runningJob(): string | null
  /** How many times a restore has replaced the catalog under these services (a CatalogSession counts; 0 otherwise). */
  readonly generation?: number
  /** Stops background work (ffmpeg jobs) before the catalog closes. */
  close(): Promise<void>
}

export function createServices(ctx: ServiceContext): Services {
  const repository = new CatalogRepository(ctx.db)
  const jobs = ctx.jobs ?? new JobRegistry()
  const review = new ReviewService(ctx.db, repository)
  const classifier = createClassifierHandlers({ db: ctx.db })
  const submission = createSubmissionHandlers({ db: ctx.db, catalogPath: ctx.catalogPath, ...(ctx.stateDir ? { stateDir: ctx.stateDir } : {}) })
  const playback = new PlaybackService({ db: ctx.db, repository, cacheDir: ctx.cacheDir ?? join(userDataDir(), 'media-cache') })
  const countEntries = ctx.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM entries')
  // Worker threads open the catalog file themselves; an in-memory catalog (tests) is served in-thread.
  const offThread = !ctx.db.memory

  const handlers: Handlers = {
    'app/info': () => ({
      version: ctx.version,
      transport: ctx.transport,
      catalogPath: ctx.catalogPath,
      schemaVersion: schemaVersion(ctx.db),
      sources: repository.sources()
    }),
    'catalog/list': async () => {
      if (!offThread || countEntries.get()!.n < OFF_THREAD_LIST_ROWS) return { entries: repository.list() }
      if (ctx.transport === 'ipc') return listCatalogOffThread(ctx.db.name, 'objects', ctx.nativeBinding)
      // Serve mode sends these bytes as they are (httpServer): the typed result exists only as JSON here.
      return (await listCatalogOffThread(ctx.db.name, 'json', ctx.nativeBinding)) as unknown as OpResult<'catalog/list'>
    },
    'catalog/get': ({ id }) => repository.get(id),
    'catalog/update': ({ id, cells }) => review.editCells(id, cells),
    'catalog/stats': () => repository.stats(),
    'dataset/import': ({ folder, includeOrphans }) => {
      if (jobs.busy('import')) throw new UserError('conflict', 'An import is already running; wait for it to finish.')
      const jobId = jobs.start('import', async (update) => {
        const report = await importDataset(ctx.db, folder, {
          includeOrphans: includeOrphans ?? false,
          offThread,
          ...(ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {}),
          onProgress: (p) => update(p.done, p.total, p.message)
        })
        // Playback proxies for formats Chromium cannot play are made in the background.
        playback.enqueueAll()
        return report
      })
      return { jobId }
    },
    'dataset/exportCsv': ({ sourceId, outPath }) => {
      const { bytes, rows, neutralizedCells } = exportCsv(ctx.db, sourceId)
      if (outPath === undefined) return { rows, bytes: bytes.length, csv: bytes.toString('utf8'), neutralizedCells }
      writeCsvExport(outPath, bytes, sourceCsvFiles(ctx.db))
      return { rows, bytes: bytes.length, csv: null, neutralizedCells }
    },
    'jobs/get': ({ jobId }) => jobs.get(jobId),
    'settings/get': () => ({ userName: review.settings.userName() }),
    'settings/setUserName': ({ name }) => ({ userName: review.settings.setUserName(name) }),
    'history/list': ({ entryId }) => ({ changes: review.history(entryId) }),
    'history/status': () => review.status(),
    'history/undo': (expected) => review.undo(expected),
    'history/redo': (expected) => review.redo(expected),
    'keyframes/list': ({ entryId }) => ({ keyFrames: review.listKeyFrames(entryId) }),
    'keyframes/set': ({ entryId, frame, note }) => ({ keyFrames: review.setKeyFrame(entryId, frame, note) }),
    'keyframes/remove': ({ entryId, frame }) => ({ keyFrames: review.removeKeyFrame(entryId, frame) }),
    'media/playback': ({ mediaId }) => playback.playback(mediaId),
    'media/proxyQueue': () => playback.queueStatus(),
    'media/relink': async ({ entryId, path }) => {
      await playback.relink(entryId, path)
      return repository.get(entryId)
    },
    'backup/list': () => ({ folder: backupDir(ctx.catalogPath), backups: listBackups(ctx.catalogPath).map(toBackupSummary) }),
    'backup/create': async () => toBackupSummary(await backupOnline(ctx.db, ctx.catalogPath, 'manual')),
    // Restoring closes and reopens the catalog, which only its owner can do: CatalogSession answers this one.
    'backup/restore': () => {
      throw new UserError('unsupported', 'Restoring a backup is not available here; use `lus-review restore` with the catalog closed.')
    },
    ...createRatingHandlers({ db: ctx.db, repository, review, version: ctx.version, playback }),
    ...submission.handlers,
    ...classifier.handlers,
    // The catalog is not a reader workstation: app/mode says so and the reader operations are refused.
    ...catalogModeReaderHandlers(),
    // Dialogs answer "use the folder browser" here; the app swaps in the system dialogs (electron/dialogs.ts).
    ...createFilesHandlers(new FolderBrowser(ctx.browseRoots))
  }
  const busyMessage = (): string =>
    jobs.busy('import')
      ? 'An import is writing the catalog right now; nothing was changed. Try again when the import has finished.'
      : 'The catalog is busy with another write; nothing was changed. Try again in a moment.'
  return {
    handlers: answerBusyAsConflict(handlers, busyMessage),
    repository,
    jobs,
    review,
    playback,
    runningJob: () => {
      if (jobs.busy('import')) return 'An import'
      if (classifier.service.jobs.busy('prelabel')) return 'A pre-labelling run'
      if (classifier.service.jobs.busy('leakage')) return 'A leakage check'
      const submissionJob = submission.jobs.running()
      if (submissionJob) return `A ${SUBMISSION_JOB_NAMES[submissionJob]}`
      return null
    },
    close: async () => {
      await Promise.all([playback.close(), classifier.close()])
    }
  }
}

const SUBMISSION_JOB_NAMES: Record<SubmissionJob['kind'], string> = {
  'dicom-import': 'DICOM import',
  'pacs-pull': 'PACS retrieval',
  butterfly: 'Butterfly rebuild',
  'web-videos': 'web-video rebuild',
  bundle: 'submission bundle export'
}

/**
 * While an import's worker holds the catalog's write lock, a write on this
 * connection fails at once with SQLITE_BUSY (datasetImport.ts sets no busy
 * timeout for that time, so this thread never waits). Say so to the user.
 */
function answerBusyAsConflict(handlers: Handlers, message: () => string): Handlers {
  const asConflict = (e: unknown): never => {
    if ((e as { code?: unknown }).code === 'SQLITE_BUSY' || String((e as { code?: unknown }).code).startsWith('SQLITE_BUSY_'))
      throw new UserError('conflict', message())
    throw e
  }
  const wrap =
    (handler: (args: unknown) => unknown) =>
    (args: unknown): unknown => {
      try {
        const r = handler(args)
        return r instanceof Promise ? r.catch(asConflict) : r
      } catch (e) {
        return asConflict(e)
      }
    }
  return Object.fromEntries(Object.entries(handlers).map(([op, h]) => [op, wrap(h as (args: unknown) => unknown)])) as Handlers
}
