/**
 * The classifier's API operations: names and zod schemas, in the shape of
 * `contract` (src/shared/contract.ts), which spreads them in. Kept in their
 * own file so the classifier's schemas live beside its preprocessing.
 */
import { z } from 'zod'
import type { ClassifierOperationName } from './operations'
import {
  BORDER_MAX_GREY,
  INPUT_SIZE,
  LUS_CLASSES,
  MAX_FRAMES_PER_CLIP,
  MIN_BOX_FRACTION,
  MODEL_CLASSES,
  MODEL_FINDINGS,
  NORM_MEAN,
  NORM_STD,
  SAMPLE_RATE_HZ
} from './classifierPreprocess'

export type { ClassifierOperationName } from './operations'

const id = z.number().int().positive()
const count = z.number().int().nonnegative()
const modelClass = z.enum(MODEL_CLASSES)
const lusClass = z.enum(LUS_CLASSES)
const probabilities = z.object({ covid: z.number(), pneumonia: z.number(), healthy: z.number(), uninformative: z.number() })
const sha256 = z.string().regex(/^[0-9a-f]{64}$/)
/** A model's expert findings for one clip: the mean over its frames of each finding's sigmoid, in MODEL_FINDINGS order. */
export const findingProbabilitiesSchema = z.array(z.object({ name: z.enum(MODEL_FINDINGS), probability: z.number() }).strict())
export type FindingProbabilities = z.infer<typeof findingProbabilitiesSchema>

export const modelIdentitySchema = z.object({ name: z.string(), version: z.string(), sha256 })

export const predictionSchema = z.object({
  entryId: id,
  modelName: z.string(),
  modelVersion: z.string(),
  modelSha256: sha256,
  /** ok: probabilities are set; failed: no prediction was possible (see reason, e.g. no decodable frames). */
  status: z.enum(['ok', 'failed']),
  probabilities: probabilities.nullable(),
  /** Most probable class, uninformative included. */
  predicted: modelClass.nullable(),
  /** Most probable of covid/pneumonia/healthy (how the card's accuracy is computed). */
  lusPredicted: lusClass.nullable(),
  /** Shannon entropy of the probabilities, bits (0 = certain, 2 = uniform over the four classes). */
  entropy: z.number().nullable(),
  framesUsed: count,
  reason: z.string().nullable(),
  mediaSha256: z.string().nullable(),
  createdAt: z.string(),
  /** Per sampled frame: media time (s) and class probabilities in MODEL_CLASSES order; null when not stored (failed, or stored before frames were kept). */
  frames: z.array(z.object({ time: z.number(), probs: z.array(z.number()) })).nullable(),
  /** The expert findings the model predicts for the clip; null for a model without a findings head, a failed prediction or a row stored before findings were kept. */
  findings: findingProbabilitiesSchema.nullable()
})
export type Prediction = z.infer<typeof predictionSchema>

/** Per entry, what the catalog table merges into its summaries to filter and sort by. */
export const predictionSummarySchema = z.object({
  entryId: id,
  status: z.enum(['ok', 'failed']),
  predicted: modelClass.nullable(),
  lusPredicted: lusClass.nullable(),
  confidence: z.number().nullable(),
  entropy: z.number().nullable(),
  /** The expert label as a model class; null for labels the model does not know (Other). */
  expertClass: lusClass.nullable(),
  /** predicted ≠ expertClass (an `uninformative` call on a labelled clip counts); null when either is missing. */
  disagrees: z.boolean().nullable()
})
export type PredictionSummary = z.infer<typeof predictionSummarySchema>

export const preprocessingSchema = z.object({
  inputSize: z.number().int(),
  sampleRateHz: z.number(),
  maxFramesPerClip: z.number().int(),
  normMean: z.number(),
  normStd: z.number(),
  borderMaxGrey: z.number().int(),
  minBoxFraction: z.number()
})

export const PREPROCESSING = {
  inputSize: INPUT_SIZE,
  sampleRateHz: SAMPLE_RATE_HZ,
  maxFramesPerClip: MAX_FRAMES_PER_CLIP,
  normMean: NORM_MEAN,
  normStd: NORM_STD,
  borderMaxGrey: BORDER_MAX_GREY,
  minBoxFraction: MIN_BOX_FRACTION
} as const satisfies z.infer<typeof preprocessingSchema>

