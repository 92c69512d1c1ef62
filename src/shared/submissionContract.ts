/**
 * The API contract of contributions and submissions: DICOM import and PACS
 * pull (de-identified), crop/trim/mask settings, rebuilding the sources the
 * dataset cannot redistribute (Butterfly gallery, raw web videos), and
 * submission bundles. Spread into `contract` (src/shared/contract.ts); the
 * operation names are in operations.ts, beside the other groups.
 */
import { z } from 'zod'
import type { SubmissionOperationName } from './operations'
import { LABELS, PROBES } from './vocabulary'

export type { SubmissionOperationName } from './operations'


/** The licences a submission may carry, as the dataset's License column spells them. */
export const KNOWN_LICENSES = ['CC BY 4.0', 'CC BY-NC 4.0', 'CC BY-SA 4.0', 'CC BY-NC-SA 4.0', 'CC BY-ND 4.0', 'CC BY-NC-ND 4.0', 'CC0 1.0'] as const
export type KnownLicense = (typeof KNOWN_LICENSES)[number]

/** The LinkToLicense cell for each licence. */
export const LICENSE_LINKS: Record<KnownLicense, string> = {
  'CC BY 4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'CC BY-NC 4.0': 'https://creativecommons.org/licenses/by-nc/4.0/',
  'CC BY-SA 4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'CC BY-NC-SA 4.0': 'https://creativecommons.org/licenses/by-nc-sa/4.0/',
  'CC BY-ND 4.0': 'https://creativecommons.org/licenses/by-nd/4.0/',
  'CC BY-NC-ND 4.0': 'https://creativecommons.org/licenses/by-nc-nd/4.0/',
  'CC0 1.0': 'https://creativecommons.org/publicdomain/zero/1.0/'
}

const id = z.number().int().positive()
const path = z.string().min(1).max(4096)
const px = z.number().int().nonnegative().max(100_000)

export const cropSchema = z.object({ top: px, left: px, size: z.number().int().positive().max(100_000) }).strict()
/** crop.json's [start_frame, end_frame]: frames start … start + floor(end − start) − 1. */
export const trimSchema = z.object({ start: z.number().int().nonnegative(), end: z.number().positive() }).strict()
export const maskSchema = z.object({ x: px, y: px, width: z.number().int().positive().max(100_000), height: z.number().int().positive().max(100_000) }).strict()

export const mediaEditsSchema = z.object({
  entryId: id,
  crop: cropSchema.nullable(),
  trim: trimSchema.nullable(),
  masks: z.array(maskSchema),
  /** crop.json, butterfly, user; null when the entry has no settings. */
  origin: z.string().nullable(),
  /** The linked file was rebuilt from its raw download with these settings: they are shown, not applied again. */
  bakedIn: z.boolean(),
  /** The linked media's geometry, for drawing the editor; null when the media is missing. */
  media: z.object({ kind: z.enum(['video', 'image']), width: z.number().int(), height: z.number().int(), frames: z.number().int().nullable() }).nullable(),
  /** What ChangesMade would say once applied. */
  changesMade: z.string()
})
export type MediaEditsInfo = z.infer<typeof mediaEditsSchema>

const deidActionSchema = z.enum(['removed', 'uid-replaced', 'kept', 'retained', 'not-carried'])

export const deidSummarySchema = z.object({
  format: z.literal('lus-review/deid-summary@1'),
  patientKey: z.string(),
  studyUid: z.string().nullable(),
  seriesUid: z.string().nullable(),
  instanceUid: z.string().nullable(),
  modality: z.string().nullable(),
  sopClass: z.object({ uid: z.string(), name: z.string() }).nullable(),
  transferSyntax: z.object({ uid: z.string(), name: z.string() }),
  manufacturer: z.string().nullable(),
  image: z.object({
    rows: z.number().int(),
    columns: z.number().int(),
    frames: z.number().int(),
    photometricInterpretation: z.string(),
    samplesPerPixel: z.number().int(),
    bitsAllocated: z.number().int(),
    frameRate: z.number().nullable(),
    frameRateSource: z.string().nullable()
  }),
  patient: z.object({ sex: z.enum(['M', 'F', 'O']).nullable(), ageYears: z.number().nullable() }),
  burnedInAnnotation: z.enum(['YES', 'NO']).nullable(),
  deidentification: z.object({
    profile: z.string(),
    options: z.array(z.string()),
    methodCodes: z.array(z.object({ code: z.string(), meaning: z.string() })),
    counts: z.record(deidActionSchema, z.number().int())
  }),
  /** One line per attribute met: its tag (or path into sequences), name, the profile's action and what was done. Never a value. */
  report: z.array(z.object({ tag: z.string(), name: z.string(), profileAction: z.string().nullable(), action: deidActionSchema }))
})

