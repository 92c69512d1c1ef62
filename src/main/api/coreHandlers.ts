/**
 * The core operations of the contract (the app, the catalog, dataset import
 * and export, jobs, settings, history, key frames, media, backups) over the
 * services the composition root built (src/main/app/services.ts). The domain
 * folders answer their own operations (ratings, submission, classifier, …).
 */
import type { Job, OpResult } from '../../shared/contract'
import type { CoreOperationName } from '../../shared/operations'
import { backupDir, backupOnline, listBackups } from '../catalog/backup'
import { toBackupSummary } from '../catalog/backupNames'
import type { CatalogRepository } from '../catalog/catalogRepository'
import { schemaVersion, type CatalogDb } from '../catalog/database'
import { importDataset } from '../dataset/datasetImport'
import { UserError } from '../errors'
import { exportCsv } from '../export/csvExport'
import { sourceCsvFiles, writeCsvExport } from '../export/csvFile'
import { OFF_THREAD_LIST_ROWS, listCatalogOffThread } from '../jobs/catalogList'
import type { JobRecord, JobRegistry } from '../jobs/jobRegistry'
import type { PlaybackService } from '../media/playbackService'
import type { ReviewService } from '../review/reviewService'
import type { Handlers } from './handlers'

export interface CoreDeps {
  db: CatalogDb
  catalogPath: string
  transport: 'ipc' | 'http'
  version: string
  nativeBinding?: string
  repository: CatalogRepository
  review: ReviewService
  playback: PlaybackService
  jobs: JobRegistry
}

export function createCoreHandlers(d: CoreDeps): Pick<Handlers, CoreOperationName> {
  const { db, repository, review, playback, jobs } = d
  // Worker threads open the catalog file themselves; an in-memory catalog (tests) is served in-thread.
  const offThread = !db.memory
  return {
    'app/info': () => ({
      version: d.version,
      transport: d.transport,
      catalogPath: d.catalogPath,
      schemaVersion: schemaVersion(db),
      sources: repository.sources()
    }),
    'catalog/list': async () => {
      if (!offThread || repository.countEntries() < OFF_THREAD_LIST_ROWS) return { entries: repository.list() }
      if (d.transport === 'ipc') return listCatalogOffThread(db.name, 'objects', d.nativeBinding)
      // Serve mode sends these bytes as they are (httpServer): the typed result exists only as JSON here.
      return (await listCatalogOffThread(db.name, 'json', d.nativeBinding)) as unknown as OpResult<'catalog/list'>
    },
    'catalog/get': ({ id }) => repository.get(id),
    'catalog/update': ({ id, cells }) => review.editCells(id, cells),
    'catalog/stats': () => repository.stats(),
    'dataset/import': ({ folder, includeOrphans }) => {
      if (jobs.busy('import')) throw new UserError('conflict', 'An import is already running; wait for it to finish.')
      const jobId = jobs.start(
        'import',
        async (ctl) => {
          const report = await importDataset(db, folder, {
            includeOrphans: includeOrphans ?? false,
            offThread,
            ...(d.nativeBinding ? { nativeBinding: d.nativeBinding } : {}),
            onProgress: (p) => ctl.update(p.done, p.total, p.message)
          })
          // Playback proxies for formats Chromium cannot play are made in the background.
          playback.enqueueAll()
          return report
        },
        { nextTurn: true }
      )
      return { jobId }
    },
    'dataset/exportCsv': ({ sourceId, outPath }) => {
      const { bytes, rows, neutralizedCells } = exportCsv(db, sourceId)
      if (outPath === undefined) return { rows, bytes: bytes.length, csv: bytes.toString('utf8'), neutralizedCells }
      writeCsvExport(outPath, bytes, sourceCsvFiles(db))
      return { rows, bytes: bytes.length, csv: null, neutralizedCells }
    },
    'jobs/get': ({ jobId }) => importJobView(jobs.find(jobId), jobId),
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
    'backup/list': () => ({ folder: backupDir(d.catalogPath), backups: listBackups(d.catalogPath).map(toBackupSummary) }),
    'backup/create': async () => toBackupSummary(await backupOnline(db, d.catalogPath, 'manual')),
    // Restoring closes and reopens the catalog, which only its owner can do: CatalogSession answers this one.
    'backup/restore': () => {
      throw new UserError('unsupported', 'Restoring a backup is not available here; use `lus-review restore` with the catalog closed.')
    }
  }
}

/** A dataset import as `jobs/get` shows it; the other kinds have their own operations. */
function importJobView(r: JobRecord | undefined, id: string): Job {
  if (!r || r.kind !== 'import') throw new UserError('not_found', `No job ${id}.`)
  return {
    id: r.id,
    kind: 'import',
    // Imports are never cancelled (the contract has no cancel for them).
    state: r.state === 'cancelled' ? 'failed' : r.state,
    done: r.done,
    total: r.total,
    message: r.message,
    report: r.result as Job['report'],
    error: r.error
  }
}
