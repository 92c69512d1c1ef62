/**
 * Filtering, free-text search and sorting of catalog summaries. Pure and
 * shared: the renderer runs it on every keystroke and the bench measures it.
 */
import type { EntrySummary } from './contract'

export type SortKey = 'row' | 'filename' | 'label' | 'probe' | 'type' | 'license' | 'source' | 'mediaStatus'

export interface CatalogQuery {
  labels: readonly string[]
  probes: readonly string[]
  types: readonly string[]
  mediaStatuses: readonly string[]
  licenses: readonly string[]
  search: string
  sortKey: SortKey
  sortDescending: boolean
}

export const emptyQuery = (): CatalogQuery => ({
  labels: [],
  probes: [],
  types: [],
  mediaStatuses: [],
  licenses: [],
  search: '',
  sortKey: 'row',
  sortDescending: false
})

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

function compare(a: EntrySummary, b: EntrySummary, key: SortKey): number {
  if (key === 'row') return (a.row ?? Number.MAX_SAFE_INTEGER) - (b.row ?? Number.MAX_SAFE_INTEGER) || a.id - b.id
  return collator.compare(a[key], b[key]) || a.id - b.id
}

/** Case as written in the CSV is kept for display; filters compare lower-cased. */
const matchesAny = (value: string, wanted: readonly string[]): boolean =>
  wanted.length === 0 || wanted.includes(value.toLowerCase())

export function runQuery(entries: readonly EntrySummary[], q: CatalogQuery): EntrySummary[] {
  const terms = q.search.toLowerCase().split(/\s+/).filter(Boolean)
  const labels = q.labels
  const probes = q.probes.map((p) => p.toLowerCase())
  const types = q.types.map((t) => t.toLowerCase())
  const licenses = q.licenses.map((l) => l.toLowerCase())
  const out = entries.filter(
    (e) =>
      (labels.length === 0 || labels.includes(e.label)) &&
      matchesAny(e.probe, probes) &&
      matchesAny(e.type, types) &&
      (q.mediaStatuses.length === 0 || q.mediaStatuses.includes(e.mediaStatus)) &&
      matchesAny(e.license, licenses) &&
      terms.every((t) => e.searchText.includes(t))
  )
  // Row order is the natural order of the list, so a default query skips the sort.
  if (q.sortKey !== 'row' || q.sortDescending) {
    out.sort((a, b) => compare(a, b, q.sortKey))
    if (q.sortDescending) out.reverse()
  }
  return out
}

/** Distinct values of a field, for filter menus, with case folded as the filters fold it. */
export function distinctValues(entries: readonly EntrySummary[], field: 'probe' | 'type' | 'license'): string[] {
  const seen = new Map<string, string>()
  for (const e of entries) {
    const key = e[field].toLowerCase()
    if (!seen.has(key)) seen.set(key, e[field])
  }
  return [...seen.keys()].sort(collator.compare)
}