export const dicomImportResultSchema = z.object({
  entryId: id,
  sourceId: id,
  filename: z.string(),
  mediaRelPath: z.string(),
  summaryRelPath: z.string(),
  kind: z.enum(['video', 'image']),
  frames: z.number().int(),
  fps: z.number().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  patientKey: z.string(),
  counts: z.record(deidActionSchema, z.number().int()),
  warnings: z.array(z.string()),
  durationMs: z.number()
})

const importMetadata = {
  label: z.enum(LABELS).optional(),
  probe: z.enum(PROBES).optional(),
  license: z.enum(KNOWN_LICENSES).optional(),
  /** The "URL (Video Name)" cell: where the clip comes from, e.g. "Data contributed by …". */
  provenance: z.string().max(500).optional()
}

export const rebuildReportSchema = z.object({
  sourceId: id,
  /** Files written into the dataset folder, relative to it. */
  placed: z.array(z.object({ filename: z.string(), relPath: z.string(), changes: z.string() })),
  /** Entries whose media were already present (left untouched). */
  alreadyPresent: z.array(z.string()),
  /** Names the input was expected to hold but does not. */
  notFound: z.array(z.string()),
  failed: z.array(z.object({ name: z.string(), error: z.string() })),
  linkedBefore: z.number().int(),
  linkedAfter: z.number().int()
})
export type RebuildReport = z.infer<typeof rebuildReportSchema>

export const bundleIssueSchema = z.object({
  entryId: id,
  filename: z.string(),
  field: z.string(),
  message: z.string()
})
export const bundleValidationSchema = z.object({
  ok: z.boolean(),
  errors: z.array(bundleIssueSchema),
  warnings: z.array(bundleIssueSchema)
})
export type BundleValidation = z.infer<typeof bundleValidationSchema>

export const phiFindingSchema = z.object({
  /** Path inside the bundle. */
  file: z.string(),
  /** Where in it: "file name", "row 3, column Title", "DICOM header", "bytes". */
  where: z.string(),
  what: z.string()
})

export const bundleResultSchema = z.object({
  outPath: z.string(),
  bytes: z.number().int(),
  entries: z.array(z.object({ entryId: id, filename: z.string(), path: z.string() })),
  warnings: z.array(bundleIssueSchema),
  /** Empty: a bundle is only written when the scan found nothing. */
  phiFindings: z.array(phiFindingSchema)
})
export type BundleResult = z.infer<typeof bundleResultSchema>

