/**
 * The API contract: one map of named operations with zod schemas for their
 * arguments and results. Both transports (Electron IPC and serve mode's HTTP)
 * dispatch through this map, and main validates every payload against it.
 */
import { z } from 'zod'
import type { OperationName } from './operations'
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
  byMediaStatus: z.record(z.string(), z.number().int())
})
export type CatalogStats = z.infer<typeof statsSchema>

export const appInfoSchema = z.object({
  version: z.string(),
  transport: z.enum(['ipc', 'http']),
  catalogPath: z.string(),
  schemaVersion: z.number().int(),
  sources: z.array(z.object({ id, root: z.string(), entries: z.number().int() }))
})
export type AppInfo = z.infer<typeof appInfoSchema>

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
    result: z.object({ rows: z.number().int(), bytes: z.number().int(), csv: z.string().nullable() })
  },
  'jobs/get': { args: z.object({ jobId: z.string().max(64) }).strict(), result: jobSchema }
} as const satisfies Record<OperationName, { args: z.ZodType; result: z.ZodType }>

export type Contract = typeof contract
export type OpArgs<K extends OperationName> = z.input<Contract[K]['args']>
export type OpResult<K extends OperationName> = z.output<Contract[K]['result']>

/** What the renderer calls: one async function per operation, on either transport. */
export type LusApi = { [K in OperationName]: (args: OpArgs<K>) => Promise<Result<OpResult<K>>> }
