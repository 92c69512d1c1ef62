import { describe, expect, it } from 'vitest'
import { CatalogIndex, SORT_KEYS, distinctValues, emptyQuery, type CatalogQuery } from '../../../src/shared/catalogQuery'
import type { EntrySummary } from '../../../src/shared/contract'
import { LABELS, MEDIA_STATUSES } from '../../../src/shared/vocabulary'

/** A deterministic pseudo-random generator, so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

const WORDS = ['covid', 'b-lines', 'pleural', 'effusion', 'northumbria', 'atlas', 'consolidation', 'a-lines', 'butterfly', 'liftl']

function makeEntries(n: number, seed: number): EntrySummary[] {
  const r = rng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
  return Array.from({ length: n }, (_, i) => {
    const filename = `${pick(['Cov', 'Pneu', 'Reg', 'Vir'])}_${pick(WORDS)}_${Math.floor(r() * 1000)}`
    // Fields are joined with U+0001 as entryColumns.ts does; some fields hold several words.
    const text = [filename, `${pick(WORDS)} ${pick(WORDS)}`, pick(WORDS)].join('\u0001')
    return {
      id: i + 1,
      sourceId: 1,
      row: r() < 0.9 ? i + 1 : null,
      filename,
      label: pick(LABELS),
      labelRaw: 'x',
      probe: pick(['convex', 'linear', 'Convex']),
      type: pick(['video', 'image', 'Image']),
      license: pick(['None', 'CC BY 4.0', 'CC BY-NC 4.0']),
      source: String(Math.floor(r() * 50)),
      location: 'pocus_videos/convex',
      title: '',
      mediaStatus: pick(MEDIA_STATUSES),
      mediaId: null,
      rebuildFrom: null,
      warningCount: 0,
      searchText: text.toLowerCase()
    }
  })
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

/** The obvious, slow implementation the index must agree with. */
function reference(entries: EntrySummary[], q: CatalogQuery): number[] {
  const terms = q.search.toLowerCase().split(/\s+/).filter(Boolean)
  const inSet = (v: string, set: readonly string[]): boolean => set.length === 0 || set.map((s) => s.toLowerCase()).includes(v.toLowerCase())
  const out = entries.filter(
    (e) =>
      inSet(e.label, q.labels) &&
      inSet(e.probe, q.probes) &&
      inSet(e.type, q.types) &&
      inSet(e.mediaStatus, q.mediaStatuses) &&
      inSet(e.license, q.licenses) &&
      terms.every((t) => e.searchText.includes(t))
  )
  out.sort((a, b) =>
    q.sortKey === 'row'
      ? (a.row ?? Infinity) - (b.row ?? Infinity) || a.id - b.id
      : collator.compare(a[q.sortKey], b[q.sortKey]) || a.id - b.id
  )
  if (q.sortDescending) out.reverse()
  return out.map((e) => e.id)
}

describe('CatalogIndex', () => {
  const entries = makeEntries(2000, 7)
  const index = new CatalogIndex(entries)

  it('agrees with a naive filter/search/sort on 300 random queries', () => {
    const r = rng(42)
    const some = <T>(xs: readonly T[]): T[] => xs.filter(() => r() < 0.3)
    for (let i = 0; i < 300; i++) {
      const q: CatalogQuery = {
        labels: some(LABELS),
        probes: some(['convex', 'LINEAR']),
        types: some(['video', 'image']),
        mediaStatuses: some(MEDIA_STATUSES),
        licenses: some(['none', 'CC BY 4.0']),
        search: some(WORDS).slice(0, 2).join(' ') + (r() < 0.2 ? ' 1' : ''),
        sortKey: SORT_KEYS[Math.floor(r() * SORT_KEYS.length)]!,
        sortDescending: r() < 0.5
      }
      expect(index.query(q).map((e) => e.id)).toEqual(reference(entries, q))
    }
  })

  it('agrees with a naive substring search for 500 random fragments of the entries’ texts', () => {
    const r = rng(9)
    for (let i = 0; i < 500; i++) {
      const text = entries[Math.floor(r() * entries.length)]!.searchText
      const from = Math.floor(r() * text.length)
      // Fragments may span a space or a field separator: those must match exactly what includes() matches.
      const term = text.slice(from, from + 1 + Math.floor(r() * 8))
      const q: CatalogQuery = { ...emptyQuery(), search: term.replace(/\s/g, '') === term ? term : term.split(/\s+/).join(' ') }
      expect(index.query(q).map((e) => e.id)).toEqual(reference(entries, q))
    }
  })

  it('never matches a term across two fields of one entry', () => {
    const one = makeEntries(1, 3)
    one[0]!.searchText = 'covid\u0001pneumonia'
    const idx = new CatalogIndex(one)
    expect(idx.query({ ...emptyQuery(), search: 'idpn' })).toEqual([])
    expect(idx.query({ ...emptyQuery(), search: 'id\u0001pn' }).length).toBe(1)
    expect(idx.query({ ...emptyQuery(), search: 'pneu cov' }).length).toBe(1)
  })

  it('answers the same after edits when it reuses the index it replaces', () => {
    let current = entries
    let idx = index
    const r = rng(5)
    for (let round = 0; round < 20; round++) {
      const next = current.slice()
      const k = Math.floor(r() * next.length)
      next[k] = { ...next[k]!, searchText: `${next[k]!.searchText}\u0001edited${round} pleural`, label: LABELS[round % LABELS.length]! }
      if (round % 5 === 4) next.splice(Math.floor(r() * next.length), 1)
      idx = new CatalogIndex(next, idx)
      current = next
      for (const search of [`edited${round}`, 'edited', 'pleural', 'vid pleu', 'zzz']) {
        const q = { ...emptyQuery(), search, sortKey: 'label' as const }
        expect(idx.query(q).map((e) => e.id)).toEqual(reference(current, q))
      }
    }
    // The original index still answers for its own entries.
    expect(index.query({ ...emptyQuery(), search: 'edited' })).toEqual([])
  })

  it('returns everything in row order for the empty query, and nothing for an unmatched term', () => {
    expect(index.query(emptyQuery()).map((e) => e.id)).toEqual(reference(entries, emptyQuery()))
    expect(index.query({ ...emptyQuery(), search: 'no-such-word' })).toEqual([])
  })

  it('does not match a term across two entries’ texts', () => {
    const two = makeEntries(2, 1)
    two[0]!.searchText = 'abc'
    two[1]!.searchText = 'def'
    expect(new CatalogIndex(two).query({ ...emptyQuery(), search: 'cd' })).toEqual([])
    expect(new CatalogIndex(two).query({ ...emptyQuery(), search: 'de' }).map((e) => e.searchText)).toEqual(['def'])
  })

  it('works on an empty catalog', () => {
    expect(new CatalogIndex([]).query({ ...emptyQuery(), search: 'x', sortKey: 'filename' })).toEqual([])
  })

  it('lists distinct values case-folded', () => {
    expect(distinctValues(entries, 'type')).toEqual(['image', 'video'])
  })
})
