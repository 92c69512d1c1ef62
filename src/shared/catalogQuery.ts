/**
 * Filtering, free-text search and sorting of catalog summaries. Pure and
 * shared: the renderer runs it on every keystroke and the bench measures it.
 *
 * At 100k entries a naive filter + collator sort takes hundreds of
 * milliseconds, so `CatalogIndex` does the expensive work once per list:
 * lower-cased filter keys, one pre-sorted order per sort key, and a token
 * index for search (see `TokenIndex`).
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

/**
 * Search terms are split on whitespace, and search texts join their fields
 * with U+0001, so a match always lies inside one whitespace- and
 * U+0001-free token of an entry. Most tokens repeat across entries (labels,
 * sources, licences, findings), so scanning the distinct tokens once and
 * marking the entries of each hit does far less work than scanning every
 * entry's text: at 100k entries the distinct tokens are a tenth of the text.
 */
const TOKEN_BOUNDARY = /[\s\u0000\u0001]+/
const DICT_SEPARATOR = '\u0000'
/** How entryColumns.ts joins an entry's searched fields. */
const FIELD_SEPARATOR = '\u0001'

interface TokenIndex {
  /** Distinct tokens, joined by DICT_SEPARATOR. */
  dict: string
  /** Token k spans dict[tokenStart[k], tokenStart[k + 1] - 1). */
  tokenStart: Uint32Array
  /** Entries holding token k: postings[postingStart[k], postingStart[k + 1]), ascending. */
  postingStart: Uint32Array
  postings: Uint32Array
}

/**
 * Distinct tokens and each entry's token ids, shared by the successive
 * indexes of one catalog: the renderer builds a new index after every edit,
 * with every unchanged summary the same object, so only the edited entry is
 * tokenized again. Tokens no entry holds any more stay, matching nothing.
 * Entries are cached by identity: a summary must be replaced, never mutated
 * in place (the catalog store replaces them). The vocabulary only grows, by
 * the distinct strings a session sees; a new list of 100k summaries after an
 * import adds their tokens to it rather than starting afresh.
 */
class TokenVocabulary {
  private readonly ids = new Map<string, number>()
  private readonly tokens: string[] = []
  // Most field values repeat (a label, a source, a licence): each distinct value is split once.
  private readonly fieldTokens = new Map<string, readonly number[]>()
  private readonly entryTokens = new WeakMap<EntrySummary, Uint32Array>()
  private seen: number[] = []
  private stamp = 0
  private joined = { count: -1, dict: '', tokenStart: new Uint32Array(1) }

  get size(): number {
    return this.tokens.length
  }

  /** The ids of the tokens in an entry's search text, each once. */
  tokensOf(entry: EntrySummary): Uint32Array {
    let ids = this.entryTokens.get(entry)
    if (ids) return ids
    const stamp = ++this.stamp
    const out: number[] = []
    for (const field of entry.searchText.split(FIELD_SEPARATOR)) {
      for (const id of this.fieldIds(field)) {
        if (this.seen[id] === stamp) continue
        this.seen[id] = stamp
        out.push(id)
      }
    }
    ids = Uint32Array.from(out)
    this.entryTokens.set(entry, ids)
    return ids
  }

  /** All tokens joined by DICT_SEPARATOR; token k spans dict[tokenStart[k], tokenStart[k + 1] - 1). */
  dictionary(): { dict: string; tokenStart: Uint32Array } {
    if (this.joined.count !== this.tokens.length) {
      const tokenStart = new Uint32Array(this.tokens.length + 1)
      let offset = 0
      this.tokens.forEach((t, k) => {
        tokenStart[k] = offset
        offset += t.length + 1
      })
      tokenStart[this.tokens.length] = offset
      this.joined = { count: this.tokens.length, dict: this.tokens.join(DICT_SEPARATOR), tokenStart }
    }
    return this.joined
  }

  private fieldIds(field: string): readonly number[] {
    const cached = this.fieldTokens.get(field)
    if (cached) return cached
    const out: number[] = []
    for (const t of field.split(TOKEN_BOUNDARY)) {
      if (t === '') continue
      let id = this.ids.get(t)
      if (id === undefined) {
        this.ids.set(t, (id = this.tokens.length))
        this.tokens.push(t)
        this.seen.push(0)
      }
      out.push(id)
    }
    this.fieldTokens.set(field, out)
    return out
  }
}

function buildTokenIndex(entries: readonly EntrySummary[], vocabulary: TokenVocabulary): TokenIndex {
  const perEntry = entries.map((e) => vocabulary.tokensOf(e))
  const { dict, tokenStart } = vocabulary.dictionary()
  const postingStart = new Uint32Array(vocabulary.size + 1)
  for (const ids of perEntry) for (const id of ids) postingStart[id + 1]!++
  for (let k = 0; k < vocabulary.size; k++) postingStart[k + 1]! += postingStart[k]!
  const fill = postingStart.slice(0, vocabulary.size)
  const postings = new Uint32Array(postingStart[vocabulary.size]!)
  perEntry.forEach((ids, i) => {
    for (const id of ids) postings[fill[id]!++] = i
  })
  return { dict, tokenStart, postingStart, postings }
}

export class CatalogIndex {
  /** Per filter field: each entry's value as a small integer code. */
  private readonly codes = new Map<FilterField, { ids: Map<string, number>; values: Uint32Array }>()
  private readonly orders = new Map<SortKey, Uint32Array>()
  private tokenIndex: TokenIndex | undefined
  private readonly vocabulary: TokenVocabulary

  /** Pass the index this one replaces (same catalog, a few entries changed) to reuse its tokenization. */
  constructor(
    readonly entries: readonly EntrySummary[],
    previous?: CatalogIndex
  ) {
    this.vocabulary = previous?.vocabulary ?? new TokenVocabulary()
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
  }

  /** Built on first search: filtering and sorting do not need it. */
  private tokens(): TokenIndex {
    return (this.tokenIndex ??= buildTokenIndex(this.entries, this.vocabulary))
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

  /** Marks entries matched by every earlier term (mask === pass - 1) that also contain `term`. */
  private searchMask(term: string, into: Uint8Array, pass: number): void {
    if (/[\u0000\u0001]/.test(term)) {
      // Cannot lie inside a token (only a pasted control character gets here): plain scan.
      this.entries.forEach((e, i) => {
        if (into[i] === pass - 1 && e.searchText.includes(term)) into[i] = pass
      })
      return
    }
    const { dict, tokenStart, postingStart, postings } = this.tokens()
    let pos = dict.indexOf(term)
    if (pos === -1) return
    // Binary search for the first hit's token, then walk forward: hits come in increasing order.
    let lo = 0
    let hi = tokenStart.length - 2
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (tokenStart[mid]! <= pos) lo = mid
      else hi = mid - 1
    }
    let k = lo
    while (pos !== -1) {
      while (tokenStart[k + 1]! <= pos) k++
      for (let p = postingStart[k]!; p < postingStart[k + 1]!; p++) {
        const i = postings[p]!
        if (into[i] === pass - 1) into[i] = pass
      }
      pos = dict.indexOf(term, tokenStart[k + 1]!)
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
