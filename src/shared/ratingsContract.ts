/**
 * The API contract of blinded multi-rater review: raters, review sets, the
 * rater-mode queue, agreement statistics, adjudication and review bundles.
 * Spread into `contract` (src/shared/contract.ts); the operation names are
 * in operations.ts, beside the other groups.
 *
 * Rater-mode results (`rater/*`) are strict objects: anything beyond the
 * allow-list would fail validation, which the blinding tests rely on.
 *
 * Over 350 lines, kept whole: its sections (fields, sets, rater mode,
 * agreement, adjudication, bundles, the operations) are schemas a few lines
 * each, and the rater-mode allow-list is easiest to audit beside the
 * operations that return it.
 */
import { z } from 'zod'
import type { RatingOperationName } from './operations'
import type { CatalogQuery, SortKey } from './catalogQuery'
import {
  LABELS,
  PATHOLOGIES,
  PATHOLOGY_STATES,
  PROBES,
  SYMPTOMS,
  SYMPTOM_STATES,
  type Pathology,
  type Symptom
} from './vocabulary'


/** The operations a rater uses while rating: their results are built from an allow-list in main. */
export const RATER_MODE_OPERATIONS = ['rater/sets', 'rater/next', 'rater/clip', 'rater/submit'] as const satisfies readonly RatingOperationName[]

// ---------------------------------------------------------------------------------------------
// Rating fields: the label panel's fields, by key.

const pathologyState = z.enum(PATHOLOGY_STATES)
const symptomState = z.enum(SYMPTOM_STATES)

/** One schema per rating field; a rating holds a value for each field of its set. */
export const RATING_FIELD_SCHEMAS = {
  label: z.enum(LABELS),
  ...(Object.fromEntries(PATHOLOGIES.map((p) => [p, pathologyState])) as Record<Pathology, typeof pathologyState>),
  ...(Object.fromEntries(SYMPTOMS.map((s) => [s, symptomState])) as Record<Symptom, typeof symptomState>),
  age: z.number().min(0).max(150).nullable(),
  gender: z.enum(['male', 'female']).nullable(),
  patientId: z.string().max(200),
  degumArea: z.string().max(200),
  probe: z.enum(PROBES).nullable(),
  comments: z.string().max(10_000)
}

export const RATING_FIELDS = [
  'label',
  ...PATHOLOGIES,
  ...SYMPTOMS,
  'age',
  'gender',
  'patientId',
  'degumArea',
  'probe',
  'comments'
] as const satisfies readonly (keyof typeof RATING_FIELD_SCHEMAS)[]
export type RatingField = (typeof RATING_FIELDS)[number]

type OptionalShape = { [K in RatingField]: z.ZodOptional<(typeof RATING_FIELD_SCHEMAS)[K]> }
const optionalShape = Object.fromEntries(RATING_FIELDS.map((f) => [f, RATING_FIELD_SCHEMAS[f].optional()])) as OptionalShape

/** The values of a rating (or of a reference or consensus), keyed by field. */
export const ratingValuesSchema = z.object(optionalShape).strict()
export type RatingValues = z.infer<typeof ratingValuesSchema>
export type RatingValue = string | number | null

export const ratingFieldSchema = z.enum(RATING_FIELDS)

// ---------------------------------------------------------------------------------------------
// Raters and review sets.

/** Raters and sets are UUIDs so that bundles name the same ones on every machine. */
export const uuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not a UUID')
const entryId = z.number().int().positive()
const count = z.number().int().nonnegative()

export const RATER_ROLES = ['rater', 'adjudicator', 'coordinator'] as const
export type RaterRole = (typeof RATER_ROLES)[number]

export const raterSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  role: z.enum(RATER_ROLES),
  createdAt: z.string()
})
export type Rater = z.infer<typeof raterSchema>

/**
 * The order a rater's queue presents clips in. Orders based on model
 * predictions ('uncertainty', 'disagreement') come later: they add a key here
 * and an orderer in src/main/ratings/queueOrder.ts; the column is unchecked.
 */
export const REVIEW_ORDERS = ['catalog', 'random'] as const
export type ReviewOrder = (typeof REVIEW_ORDERS)[number]

const SORT_KEY_VALUES = ['row', 'filename', 'label', 'probe', 'type', 'license', 'source', 'mediaStatus'] as const satisfies readonly SortKey[]
const filterValues = z.array(z.string().max(500)).max(200).default([])