export const modelInfoSchema = z.object({
  available: z.boolean(),
  /** Why predictions are off (model missing, damaged, other inputs/outputs), written for the user. */
  error: z.string().nullable(),
  model: z
    .object({
      name: z.string(),
      version: z.string(),
      sha256,
      /** File name only: paths do not cross the API. */
      file: z.string(),
      sizeBytes: count,
      classes: z.array(z.string()),
      inputSize: z.number().int(),
      /** [h, w] of each class activation map. */
      camSize: z.tuple([z.number().int(), z.number().int()]),
      /** The findings of its `findings` output, in order; null when the model has no findings head. */
      findings: z.array(z.enum(MODEL_FINDINGS)).nullable(),
      preprocessing: preprocessingSchema,
      /** The model card (resources/models/<name>.card.json) as written by the training pipeline. */
      card: z.record(z.string(), z.unknown()).nullable(),
      cardWarning: z.string().nullable()
    })
    .nullable()
})
export type ModelInfo = z.infer<typeof modelInfoSchema>

const spread = z.object({ mean: z.number(), sd: z.number() })
const rateOfClass = z.object({ class: z.string(), sensitivity: spread, specificity: spread })

/**
 * The model card as the app shows it (classifier/modelCard): what the model
 * was trained on, how it was tested (patient-grouped cross-validation) and
 * how well, per class with the spread over folds, and its known limits. Main
 * reads it from resources/models/<name>.card.json; figures the card lacks are
 * absent, never made up.
 */
export const modelCardSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    createdAt: z.string().nullable(),
    intendedUse: z.string().nullable(),
    /** How the weights started (e.g. trained from scratch). */
    pretraining: z.string().nullable(),
    classes: z.array(z.string()),
    data: z.array(z.object({ class: z.string(), clips: count, videos: count.nullable(), images: count.nullable(), groups: count.nullable() }).strict()),
    labelMapping: z.string().nullable(),
    split: z.object({ method: z.string(), folds: count, groups: count.nullable(), seed: z.number().int().nullable() }).strict().nullable(),
    protocol: z.string().nullable(),
    /** Cross-validation, mean ± sd over folds: per clip (video) and per frame. */
    results: z.array(
      z
        .object({ level: z.enum(['video', 'frame']), accuracy: spread.nullable(), balancedAccuracy: spread.nullable(), perClass: z.array(rateOfClass.strict()) })
        .strict()
    ),
    /**
     * The findings head (models that have one): per finding, the clip-level AUC on the test folds, mean ± sd over
     * the folds holding both present and absent clips, and pooled over all test clips with their counts.
     */
    findings: z.array(
      z
        .object({ name: z.string(), auc: spread.nullable(), foldsWithAuc: count, pooledAuc: z.number().nullable(), present: count, absent: count })
        .strict()
    ),
    /** Cross-validation repeated with other training seeds on the same folds: the spread the seed alone causes; null for a single seed. */
    seeds: z
      .object({ seeds: z.array(z.number().int()), videoBalancedAccuracy: spread.nullable(), covidSensitivity: spread.nullable() })
      .strict()
      .nullable(),
    limitations: z.array(z.string())
  })
  .strict()
export type ModelCard = z.infer<typeof modelCardSchema>

export const modelCardResultSchema = z
  .object({
    card: modelCardSchema.nullable(),
    /** Why there is no card, or why it may not describe the loaded model. */
    warning: z.string().nullable()
  })
  .strict()
export type ModelCardResult = z.infer<typeof modelCardResultSchema>

export const prelabelReportSchema = z.object({
  model: modelIdentitySchema,
  considered: count,
  predicted: count,
  failed: count,
  skipped: count,
  cancelled: z.boolean(),
  durationMs: count,
  framesUsed: count,
  failures: z.array(z.object({ entryId: id, filename: z.string(), reason: z.string() })),
  /** Where the time went, ms: decoding is ffmpeg sampling plus preprocessing, summed per clip (it overlaps the model's runs); decodeWait is the part the model waited for. */
  timing: z.object({ decodeMs: count, decodeWaitMs: count, modelMs: count, storeMs: count })
})

