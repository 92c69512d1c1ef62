/**
 * The API contract: one map of named operations with zod schemas for their
 * arguments and results. Both transports (Electron IPC and serve mode's HTTP)
 * dispatch through this map, and main validates every payload against it.
 */
import { z } from 'zod'
import type { OperationName } from './operations'
import { classifierContract } from './classifierContract'
import { playbackSchema, type Playback } from './playbackContract'
import { filesContract } from './filesContract'
import { ratingsContract } from './ratingsContract'
import { readerContract } from './readerContract'
import { submissionContract } from './submissionContract'
import type { Result } from './result'
import { CSV_COLUMNS, LABELS, MEDIA_STATUSES, PATHOLOGY_STATES, SYMPTOM_STATES } from './vocabulary'

const id = z.number().int().positive()
const csvColumn = z.enum(CSV_COLUMNS)

export const entrySummarySchema = z.object({
  id,
  sourceId: id,
  /** 1-based position among the CSV's records; null for entries added in the app. */
  row: z.number().int().positive().nullable(),
  filename: z.string(),
  label: z.enum(LABELS),
  labelRaw: z.string(),
  probe: z.string(),
  type: z.string(),
  license: z.string(),
  source: z.string(),
  location: z.string(),
  title: z.string(),
  mediaStatus: z.enum(MEDIA_STATUSES),
  mediaId: id.nullable(),
  /** A row whose clip the dataset does not redistribute: where it can be rebuilt from (shared/rebuildSource.ts); null otherwise. */
  rebuildFrom: z.enum(['butterfly', 'web']).nullable(),
  warningCount: z.number().int().nonnegative(),
  /** Lower-cased text that free-text search matches against. */
  searchText: z.string()
})
export type EntrySummary = z.infer<typeof entrySummarySchema>

export const mediaInfoSchema = z.object({
  id,
  relPath: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  kind: z.enum(['video', 'image']),
  frames: z.number().int().nonnegative().nullable(),
  fps: z.number().nonnegative().nullable(),
  width: z.number().int().nonnegative().nullable(),
  height: z.number().int().nonnegative().nullable(),
  durationS: z.number().nonnegative().nullable(),
  codec: z.string().nullable(),
  error: z.string().nullable()
})
export type MediaInfo = z.infer<typeof mediaInfoSchema>

export const normalizedFieldsSchema = z.object({
  label: z.enum(LABELS),
  type: z.enum(['video', 'image']).nullable(),
  probe: z.enum(['convex', 'linear']).nullable(),
  dateAdded: z.string().nullable(),
  framerate: z.number().nullable(),
  lengthFrames: z.number().int().nullable(),
  age: z.number().nullable(),
  gender: z.enum(['male', 'female']).nullable(),
  pathologies: z.record(z.string(), z.enum(PATHOLOGY_STATES)),
  symptoms: z.record(z.string(), z.enum(SYMPTOM_STATES))
})
export type NormalizedFields = z.infer<typeof normalizedFieldsSchema>

export const entryDetailSchema = z.object({
  summary: entrySummarySchema,
  /** The CSV cells as stored, one per column of CSV_COLUMNS, verbatim. */
  cells: z.array(z.string()),
  normalized: normalizedFieldsSchema,
  warnings: z.array(z.string()),
  media: mediaInfoSchema.nullable(),
  /** True when the entry differs from the record last imported from the CSV. */
  edited: z.boolean()
})
export type EntryDetail = z.infer<typeof entryDetailSchema>

export const importReportSchema = z.object({
  sourceId: id,
  folder: z.string(),
  rows: z.number().int(),
  entriesAdded: z.number().int(),
  entriesKept: z.number().int(),
  orphansAdded: z.number().int(),
  mediaFiles: z.number().int(),
  linked: z.number().int(),
  rowsWithoutMedia: z.number().int(),
  unreadable: z.array(z.object({ file: z.string(), error: z.string() })),
  orphans: z.array(z.string()),
  duplicateStems: z.array(z.object({ stem: z.string(), files: z.array(z.string()) })),
  duplicateFilenames: z.array(z.object({ filename: z.string(), lines: z.array(z.number().int()) })),
  warnings: z.array(z.object({ line: z.number().int(), column: z.string(), message: z.string() })),
  durationMs: z.number()
})
export type ImportReport = z.infer<typeof importReportSchema>

