/**
 * What a new review set is made of: the catalog view's current filter (or the
 * "label uncertain" clips) as the set's query, and how many clips that would
 * hold, counted in memory the way main resolves a set's query.
 */
import type { CatalogQuery } from '../../../../shared/catalogQuery'
import type { EntrySummary } from '../../../../shared/contract'

/** "Label uncertain": the clips whose location names them so (the 45 linear Piacenza clips). */
export const LABEL_UNCERTAIN_SEARCH = 'label_uncertain'

export type SetSource = 'filter' | 'uncertain'

/** What a new set would hold before it is created. */
export interface SetPreview {
  clips: number
  /** Of those, clips whose media status is not `linked`. */
  withoutMedia: number
}

/** The catalog view's current filter, as a set query. */
export function setQuery(q: CatalogQuery, source: SetSource) {
  const base = {
    labels: [...q.labels],
    probes: [...q.probes],
    types: [...q.types],
    mediaStatuses: [...q.mediaStatuses],
    licenses: [...q.licenses],
    search: q.search,
    sortKey: q.sortKey,
    sortDescending: q.sortDescending
  }
  if (source === 'filter') return base
  return { labels: [], probes: [], types: [], mediaStatuses: [], licenses: [], search: LABEL_UNCERTAIN_SEARCH, sortKey: 'row' as const, sortDescending: false }
}

/**
 * How many clips a set from `source` would hold, and how many of them have no
 * media on this machine. Counted over the catalog in memory the way main
 * resolves a set's query (createSet in src/main/ratings/ratingsService.ts):
 * the catalog's own filters and search only; the view's model-prediction
 * filters are not part of a set, so they are not applied here either.
 */
export function previewSet(
  catalog: { query: CatalogQuery; entries: readonly EntrySummary[]; facetCounts: (field: 'mediaStatuses') => Map<string, number> },
  source: SetSource
): SetPreview {
  const byStatus = new Map<string, number>()
  if (source === 'filter') {
    // The current query with its media-status filter lifted, by status: one pass over the catalog's own index.
    const wanted = catalog.query.mediaStatuses.map((m) => m.toLowerCase())
    for (const [status, n] of catalog.facetCounts('mediaStatuses'))
      if (wanted.length === 0 || wanted.includes(status.toLowerCase())) byStatus.set(status, n)
  } else {
    // A single search term with no spaces matches exactly the entries whose (lower-cased) search text contains it.
    for (const e of catalog.entries)
      if (e.searchText.includes(LABEL_UNCERTAIN_SEARCH)) byStatus.set(e.mediaStatus, (byStatus.get(e.mediaStatus) ?? 0) + 1)
  }
  let clips = 0
  let withoutMedia = 0
  for (const [status, n] of byStatus) {
    clips += n
    if (status !== 'linked') withoutMedia += n
  }
  return { clips, withoutMedia }
}
