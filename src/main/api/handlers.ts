/**
 * The operations of the API contract, implemented over the main-process
 * services. Transport-agnostic: IPC and serve mode both call these through
 * `dispatch`, which has already validated the arguments.
 */
import { existsSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import type { z } from 'zod'
import type { Contract, OpResult } from '../../shared/contract'
import type { SubmissionJob } from '../../shared/submissionContract'
import type { OperationName } from '../../shared/operations'
import type { CatalogDb } from '../catalog/database'
import { schemaVersion } from '../catalog/database'
import { backupDir, backupOnline, listBackups } from '../catalog/backup'
import { toBackupSummary } from '../catalog/backupNames'
import { CatalogRepository } from '../catalog/catalogRepository'
import { CSV_FILE_NAME, importDataset } from '../dataset/datasetImport'
import { UserError } from '../errors'
import { exportCsv } from '../export/csvExport'
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
    'catalog/update': ({ id, cells }) => review.editCells(id, cells),
    'catalog/stats': () => repository.stats(),
    'dataset/import': ({ folder, includeOrphans }) => {
      if (jobs.busy('import')) throw new UserError('conflict', 'An import is already running; wait for it to finish.')
      const jobId = jobs.start('import', async (update) => {
        const report = await importDataset(ctx.db, folder, {
          includeOrphans: includeOrphans ?? false,
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
      writeCsvFile(outPath, bytes, repository.sources().map((s) => join(s.root, CSV_FILE_NAME)))
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
    ...catalogModeReaderHandlers()
  }
  return {
    handlers,
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