/** A CatalogQuery; omitted filters mean "any". */
export const catalogQuerySchema = z
  .object({
    labels: filterValues,
    probes: filterValues,
    types: filterValues,
    mediaStatuses: filterValues,
    licenses: filterValues,
    search: z.string().max(1000).default(''),
    sortKey: z.enum(SORT_KEY_VALUES).default('row'),
    sortDescending: z.boolean().default(false)
  })
  .strict()
/** A query as stored with a set; the compiler checks it is still a CatalogQuery. */
export type SetQuery = z.output<typeof catalogQuerySchema> & CatalogQuery

export const reviewSetRaterSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  role: z.enum(RATER_ROLES),
  position: z.number().int().positive(),
  rated: count
})

export const reviewSetSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  query: catalogQuerySchema,
  fields: z.array(ratingFieldSchema),
  raters: z.array(reviewSetRaterSchema),
  blinded: z.boolean(),
  revealAfterSubmit: z.boolean(),
  order: z.enum(REVIEW_ORDERS),
  seed: z.number().int(),
  createdAt: z.string(),
  clips: count,
  clipsWithoutMedia: count,
  /** Clips rated by every rater of the set. */
  complete: count
})
export type ReviewSet = z.infer<typeof reviewSetSchema>

// ---------------------------------------------------------------------------------------------
// Rater mode: an allow-list of what a rater may see.

export const ratingSchema = z
  .object({
    values: ratingValuesSchema,
    confidence: z.number().int().min(1).max(5),
    comment: z.string(),
    submittedAt: z.string(),
    updatedAt: z.string()
  })
  .strict()
export type Rating = z.infer<typeof ratingSchema>

export const raterClipSchema = z
  .object({
    setId: uuidSchema,
    clipNo: z.number().int().positive(),
    /** "Clip 7 of 45": the only name a blinded rater sees. */
    handle: z.string(),
    total: count,
    /** For playback (media/playback, the media protocol); null when the clip has no media here. */
    mediaId: z.number().int().positive().nullable(),
    mediaKind: z.enum(['video', 'image']).nullable(),
    fields: z.array(ratingFieldSchema),
    myRating: ratingSchema.nullable(),
    /** Key frames this rater marked on this clip (0-based frame indexes; shown 1-based). */
    keyFrames: z.array(z.object({ frame: z.number().int().nonnegative(), note: z.string() }).strict()),
    /** False once the rating was revealed against others: a revealed rating is final. */
    canEdit: z.boolean(),
    /** Only after this rater submitted the clip in a set that reveals, or always in an unblinded set. */
    revealed: z
      .object({
        reference: ratingValuesSchema,
        others: z.array(z.object({ rater: z.string(), values: ratingValuesSchema, confidence: z.number().int(), comment: z.string() }).strict()),
        /** Model predictions do not exist yet; reserved so the shape does not change when they do. */
        predictions: z.array(z.never())
      })
      .strict()
      .nullable()
  })
  .strict()
export type RaterClip = z.infer<typeof raterClipSchema>

export const raterSetSummarySchema = z
  .object({ id: uuidSchema, name: z.string(), blinded: z.boolean(), fields: z.array(ratingFieldSchema), total: count, rated: count })
  .strict()
export type RaterSetSummary = z.infer<typeof raterSetSummarySchema>

export const raterViewSchema = z
  .object({
    set: raterSetSummarySchema,
    /** The clip asked for, or the next unrated one; null when the rater has rated every clip. */
    clip: raterClipSchema.nullable()
  })
  .strict()
export type RaterView = z.infer<typeof raterViewSchema>

// ---------------------------------------------------------------------------------------------
// Agreement statistics.

export const estimateSchema = z.object({
  value: z.number().nullable(),
  /** Percentile bootstrap 95% interval; null when the statistic is undefined. */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  /** Items the statistic was computed on. */
  n: count,
  /** Bootstrap replicates where the statistic was undefined (e.g. κ with chance agreement 1), left out of the CI. */
  droppedReplicates: count
})
export type Estimate = z.infer<typeof estimateSchema>

export const cohenPairSchema = estimateSchema.extend({
  raters: z.tuple([z.string(), z.string()]),
  observedAgreement: z.number().nullable(),
  /** confusion[a][b]: items the first rater put in category a and the second in b, categories in report order. */
  confusion: z.array(z.array(count))
})
export type CohenPair = z.infer<typeof cohenPairSchema>