export const submissionJobSchema = z.object({
  id: z.string(),
  kind: z.enum(['dicom-import', 'pacs-pull', 'butterfly', 'web-videos', 'bundle']),
  state: z.enum(['running', 'done', 'failed']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  message: z.string(),
  error: z.string().nullable(),
  /** DICOM imports and PACS pulls: one result per imported instance, and the instances that failed. */
  imports: z.array(dicomImportResultSchema),
  failures: z.array(z.object({ item: z.string(), error: z.string() })),
  rebuild: rebuildReportSchema.nullable(),
  bundle: bundleResultSchema.nullable()
})
export type SubmissionJob = z.infer<typeof submissionJobSchema>

export const pacsConfigSchema = z.object({
  /** DICOMweb base URL, e.g. http://pacs.local:8042/dicom-web */
  url: z.string().nullable(),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  /** Where the encrypted password is kept, and what that protects against (see docs/submission.md). */
  storage: z.string()
})

export const pacsStudySchema = z.object({
  studyUid: z.string(),
  date: z.string().nullable(),
  description: z.string().nullable(),
  modalities: z.array(z.string()),
  /** Shown so the user can pick the right study; never stored. */
  patientName: z.string().nullable(),
  patientId: z.string().nullable(),
  seriesCount: z.number().int().nullable(),
  instanceCount: z.number().int().nullable()
})
export const pacsSeriesSchema = z.object({
  seriesUid: z.string(),
  modality: z.string().nullable(),
  description: z.string().nullable(),
  number: z.number().int().nullable(),
  instanceCount: z.number().int().nullable()
})

const jobStarted = z.object({ jobId: z.string() })
const selection = z.object({ entryIds: z.array(id).min(1).max(10_000), sourceName: z.string().trim().min(1).max(40) })

export const submissionContract = {
  'submission/importDicom': {
    args: z.object({ paths: z.array(path).min(1).max(10_000), ...importMetadata }).strict(),
    result: jobStarted
  },
  'submission/job': { args: z.object({ jobId: z.string().max(64) }).strict(), result: submissionJobSchema },
  'submission/deidSummary': { args: z.object({ entryId: id }).strict(), result: deidSummarySchema },
  'submission/edits/get': { args: z.object({ entryId: id }).strict(), result: mediaEditsSchema },
  'submission/edits/set': {
    args: z.object({ entryId: id, crop: cropSchema.nullable(), trim: trimSchema.nullable(), masks: z.array(maskSchema).max(50) }).strict(),
    result: mediaEditsSchema
  },
  'submission/cropJson/import': {
    args: z.object({ path, sourceId: id.optional() }).strict(),
    result: z.object({
      applied: z.array(z.object({ key: z.string(), entryId: id, checked: z.boolean() })),
      unmatched: z.array(z.string()),
      rejected: z.array(z.object({ key: z.string(), error: z.string() }))
    })
  },
  'submission/cropJson/export': {
    args: z.object({ sourceId: id.optional() }).strict(),
    result: z.object({ json: z.string(), entries: z.number().int(), skipped: z.array(z.object({ filename: z.string(), reason: z.string() })) })
  },
  'submission/rebuild/butterfly': { args: z.object({ zipPath: path, sourceId: id.optional() }).strict(), result: jobStarted },
  'submission/rebuild/webVideos': { args: z.object({ folder: path, cropJsonPath: path.optional(), sourceId: id.optional() }).strict(), result: jobStarted },
  'submission/bundle/validate': { args: selection.strict(), result: bundleValidationSchema },
  'submission/bundle/export': { args: selection.extend({ outPath: path }).strict(), result: jobStarted },
  'pacs/config/get': { args: z.object({}).strict(), result: pacsConfigSchema },
  'pacs/config/set': {
    args: z
      .object({
        url: z.string().url().max(2000),
        username: z.string().max(200).nullable().optional(),
        /** Omit to keep the stored one; null to forget it. */
        password: z.string().max(1000).nullable().optional()
      })
      .strict(),
    result: pacsConfigSchema
  },
  'pacs/search': {
    args: z
      .object({
        patientId: z.string().max(64).optional(),
        patientName: z.string().max(64).optional(),
        /** YYYYMMDD, inclusive. */
        dateFrom: z.string().regex(/^\d{8}$/).optional(),
        dateTo: z.string().regex(/^\d{8}$/).optional(),
        modality: z.string().max(16).optional(),
        limit: z.number().int().positive().max(1000).optional()
      })
      .strict(),
    result: z.object({ studies: z.array(pacsStudySchema) })
  },
  'pacs/series': { args: z.object({ studyUid: z.string().max(64) }).strict(), result: z.object({ series: z.array(pacsSeriesSchema) }) },
  'pacs/pull': {
    args: z.object({ studyUid: z.string().max(64), seriesUid: z.string().max(64).optional(), ...importMetadata }).strict(),
    result: jobStarted
  }
} as const satisfies Record<SubmissionOperationName, { args: z.ZodType; result: z.ZodType }>

export type SubmissionContract = typeof submissionContract
