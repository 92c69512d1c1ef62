/**
 * The composition root: builds the services over one open catalog and the
 * handlers of every operation, for the three hosts (the Electron app and
 * serve mode through catalog/catalogSession.ts, which owns the catalog's
 * lifetime; tests and benches directly). Transport-agnostic: IPC and serve
 * mode both call the handlers through `dispatch`.
 */
import { join } from 'node:path'
import { CatalogRepository } from '../catalog/catalogRepository'
import type { CatalogDb } from '../catalog/database'
import { createClassifierHandlers } from '../classifier/handlers'
import { createFilesHandlers } from '../fs/filesHandlers'
import { FolderBrowser } from '../fs/folderBrowser'
import { JobRegistry } from '../jobs/jobRegistry'
import { PlaybackService } from '../media/playbackService'
import { userDataDir } from '../paths'
import { createRatingHandlers } from '../ratings/handlers'
import { catalogModeReaderHandlers } from '../reader/readerHandlers'
import { ReviewService } from '../review/reviewService'
import { createSubmissionHandlers } from '../submission/handlers'
import { answerBusyAsConflict } from '../api/busyAsConflict'
import { createCoreHandlers } from '../api/coreHandlers'
import type { Handlers } from '../api/handlers'

export interface ServiceContext {
  db: CatalogDb
  catalogPath: string
  transport: 'ipc' | 'http'
  version: string
  /** The one job registry; a session keeps it across restores. A new one when omitted. */
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
  /** Stops background work (ffmpeg jobs, classifier jobs) before the catalog closes. */
  close(): Promise<void>
}

export function createServices(ctx: ServiceContext): Services {
  const repository = new CatalogRepository(ctx.db)
  const jobs = ctx.jobs ?? new JobRegistry()
  const review = new ReviewService(ctx.db, repository)
  const classifier = createClassifierHandlers({ db: ctx.db, jobs })
  const submission = createSubmissionHandlers({ db: ctx.db, catalogPath: ctx.catalogPath, jobs, ...(ctx.stateDir ? { stateDir: ctx.stateDir } : {}) })
  const playback = new PlaybackService({ db: ctx.db, repository, cacheDir: ctx.cacheDir ?? join(userDataDir(), 'media-cache') })

  const handlers: Handlers = {
    ...createCoreHandlers({
      db: ctx.db,
      catalogPath: ctx.catalogPath,
      transport: ctx.transport,
      version: ctx.version,
      ...(ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {}),
      repository,
      review,
      playback,
      jobs
    }),
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
    runningJob: () => jobs.runningJob(),
    close: async () => {
      await Promise.all([playback.close(), classifier.close()])
    }
  }
}