export const agreementReportSchema = z.object({
  raters: z.array(z.string()),
  categories: z.array(z.string()),
  /** Items with at least one rating. */
  items: count,
  ratings: count,
  itemsWithOneRating: count,
  itemsWithTwoOrMoreRatings: count,
  /** Items rated by every rater. */
  completeItems: count,
  /** Items (with ≥ 2 ratings) on which every rating is the same. */
  percentAgreement: estimateSchema,
  /** Mean over items (with ≥ 2 ratings) of the share of agreeing rater pairs. */
  pairwiseAgreement: estimateSchema,
  /** Fleiss' κ over items with ≥ 2 ratings, each with its own number of ratings. */
  fleissKappa: estimateSchema,
  cohenKappa: z.array(cohenPairSchema),
  /** Specific (category) agreement: Σ n_ij(n_ij − 1) / Σ n_ij(n_i − 1). */
  specificAgreement: z.array(estimateSchema.extend({ category: z.string() })),
  bootstrap: z.object({ replicates: count, seed: z.number().int(), ci: z.literal('percentile'), resampling: z.literal('items') })
})
export type AgreementReport = z.infer<typeof agreementReportSchema>

export const setAgreementSchema = z.object({
  setId: uuidSchema,
  fields: z.array(z.object({ field: ratingFieldSchema, report: agreementReportSchema })),
  /** Fields whose agreement is not a categorical statistic (free text, age). */
  skippedFields: z.array(z.object({ field: ratingFieldSchema, reason: z.string() }))
})
export type SetAgreement = z.infer<typeof setAgreementSchema>

// ---------------------------------------------------------------------------------------------
// Adjudication.

const ratingValueSchema = z.union([z.string().max(10_000), z.number(), z.null()])

export const consensusSchema = z.object({
  value: ratingValueSchema,
  reason: z.string(),
  adjudicator: z.string(),
  at: z.string(),
  appliedAt: z.string().nullable()
})

export const adjudicationItemSchema = z.object({
  clipNo: z.number().int().positive(),
  entryId,
  filename: z.string(),
  mediaId: z.number().int().positive().nullable(),
  reference: ratingValuesSchema,
  ratings: z.array(
    z.object({ raterId: uuidSchema, rater: z.string(), values: ratingValuesSchema, confidence: z.number().int(), comment: z.string() })
  ),
  fields: z.array(
    z.object({
      field: ratingFieldSchema,
      /** agree: ≥ 2 ratings, all equal; disagree: they differ; single/none: fewer than two ratings; text: free text, not compared. */
      status: z.enum(['agree', 'disagree', 'single', 'none', 'text']),
      consensus: consensusSchema.nullable()
    })
  )
})
export type AdjudicationItem = z.infer<typeof adjudicationItemSchema>

export const applyReportSchema = z.object({
  entriesChanged: count,
  cellsWritten: count,
  /** Clips left out, and why (e.g. a field with no consensus, or comments already present). */
  skipped: z.array(z.object({ clipNo: z.number().int().nullable(), field: z.string(), reason: z.string() }))
})
export type ApplyReport = z.infer<typeof applyReportSchema>

// ---------------------------------------------------------------------------------------------
// Review bundles.

export const bundleConflictSchema = z.object({
  /** Pass this key in `resolutions` to resolve the conflict. */
  key: z.string(),
  rater: z.string(),
  clipNo: z.number().int(),
  mine: ratingSchema,
  theirs: ratingSchema
})
export type BundleConflict = z.infer<typeof bundleConflictSchema>

export const bundleExportResultSchema = z.object({
  path: z.string(),
  bytes: count,
  clips: count,
  ratings: count,
  clipsMatchedByHash: count,
  /** Clips without media (or without a hash) are named by file name + CSV row instead; the bundle says so too. */
  clipsMatchedByFilename: count,
  warnings: z.array(z.string())
})
export type BundleExportResult = z.infer<typeof bundleExportResultSchema>

export const bundleImportResultSchema = z.object({
  /** False when nothing was written: a dry run, or conflicts still unresolved. */
  applied: z.boolean(),
  setId: uuidSchema,
  setName: z.string(),
  setCreated: z.boolean(),
  ratersAdded: z.array(z.string()),
  ratingsAdded: count,
  ratingsUnchanged: count,
  ratingsReplaced: count,
  ratingsKept: count,
  conflicts: z.array(bundleConflictSchema),
  clipsMatchedByHash: count,
  clipsMatchedByFilename: count,
  warnings: z.array(z.string())
})
export type BundleImportResult = z.infer<typeof bundleImportResultSchema>

// ---------------------------------------------------------------------------------------------
// The operations.

const empty = z.object({}).strict()
const setId = z.object({ setId: uuidSchema }).strict()
const raterArgs = { setId: uuidSchema, raterId: uuidSchema }
const absolutePath = z.string().min(1).max(4096)

/** What a rater submits for a clip, in the catalog app and on a reader's machine alike. */
export const submittedRating = {
  values: ratingValuesSchema,
  confidence: z.number().int().min(1).max(5),
  comment: z.string().max(10_000).default('')
}

