/**
 * The submission operations (src/shared/submissionContract.ts) over the
 * services of this folder. The lead spreads them into `createServices`'
 * handlers: `...createSubmissionHandlers(ctx).handlers`.
 */
import { deidSummarySchema, type SubmissionContract } from '../../shared/submissionContract'
import type { HandlersOf } from '../api/handlers'
import type { CatalogDb } from '../catalog/database'
import { loadOrCreateKeys, type DeidKeys } from '../deid/keys'
import { UserError } from '../errors'
import type { JobRegistry } from '../jobs/jobRegistry'
import { userDataDir } from '../paths'
import { exportBundle } from './bundleExport'
import { validateBundle } from './bundleValidate'
import { exportCropJson, importCropJson } from './cropJson'
import { importDicomFile, type DicomImportOptions, type DicomImportReport } from './dicomImport'
import { EditsStore } from './editsStore'
import { SubmissionJobs } from './jobs'
import { DicomWebClient } from './pacs/dicomweb'
import { PacsConfigStore } from './pacs/pacsConfig'
import { pullFromPacs } from './pacs/pacsPull'
import { rebuildButterfly, rebuildWebVideos } from './rebuild'
import { requireSubmissionSchema } from './schema'

export type SubmissionHandlers = HandlersOf<SubmissionContract>

export interface SubmissionContext {
  db: CatalogDb
  catalogPath: string
  /** Where the de-identification secret and the PACS settings live; defaults to the user-data directory. */
  stateDir?: string
  /** Overrides `<catalog dir>/contributions` (tests). */
  contributionsRoot?: string
  /** The app's job registry; one of its own when omitted (tests). */
  jobs?: JobRegistry
}

export interface SubmissionServices {
  handlers: SubmissionHandlers
  jobs: SubmissionJobs
}

export function createSubmissionHandlers(ctx: SubmissionContext): SubmissionServices {
  const jobs = new SubmissionJobs(ctx.jobs)
  const stateDir = ctx.stateDir ?? userDataDir()
  const pacs = new PacsConfigStore(stateDir)
  let keys: DeidKeys | null = null
  // Loaded on first use: a catalog that never imports a DICOM never creates a secret.
  const getKeys = (): DeidKeys => (keys ??= loadOrCreateKeys(stateDir))
  const edits = (): EditsStore => new EditsStore(ctx.db)
  const importOptions = (a: Pick<DicomImportOptions, 'label' | 'probe' | 'license' | 'provenance'>): DicomImportOptions => ({
    catalogPath: ctx.catalogPath,
    ...(ctx.contributionsRoot ? { contributionsRoot: ctx.contributionsRoot } : {}),
    keys: getKeys(),
    label: a.label,
    probe: a.probe,
    license: a.license,
    provenance: a.provenance
  })

  const handlers: SubmissionHandlers = {
    'submission/importDicom': ({ paths, ...meta }) => {
      requireSubmissionSchema(ctx.db)
      const jobId = jobs.start('dicom-import', async (update) => {
        const imports: DicomImportReport[] = []
        const failures: { item: string; error: string }[] = []
        for (let i = 0; i < paths.length; i++) {
          const path = paths[i]!
          update(i, paths.length, `File ${i + 1} of ${paths.length}`)
          try {
            imports.push(await importDicomFile(ctx.db, path, { ...importOptions(meta), onProgress: (p) => update(i, paths.length, `File ${i + 1} of ${paths.length}: ${p.message}`) }))
          } catch (e) {
            if (!(e instanceof UserError)) throw e
            failures.push({ item: path, error: e.message })
          }
        }
        if (imports.length === 0 && failures.length > 0) throw new UserError('bad_input', failures.map((f) => f.error).join(' '))
        return { imports, failures }
      })
      return { jobId }
    },
    'submission/job': ({ jobId }) => jobs.get(jobId),
    'submission/deidSummary': ({ entryId }) => {
      requireSubmissionSchema(ctx.db)
      const r = ctx.db.prepare<[number], { summary: string }>('SELECT summary FROM deid_records WHERE entry_id = ?').get(entryId)
      if (!r) throw new UserError('not_found', `Entry ${entryId} was not imported from a DICOM file.`)
      return deidSummarySchema.parse(JSON.parse(r.summary))
    },
    'submission/edits/get': ({ entryId }) => edits().info(entryId),
    'submission/edits/set': ({ entryId, crop, trim, masks }) => {
      const store = edits()
      store.set(entryId, { crop, trim, masks })
      return store.info(entryId)
    },
    'submission/cropJson/import': ({ path, sourceId }) => importCropJson(ctx.db, path, sourceId),
    'submission/cropJson/export': ({ sourceId }) => exportCropJson(ctx.db, sourceId),
    'submission/rebuild/butterfly': ({ zipPath, sourceId }) => {
      requireSubmissionSchema(ctx.db)
      return {
        jobId: jobs.start('butterfly', async (update) => ({
          rebuild: await rebuildButterfly(ctx.db, zipPath, { sourceId, onProgress: (p) => update(p.done, p.total, p.message) })
        }))
      }
    },
    'submission/rebuild/webVideos': ({ folder, cropJsonPath, sourceId }) => {
      requireSubmissionSchema(ctx.db)
      return {
        jobId: jobs.start('web-videos', async (update) => ({
          rebuild: await rebuildWebVideos(ctx.db, folder, { sourceId, cropJsonPath, onProgress: (p) => update(p.done, p.total, p.message) })
        }))
      }
    },
    'submission/bundle/validate': ({ entryIds, sourceName }) => {
      requireSubmissionSchema(ctx.db)
      const { ok, errors, warnings } = validateBundle(ctx.db, entryIds, sourceName)
      return { ok, errors, warnings }
    },
    'submission/bundle/export': ({ entryIds, sourceName, outPath }) => {
      requireSubmissionSchema(ctx.db)
      return {
        jobId: jobs.start('bundle', async (update) => ({
          bundle: await exportBundle(ctx.db, { entryIds, sourceName, outPath, keys: getKeys(), onProgress: (p) => update(p.done, p.total, p.message) })
        }))
      }
    },
    'pacs/config/get': () => pacs.view(),
    'pacs/config/set': ({ url, username, password }) => pacs.set(url, username, password),
    'pacs/search': async (q) => ({ studies: await new DicomWebClient(pacs.credentials()).searchStudies(q) }),
    'pacs/series': async ({ studyUid }) => ({ series: await new DicomWebClient(pacs.credentials()).searchSeries(studyUid) }),
    'pacs/pull': ({ studyUid, seriesUid, ...meta }) => {
      requireSubmissionSchema(ctx.db)
      const client = new DicomWebClient(pacs.credentials())
      return {
        jobId: jobs.start('pacs-pull', async (update) =>
          pullFromPacs(ctx.db, client, { studyUid, seriesUid }, importOptions(meta), (p) => update(p.done, p.total, p.message))
        )
      }
    }
  }
  return { handlers, jobs }
}
