/**
 * What the catalog shows, kept across reloads per catalog: search, facet
 * filters, sort, the prediction filters and the selected entry, so "5 / 13"
 * stays "5 / 13" after a reload. Read back through a schema: a value written
 * by an older build, or edited by hand, is dropped rather than trusted.
 * Also the catalog's default order: clips that can be reviewed first.
 */
import { z } from 'zod'
import { SORT_KEYS, type CatalogQuery } from '../../../../shared/catalogQuery'
import { MODEL_CLASSES } from '../../../../shared/classifierPreprocess'
import type { PredictionFilterState } from '../../app/extensions'

const strings = z.array(z.string().max(500)).max(1000)

const viewStateSchema = z.object({
  query: z.object({
    labels: strings,
    probes: strings,
    types: strings,
    mediaStatuses: strings,
    licenses: strings,
    search: z.string().max(10_000),
    sortKey: z.enum(SORT_KEYS as [CatalogQuery['sortKey'], ...CatalogQuery['sortKey'][]]),
    sortDescending: z.boolean()
  }),
  predictions: z.object({
    predicted: z.enum([...MODEL_CLASSES, 'any', 'none']),
    maxConfidence: z.number().min(0).max(1),
    disagreement: z.enum(['any', 'disagrees', 'agrees']),
    sort: z.enum(['none', 'entropy-desc', 'entropy-asc'])
  }) satisfies z.ZodType<PredictionFilterState>,
  selectedId: z.number().int().positive().nullable()
})
export type ViewState = z.infer<typeof viewStateSchema>

const KEY_PREFIX = 'lus-review.catalogView:'

/** One key per catalog file: two catalogs never share their filters. */
export const viewStateKey = (catalogPath: string): string => `${KEY_PREFIX}${catalogPath}`

export function parseViewState(text: string | null): ViewState | null {
  if (text === null) return null
  try {
    const parsed = viewStateSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export function readViewState(storage: Pick<Storage, 'getItem'>, catalogPath: string): ViewState | null {
  try {
    return parseViewState(storage.getItem(viewStateKey(catalogPath)))
  } catch {
    return null
  }
}

export function writeViewState(storage: Pick<Storage, 'setItem'>, catalogPath: string, state: ViewState): void {
  try {
    storage.setItem(viewStateKey(catalogPath), JSON.stringify(state))
  } catch {
    // Storage full or disabled: the view then lasts for the session.
  }
}

/**
 * The default order (no column chosen): entries whose media is linked first,
 * CSV order kept within each part, so the catalog opens on clips that can be
 * reviewed rather than on rows waiting for a rebuild.
 */
export function reviewableFirst<T extends { mediaStatus: string }>(rows: readonly T[]): T[] {
  const linked: T[] = []
  const rest: T[] = []
  for (const r of rows) (r.mediaStatus === 'linked' ? linked : rest).push(r)
  return linked.concat(rest)
}