export const submitArgsSchema = z
  .object({
    ...raterArgs,
    clipNo: z.number().int().positive(),
    ...submittedRating
  })
  .strict()

export const createSetArgsSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    query: catalogQuerySchema,
    fields: z.array(ratingFieldSchema).min(1).max(RATING_FIELDS.length),
    /** In order: raters 1..3 write the MD1..MD3 comment columns. */
    raterIds: z.array(uuidSchema).min(1).max(50),
    blinded: z.boolean().default(true),
    revealAfterSubmit: z.boolean().default(false),
    order: z.enum(REVIEW_ORDERS).default('random'),
    /** Seeds the random order and blinded clip numbers; chosen at random when omitted. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    /** Leave out clips with no playable media here (raters cannot rate what they cannot see). */
    excludeWithoutMedia: z.boolean().default(false)
  })
  .strict()
export type CreateSetArgs = z.output<typeof createSetArgsSchema>

export const ratingsContract = {
  'raters/list': { args: empty, result: z.object({ raters: z.array(raterSchema) }) },
  'raters/create': {
    args: z.object({ name: z.string().trim().min(1).max(80), role: z.enum(RATER_ROLES).default('rater') }).strict(),
    result: raterSchema
  },
  'reviewSets/list': { args: empty, result: z.object({ sets: z.array(reviewSetSchema) }) },
  'reviewSets/create': { args: createSetArgsSchema, result: reviewSetSchema },
  'reviewSets/get': { args: setId, result: reviewSetSchema },
  'reviewSets/agreement': {
    args: z
      .object({
        setId: uuidSchema,
        replicates: z.number().int().min(0).max(100_000).optional(),
        seed: z.number().int().min(0).max(2 ** 31 - 1).optional()
      })
      .strict(),
    result: setAgreementSchema
  },
  'rater/sets': {
    args: z.object({ raterId: uuidSchema }).strict(),
    result: z.object({ sets: z.array(raterSetSummarySchema) }).strict()
  },
  'rater/next': { args: z.object(raterArgs).strict(), result: raterViewSchema },
  'rater/clip': { args: z.object({ ...raterArgs, clipNo: z.number().int().positive() }).strict(), result: raterViewSchema },
  'rater/submit': { args: submitArgsSchema, result: raterViewSchema },
  'adjudication/list': {
    args: z.object({ setId: uuidSchema, onlyDisagreements: z.boolean().default(true) }).strict(),
    result: z.object({ setId: uuidSchema, raters: z.array(reviewSetRaterSchema), items: z.array(adjudicationItemSchema) })
  },
  'adjudication/setConsensus': {
    args: z
      .object({
        setId: uuidSchema,
        entryId,
        adjudicatorId: uuidSchema,
        field: ratingFieldSchema,
        value: ratingValueSchema,
        reason: z.string().trim().min(1).max(2000)
      })
      .strict(),
    result: adjudicationItemSchema
  },
  'adjudication/applyConsensus': {
    args: z
      .object({
        setId: uuidSchema,
        /** Also write fields on which every rater of the set agreed and that have no adjudicated value. */
        includeUnanimous: z.boolean().default(false)
      })
      .strict(),
    result: applyReportSchema
  },
  'adjudication/exportComments': {
    args: z
      .object({
        setId: uuidSchema,
        /** The rating's `comments` field (the label panel's comment), or its free comment. */
        from: z.enum(['comments', 'comment']).default('comments'),
        /** Replace MD cells that already hold other text (audited and undoable); otherwise they are skipped. */
        overwrite: z.boolean().default(false)
      })
      .strict(),
    result: applyReportSchema
  },
  'bundles/export': {
    args: z
      .object({
        setId: uuidSchema,
        /** Absolute path of the .zip to write. */
        outPath: absolutePath,
        /** Only these raters' ratings; [] for the set definition alone (to send a set out to raters). */
        raterIds: z.array(uuidSchema).max(50).optional()
      })
      .strict(),
    result: bundleExportResultSchema
  },
  'bundles/import': {
    args: z
      .object({
        path: absolutePath,
        /** Conflict key → which rating to keep; every conflict must be resolved before anything is written. */
        resolutions: z.record(z.string().max(200), z.enum(['mine', 'theirs'])).optional(),
        dryRun: z.boolean().default(false)
      })
      .strict(),
    result: bundleImportResultSchema
  }
} as const satisfies Record<RatingOperationName, { args: z.ZodType; result: z.ZodType }>

export type RatingsContract = typeof ratingsContract
