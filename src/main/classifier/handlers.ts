/**
 * The classifier's API operations over ClassifierService. The lead spreads
 * `handlers` into createServices' handler map (and `close` into its close).
 * A missing or damaged model never fails the app: modelInfo says why,
 * prediction reads still answer from the catalog, and pre-labelling is
 * refused with the reason.
 */
import { existsSync, statSync } from 'node:fs'
import { basename, isAbsolute } from 'node:path'
import { PREPROCESSING, type ClassifierContract, type ModelInfo } from '../../shared/classifierContract'
import type { HandlersOf } from '../api/handlers'
import type { CatalogDb } from '../catalog/database'
import { UserError } from '../errors'
import type { JobRegistry } from '../jobs/jobRegistry'
import { ClassifierService, type ModelStatus } from './classifierService'
import { modelCardResult } from './modelCard'
import { defaultModelPath } from './modelSession'

export type ClassifierHandlers = HandlersOf<ClassifierContract>

export interface ClassifierContext {
  db: CatalogDb
  /** Defaults to LUS_MODEL_PATH, the packaged resources, or the repository's resources/models/lusnet.onnx. */
  modelPath?: string
  /** The app's job registry, where pre-labelling and the leakage check run. */
  jobs?: JobRegistry
}

export function toModelInfo(status: ModelStatus): ModelInfo {
  if (!status.available) return { available: false, error: status.error, model: null }
  const i = status.info
  return {
    available: true,
    error: null,
    model: {
      name: i.name,
      version: i.version,
      sha256: i.sha256,
      file: basename(i.file),
      sizeBytes: i.sizeBytes,
      classes: i.classes,
      inputSize: i.inputSize,
      camSize: i.camSize,
      findings: i.findings,
      preprocessing: { ...PREPROCESSING },
      card: i.card,
      cardWarning: i.cardWarning
    }
  }
}

export function createClassifierHandlers(ctx: ClassifierContext): { handlers: ClassifierHandlers; service: ClassifierService; close(): Promise<void> } {
  const service = new ClassifierService(ctx.db, ctx.modelPath ?? defaultModelPath(), ctx.jobs ? { jobs: ctx.jobs } : {})
  /** The model to read predictions of: the one asked for, else the loaded one (null when none loads). */
  const modelSha = async (asked: string | undefined): Promise<string | null> => asked ?? (await service.identity())?.sha256 ?? null

  const handlers: ClassifierHandlers = {
    'classifier/modelInfo': async () => toModelInfo(await service.modelStatus()),
    'classifier/modelCard': async () => {
      const status = await service.modelStatus()
      if (!status.available) return { card: null, warning: `No model is loaded: ${status.error}` }
      return modelCardResult(status.info.card, status.info.cardWarning, status.info.name)
    },
    'classifier/reloadModel': async () => {
      if (service.jobs.busy('prelabel')) throw new UserError('conflict', 'A pre-labelling run is using the model; cancel it or wait before reloading.')
      return toModelInfo(await service.reload())
    },
    'classifier/predictions': async ({ modelSha256 }) => {
      const sha = await modelSha(modelSha256)
      return { modelSha256: sha, predictions: sha ? service.store.list(sha) : [] }
    },
    'classifier/prediction': async ({ entryId, modelSha256 }) => {
      const sha = await modelSha(modelSha256)
      return { prediction: service.store.get(entryId, sha ?? undefined) }
    },
    'classifier/summaries': async ({ modelSha256 }) => {
      const sha = await modelSha(modelSha256)
      return { modelSha256: sha, entries: sha ? service.store.summaries(sha) : [] }
    },
    'classifier/prelabel': async ({ force, entryIds }) => {
      await service.model() // refuses now, with the reason, when there is no usable model
      return { jobId: service.startPrelabel({ ...(force !== undefined ? { force } : {}), ...(entryIds ? { entryIds } : {}) }) }
    },
    'classifier/job': ({ jobId }) => service.jobs.get(jobId),
    'classifier/cancel': ({ jobId }) => service.jobs.cancel(jobId),
    'classifier/split': async ({ folds, seed, outDir }) => {
      const split = service.split(folds, seed)
      let files: string[] = []
      if (outDir !== undefined) {
        if (!isAbsolute(outDir)) throw new UserError('bad_input', `Give the output folder as an absolute path (got "${outDir}").`)
        if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UserError('bad_input', `${outDir} is not a folder.`)
        files = await service.writeSplit(split, outDir, false)
      }
      return {
        folds: split.folds,
        seed: split.seed,
        assignments: split.assignments.map(({ entryId, filename, label, group, basis, fold }) => ({ entryId, filename, label, group, basis, fold })),
        perFold: split.perFold,
        groupedBySourceStem: split.groupedBySourceStem,
        files
      }
    },
    'classifier/leakageCheck': ({ folds, seed }) => ({ jobId: service.startLeakageCheck(folds, seed) })
  }
  return { handlers, service, close: () => service.close() }
}
