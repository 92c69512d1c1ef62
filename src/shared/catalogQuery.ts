/**
 * Filtering, free-text search and sorting of catalog summaries. Pure and
 * shared: the renderer runs it on every keystroke and the bench measures it.
 *
 * At 100k entries a naive filter + collator sort takes hundreds of
 * milliseconds, so `CatalogIndex` does the expensive work once per list:
 * lower-cased filter keys, one pre-sorted order per sort key, and all
 * search texts in one string that `indexOf` scans in a single pass.
 */
import type { EntrySummary } from './contract'

export type SortKey = 'row' | 'filename' | 'label' | 'probe' | 'type' | 'license' | 'source' | 'mediaStatus'
export const SORT_KEYS: readonly SortKey[] = ['row', 'filename', 'label', 'probe', 'type', 'license', 'source', 'mediaStatus']

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

/** Filter fields, compared case-insensitively (the CSV spells `Image` and `image`). */
const FILTER_FIELDS = ['label', 'probe', 'type', 'mediaStatus', 'license'] as const
type FilterField = (typeof FILTER_FIELDS)[number]
const QUERY_FIELD: Record<FilterField, keyof CatalogQuery> = {
  label: 'labels',
  probe: 'probes',
  type: 'types',
  mediaStatus: 'mediaStatuses',
  license: 'licenses'
}

const SEPARATOR = '\u0000'

export class CatalogIndex {
  /** Per filter field: each entry's value as a small integer code. */
  private readonly codes = new Map<FilterField, { ids: Map<string, number>; values: Uint32Array }>()
  private readonly orders = new Map<SortKey, Uint32Array>()
  private readonly haystack: string
  private readonly starts: Uint32Array

  constructor(readonly entries: readonly EntrySummary[]) {
    const n = entries.length
    for (const field of FILTER_FIELDS) {
      const ids = new Map<string, number>()
      const values = new Uint32Array(n)
      entries.forEach((e, i) => {
        const key = e[field].toLowerCase()
        let id = ids.get(key)
        if (id === undefined) ids.set(key, (id = ids.size))
        values[i] = id
      })
      this.codes.set(field, { ids, values })
    }
    this.starts = new Uint32Array(n + 1)
    const parts: string[] = []
    let offset = 0
    entries.forEach((e, i) => {
      this.starts[i] = offset
      parts.push(e.searchText)
      offset += e.searchText.length + 1
    })
    this.starts[n] = offset
    this.haystack = parts.join(SEPARATOR)
  }

  /** Built on first use: most sessions sort by one or two columns. */
  private order(key: SortKey): Uint32Array {
    let order = this.orders.get(key)
    if (!order) {
      const idx = Array.from(this.entries.keys())
      const e = this.entries
      if (key === 'row') idx.sort((a, b) => (e[a]!.row ?? Infinity) - (e[b]!.row ?? Infinity) || e[a]!.id - e[b]!.id)
      else {
        // Collate distinct values once, then sort by their ranks.
        const distinct = [...new Set(e.map((x) => x[key]))].sort(collator.compare)
        // Values the collator finds equal ("Convex", "convex") share a rank, so ties fall to the id.
        const rank = new Map<string, number>()
        distinct.forEach((v, i) => {
          const prev = distinct[i - 1]
          rank.set(v, prev !== undefined && collator.compare(prev, v) === 0 ? rank.get(prev)! : i)
        })
        const r = e.map((x) => rank.get(x[key])!)
        idx.sort((a, b) => r[a]! - r[b]! || e[a]!.id - e[b]!.id)
      }
      order = Uint32Array.from(idx)
      this.orders.set(key, order)
    }
    return order
  }

  /** Entry index containing haystack position `pos`. */
  private entryAt(pos: number): number {
    let lo = 0
    let hi = this.entries.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.starts[mid]! <= pos) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  private searchMask(term: string, into: Uint8Array, pass: number): void {
    const starts = this.starts
    let pos = this.haystack.indexOf(term)
    if (pos === -1) return
    let i = this.entryAt(pos)
    while (pos !== -1) {
      // Hits come in increasing order: walk forward instead of searching from the top.
      while (starts[i + 1]! <= pos) i++
      if (into[i] === pass - 1) into[i] = pass
      pos = this.haystack.indexOf(term, starts[i + 1]!)
    }
  }

  query(q: CatalogQuery): EntrySummary[] {
    const n = this.entries.length
    const terms = q.search.toLowerCase().split(/\s+/).filter(Boolean)
    // mask[i] counts the search terms entry i matched; it matches all when it equals terms.length.
    const mask = new Uint8Array(n)
    terms.slice(0, 250).forEach((t, k) => this.searchMask(t, mask, k + 1))
    const needed = Math.min(terms.length, 250)

    const wanted: { values: Uint32Array; allowed: Uint8Array }[] = []
    for (const field of FILTER_FIELDS) {
      const selected = q[QUERY_FIELD[field]] as readonly string[]
      if (selected.length === 0) continue
      const { ids, values } = this.codes.get(field)!
      const allowed = new Uint8Array(ids.size)
      for (const s of selected) {
        const id = ids.get(s.toLowerCase())
        if (id !== undefined) allowed[id] = 1
      }
      wanted.push({ values, allowed })
    }

    const order = this.order(q.sortKey)
    const out: EntrySummary[] = []
    for (let k = 0; k < n; k++) {
      const i = order[q.sortDescending ? n - 1 - k : k]!
      if (mask[i] !== needed) continue
      let ok = true
      for (const w of wanted) {
        if (w.allowed[w.values[i]!] !== 1) {
          ok = false
          break
        }
      }
      if (ok) out.push(this.entries[i]!)
    }
    return out
  }
}

/** One-off query; keep a CatalogIndex instead when querying the same list repeatedly. */
export function runQuery(entries: readonly EntrySummary[], q: CatalogQuery): EntrySummary[] {
  return new CatalogIndex(entries).query(q)
}

/** Distinct values of a field, for filter menus, with case folded as the filters fold it. */
export function distinctValues(entries: readonly EntrySummary[], field: 'probe' | 'type' | 'license'): string[] {
  const seen = new Set<string>()
  for (const e of entries) seen.add(e[field].toLowerCase())
  return [...seen].sort(collator.compare)
}