export const jobSchema = z.object({
  id: z.string(),
  kind: z.enum(['import']),
  state: z.enum(['running', 'done', 'failed']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  message: z.string(),
  report: importReportSchema.nullable(),
  error: z.string().nullable()
})
export type Job = z.infer<typeof jobSchema>

export const statsSchema = z.object({
  total: z.number().int(),
  withMedia: z.number().int(),
  byLabelProbeType: z.array(
    z.object({ label: z.enum(LABELS), probe: z.string(), type: z.string(), count: z.number().int() })
  ),
  byMediaStatus: z.record(z.string(), z.number().int()),
  pathologiesByLabel: z.array(
    z.object({ label: z.enum(LABELS), pathology: z.string(), present: z.number().int(), absent: z.number().int(), notAssessed: z.number().int() })
  ),
  symptomsByLabel: z.array(
    z.object({ label: z.enum(LABELS), symptom: z.string(), yes: z.number().int(), no: z.number().int(), notAvailable: z.number().int() })
  ),
  byLicense: z.array(z.object({ license: z.string(), count: z.number().int() }))
})
export type CatalogStats = z.infer<typeof statsSchema>

export const changeSchema = z.object({
  id,
  actionId: id,
  entryId: id,
  at: z.string(),
  user: z.string(),
  /** A CSV column, or `key frame <n>` with the 0-based frame index (see csvConventions). */
  field: z.string(),
  /** The field as people read it: the column, or "Key frame 5" numbered as the player shows it (1-based). */
  fieldText: z.string(),
  /** null: the cell or key frame did not exist. */
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  kind: z.enum(['edit', 'undo', 'redo'])
})
export type Change = z.infer<typeof changeSchema>

/** One edit on the undo/redo stack: what it changed, and the one clip it changed. */
export const historyTargetSchema = z.object({
  actionId: id,
  entryId: id,
  /** The clip's file name, as the catalog lists it. */
  filename: z.string(),
  /** What the edit changed, in reviewers' words: "Label (COVID-19 → Healthy)", "Key frame 5 (removed)". */
  change: z.string()
})
export type HistoryTarget = z.infer<typeof historyTargetSchema>

export const historyStatusSchema = z.object({
  /** undo !== null, and redo !== null: for callers that only ask whether there is anything. */
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  /** The edit an undo would take back; null: nothing to undo. */
  undo: historyTargetSchema.nullable(),
  /** The edit a redo would put back; null: nothing to redo. */
  redo: historyTargetSchema.nullable()
})
export type HistoryStatus = z.infer<typeof historyStatusSchema>

/**
 * The edit the page showed as the next to undo (or redo): main refuses the
 * step when the stack's top is another one, so a stale page cannot change a
 * clip its user is not looking at.
 */
export const historyExpectationSchema = z.object({ entryId: id, actionId: id }).strict()
export type HistoryExpectation = z.infer<typeof historyExpectationSchema>

export const historyStepSchema = z.object({
  /** The edit undone or redone; null when there was nothing to do. */
  target: historyTargetSchema.nullable(),
  /** What happened, as a sentence: "Undid Label (COVID-19 → Healthy) of Cov-Atlas-pleural2". */
  description: z.string(),
  status: historyStatusSchema
})
export type HistoryStep = z.infer<typeof historyStepSchema>

export const keyFrameSchema = z.object({
  frame: z.number().int().nonnegative(),
  note: z.string(),
  user: z.string(),
  at: z.string()
})
export type KeyFrame = z.infer<typeof keyFrameSchema>

export { playbackSchema, type Playback }

export const proxyQueueSchema = z.object({
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  running: z.number().int(),
  pending: z.number().int()
})
export type ProxyQueue = z.infer<typeof proxyQueueSchema>

export const appInfoSchema = z.object({
  version: z.string(),
  transport: z.enum(['ipc', 'http']),
  catalogPath: z.string(),
  schemaVersion: z.number().int(),
  sources: z.array(z.object({ id, root: z.string(), entries: z.number().int() }))
})
export type AppInfo = z.infer<typeof appInfoSchema>

/** A catalog backup, named by its file name only: restore takes the name back and main resolves it in the backup folder. */
export const backupSummarySchema = z.object({
  name: z.string(),
  createdAt: z.string(),
  /** Why it was made: manual, scheduled, before-restore, before-migration-from-v<n>. */
  reason: z.string(),
  sizeBytes: z.number().int().nonnegative()
})
export type BackupSummary = z.infer<typeof backupSummarySchema>

const empty = z.object({}).strict()

export const contract = {
  'app/info': { args: empty, result: appInfoSchema },
  'catalog/list': { args: empty, result: z.object({ entries: z.array(entrySummarySchema) }) },
  'catalog/get': { args: z.object({ id }).strict(), result: entryDetailSchema },
  'catalog/update': {
    args: z
      .object({
        id,
        /** New cell text by CSV column; only these cells change. */
        cells: z.partialRecord(csvColumn, z.string().max(100_000))
      })
      .strict(),
    result: entryDetailSchema
  },
  'catalog/stats': { args: empty, result: statsSchema },
  'dataset/import': {
    args: z
      .object({
        folder: z.string().min(1).max(4096),
        /** Also add media files that no CSV row names as new entries. */
        includeOrphans: z.boolean().optional()
      })
      .strict(),
    result: z.object({ jobId: z.string() })
  },
  'dataset/exportCsv': {
    args: z
      .object({
        sourceId: id.optional(),
        /** Absolute path of a .csv file to write; without it the text is returned. */
        outPath: z.string().min(1).max(4096).optional()
      })
      .strict(),
    result: z.object({
      rows: z.number().int(),
      bytes: z.number().int(),
      csv: z.string().nullable(),
      /** Cells that would run as spreadsheet formulas, written with a leading quote. */
      neutralizedCells: z.number().int()
    })
  },
  'jobs/get': { args: z.object({ jobId: z.string().max(64) }).strict(), result: jobSchema },
  'settings/get': { args: empty, result: z.object({ userName: z.string().nullable() }) },
  'settings/setUserName': {
    args: z.object({ name: z.string().trim().min(1).max(80) }).strict(),
    result: z.object({ userName: z.string() })
  },
  'history/list': { args: z.object({ entryId: id }).strict(), result: z.object({ changes: z.array(changeSchema) }) },
  'history/status': { args: empty, result: historyStatusSchema },
  'history/undo': { args: historyExpectationSchema, result: historyStepSchema },
  'history/redo': { args: historyExpectationSchema, result: historyStepSchema },
  'keyframes/list': { args: z.object({ entryId: id }).strict(), result: z.object({ keyFrames: z.array(keyFrameSchema) }) },
  'keyframes/set': {
    args: z.object({ entryId: id, frame: z.number().int().nonnegative().max(10_000_000), note: z.string().max(500) }).strict(),
    result: z.object({ keyFrames: z.array(keyFrameSchema) })
  },
  'keyframes/remove': {
    args: z.object({ entryId: id, frame: z.number().int().nonnegative() }).strict(),
    result: z.object({ keyFrames: z.array(keyFrameSchema) })
  },
  'media/playback': { args: z.object({ mediaId: id }).strict(), result: playbackSchema },
  'media/proxyQueue': { args: empty, result: proxyQueueSchema },
  'media/relink': {
    args: z
      .object({
        entryId: id,
        /** A file inside the entry's dataset folder (absolute, or relative to the folder). */
        path: z.string().min(1).max(4096)
      })
      .strict(),
    result: entryDetailSchema
  },
  /** Newest first; `folder` is where they live, for display only. */
  'backup/list': { args: empty, result: z.object({ folder: z.string(), backups: z.array(backupSummarySchema) }) },
  /** An online backup of the open catalog now (reason `manual`). */
  'backup/create': { args: empty, result: backupSummarySchema },
  /**
   * Replaces the catalog with the backup of that file name (one `backup/list`
   * returned). The catalog it replaces is first saved as a backup itself.
   */
  'backup/restore': {
    args: z.object({ name: z.string().min(1).max(255) }).strict(),
    result: z.object({ restored: z.string(), safetyCopy: z.string().nullable() })
  },
  ...ratingsContract,
  ...readerContract,
  ...submissionContract,
  ...classifierContract,
  ...filesContract
} as const satisfies Record<OperationName, { args: z.ZodType; result: z.ZodType }>

export type Contract = typeof contract
export type OpArgs<K extends OperationName> = z.input<Contract[K]['args']>
export type OpResult<K extends OperationName> = z.output<Contract[K]['result']>

/** What the renderer calls: one async function per operation, on either transport. */
export type LusApi = { [K in OperationName]: (args: OpArgs<K>) => Promise<Result<OpResult<K>>> }