const clipRef = z.object({ entryId: id, filename: z.string(), fold: z.number().int().nullable() })
export const leakageReportSchema = z.object({
  folds: z.number().int(),
  seed: z.number().int(),
  clipsHashed: count,
  /** Pairs of clips whose frames' 64-bit dHashes are within the near-duplicate distance, closest first. */
  pairs: z.array(z.object({ a: clipRef, b: clipRef, distance: count, crossFold: z.boolean() })),
  crossFold: count,
  hashFailures: z.array(z.object({ filename: z.string(), reason: z.string() }))
})

export const classifierJobSchema = z.object({
  id: z.string(),
  kind: z.enum(['prelabel', 'leakage']),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  done: count,
  total: count,
  message: z.string(),
  result: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('prelabel'), report: prelabelReportSchema }),
      z.object({ kind: z.literal('leakage'), report: leakageReportSchema })
    ])
    .nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable()
})
export type ClassifierJob = z.infer<typeof classifierJobSchema>

const splitLabel = z.enum(['covid', 'pneumonia', 'healthy', 'other'])
export const splitResultSchema = z.object({
  folds: z.number().int(),
  seed: z.number().int(),
  assignments: z.array(
    z.object({ entryId: id, filename: z.string(), label: splitLabel, group: z.string(), basis: z.enum(['patient', 'source+stem']), fold: z.number().int() })
  ),
  perFold: z.array(
    z.object({
      fold: z.number().int(),
      counts: z.object({ covid: count, pneumonia: count, healthy: count, other: count }),
      groups: count
    })
  ),
  /** Entries without a Patient ID, grouped by source and file-name stem instead. */
  groupedBySourceStem: z.array(z.string()),
  /** Files written (folds.csv, cross_val.json) when outDir was given. */
  files: z.array(z.string())
})

const empty = z.object({}).strict()
const modelSha = z.object({ modelSha256: sha256.optional() }).strict()


export const classifierContract = {
  'classifier/modelInfo': { args: empty, result: modelInfoSchema },
  /** The model card's figures (data, split, per-class sensitivity and specificity ± sd, limits) for the card view. */
  'classifier/modelCard': { args: empty, result: modelCardResultSchema },
  /** Loads the model file again (after `npm run train` or replacing the file). */
  'classifier/reloadModel': { args: empty, result: modelInfoSchema },
  /** Every stored prediction of a model (default: the loaded one). */
  'classifier/predictions': { args: modelSha, result: z.object({ modelSha256: sha256.nullable(), predictions: z.array(predictionSchema) }) },
  /** One entry's prediction by a model (default: the loaded one; with no model loaded, the newest of any). */
  'classifier/prediction': {
    args: z.object({ entryId: id, modelSha256: sha256.optional() }).strict(),
    result: z.object({ prediction: predictionSchema.nullable() })
  },
  /** {entryId, predicted, entropy, disagrees, …} for every predicted entry, to merge into catalog summaries. */
  'classifier/summaries': { args: modelSha, result: z.object({ modelSha256: sha256.nullable(), entries: z.array(predictionSummarySchema) }) },
  /** Starts pre-labelling (every entry with media, or the given ones); poll classifier/job. */
  'classifier/prelabel': {
    args: z.object({ force: z.boolean().optional(), entryIds: z.array(id).max(100_000).optional() }).strict(),
    result: z.object({ jobId: z.string() })
  },
  'classifier/job': { args: z.object({ jobId: z.string().max(64) }).strict(), result: classifierJobSchema },
  'classifier/cancel': { args: z.object({ jobId: z.string().max(64) }).strict(), result: classifierJobSchema },
  /** Patient-grouped, label-stratified folds; with outDir (absolute) also writes folds.csv and cross_val.json there. */
  'classifier/split': {
    args: z
      .object({
        folds: z.number().int().min(2).max(20),
        seed: z.number().int().min(0).max(2 ** 31 - 1),
        outDir: z.string().min(1).max(4096).optional()
      })
      .strict(),
    result: splitResultSchema
  },
  /** Starts the near-duplicate (leakage) check against the split of these folds and seed; poll classifier/job. */
  'classifier/leakageCheck': {
    args: z.object({ folds: z.number().int().min(2).max(20), seed: z.number().int().min(0).max(2 ** 31 - 1) }).strict(),
    result: z.object({ jobId: z.string() })
  }
} as const satisfies Record<ClassifierOperationName, { args: z.ZodType; result: z.ZodType }>

export type ClassifierContract = typeof classifierContract
