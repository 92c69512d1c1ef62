/** The catalog store filters 100k entries locally and keeps only the latest detail request; these pin what it asks main, what it keeps when main refuses, and the view state it restores. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { emptyQuery } from '../../../../../../src/shared/catalogQuery'
import { deferred, FakeApi } from '../../../helpers/fakeApi'
import { stubWindow } from '../../../helpers/fakeWindow'
import { detail, summary } from '../../../helpers/fixtures'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useCatalogStore } from '../../../../../../src/renderer/src/features/catalog/stores/catalogStore'
import { readViewState, writeViewState } from '../../../../../../src/renderer/src/features/catalog/viewState'

const CATALOG = '/data/catalog.db'
const info = { version: '0.1.0', transport: 'ipc' as const, catalogPath: CATALOG, schemaVersion: 9, sources: [] }

let fake: FakeApi

beforeEach(() => {
  setActivePinia(createPinia())
  stubWindow()
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('app/info', info)
})

const rows = [
  summary(1, { filename: 'b.mp4', label: 'covid', probe: 'Convex', mediaStatus: 'missing', mediaId: null, searchText: 'b.mp4 pleural' }),
  summary(2, { filename: 'a.mp4', label: 'healthy', probe: 'linear', searchText: 'a.mp4' }),
  summary(3, { filename: 'c.mp4', label: 'covid', probe: 'linear', mediaStatus: 'unreadable', searchText: 'c.mp4 pleural' }),
  summary(4, { filename: 'd.mp4', label: 'viral_pneumonia', probe: 'convex', searchText: 'd.mp4' })
]

async function loaded(): Promise<ReturnType<typeof useCatalogStore>> {
  fake.ok('catalog/list', { entries: rows })
  const store = useCatalogStore()
  await store.load()
  return store
}

describe('catalog store: loading', () => {
  it('holds every summary main lists, reviewable clips first, and counts media', async () => {
    const store = await loaded()
    expect(fake.ops().sort()).toEqual(['app/info', 'catalog/list'])
    expect(store.loaded).toBe(true)
    expect(store.loading).toBe(false)
    expect(store.error).toBeNull()
    expect(store.appInfo?.catalogPath).toBe(CATALOG)
    expect(store.visible.map((e) => e.id)).toEqual([2, 4, 1, 3])
    expect(store.counts).toEqual({ total: 4, visible: 4, withMedia: 3, mediaMissing: 1, mediaUnreadable: 1 })
    expect(store.revision).toBe(1)
    expect(store.selectedId).toBeNull()
  })

  it('shows main’s refusal and keeps the list it had', async () => {
    fake.fail('catalog/list', 'locked', 'The catalog is held by lus-review serve.')
    const store = useCatalogStore()
    await store.load()
    expect(store.error).toBe('The catalog is held by lus-review serve.')
    expect(store.loaded).toBe(false)
    expect(store.loading).toBe(false)
    expect(store.entries).toEqual([])
  })

  it('puts back the filters and selection saved for this catalog, and saves them as they change', async () => {
    writeViewState(window.localStorage, CATALOG, {
      query: { ...emptyQuery(), labels: ['covid'], probes: [], types: [], mediaStatuses: [], licenses: [] },
      predictions: { predicted: 'any', maxConfidence: 1, disagreement: 'any', sort: 'none' },
      selectedId: 3
    })
    fake.ok('catalog/get', ({ id }) => detail(id))
    const store = await loaded()
    expect(store.query.labels).toEqual(['covid'])
    expect(store.visible.map((e) => e.id)).toEqual([1, 3])
    expect(store.selectedId).toBe(3)
    expect(fake.sent('catalog/get')).toEqual([{ id: 3 }])
    expect(store.selected?.summary.id).toBe(3)

    store.setSearch('pleural')
    await Promise.resolve()
    expect(readViewState(window.localStorage, CATALOG)?.query.search).toBe('pleural')
  })

  it('keeps the selected entry over a reload, and drops it when it is gone', async () => {
    fake.ok('catalog/get', ({ id }) => detail(id))
    const store = await loaded()
    await store.select(2)
    fake.ok('catalog/list', { entries: rows.filter((e) => e.id !== 2) })
    await store.load()
    expect(store.selectedId).toBeNull()
    expect(store.selected).toBeNull()
  })
})

describe('catalog store: the open entry', () => {
  it('lets only the latest of several quick selections land', async () => {
    const store = await loaded()
    const slow = deferred<ReturnType<typeof detail>>()
    fake.on('catalog/get', async ({ id }) => ({ ok: true, value: id === 1 ? await slow.promise : detail(id) }))
    const first = store.select(1)
    await store.select(2)
    slow.resolve(detail(1))
    await first
    expect(store.selectedId).toBe(2)
    expect(store.selected?.summary.id).toBe(2)
    expect(store.detailLoading).toBe(false)
  })

  it('says why an entry could not be opened', async () => {
    const store = await loaded()
    fake.fail('catalog/get', 'not_found', 'Entry 9 does not exist.')
    await store.select(9)
    expect(store.selected).toBeNull()
    expect(store.detailError).toBe('Entry 9 does not exist.')
    expect(store.detailLoading).toBe(false)
  })

  it('moves the selection within what is shown, clamped to its ends', async () => {
    const store = await loaded()
    fake.ok('catalog/get', ({ id }) => detail(id))
    expect(store.moveSelection(1)).toBe(0)
    expect(store.selectedId).toBe(2)
    expect(store.moveSelection(-1)).toBe(0)
    expect(store.moveSelection(10)).toBe(3)
    expect(store.selectedId).toBe(3)
    await Promise.resolve()
    expect(fake.sent('catalog/get').map((a) => a.id)).toEqual([2, 3])
  })

  it('puts an edited entry into the list and the open detail without a reload', async () => {
    const store = await loaded()
    fake.ok('catalog/get', ({ id }) => detail(id))
    await store.select(4)
    const edited = detail(4, {}, { label: 'healthy', labelRaw: 'Healthy' })
    store.applyDetail(edited)
    expect(store.entries.find((e) => e.id === 4)?.label).toBe('healthy')
    expect(store.selected).toBe(edited)
    expect(store.revision).toBe(2)
    expect(fake.sent('catalog/list')).toHaveLength(1)
  })

  it('refreshes one entry from main', async () => {
    const store = await loaded()
    fake.ok('catalog/get', ({ id }) => detail(id, {}, { label: 'other' }))
    const fresh = await store.refreshEntry(1)
    expect(fresh?.summary.label).toBe('other')
    expect(store.entries.find((e) => e.id === 1)?.label).toBe('other')
    fake.fail('catalog/get', 'not_found', 'gone')
    expect(await store.refreshEntry(1)).toBeNull()
  })
})

describe('catalog store: filters and sort', () => {
  it('filters by facets and search, and counts what each facet value would show', async () => {
    const store = await loaded()
    store.setFacet('labels', ['covid'])
    expect(store.visible.map((e) => e.id).sort()).toEqual([1, 3])
    expect(store.isFiltered).toBe(true)
    expect(store.counts.visible).toBe(2)
    // The label facet's own filter is lifted when counting its values.
    expect(Object.fromEntries(store.facetCounts('labels'))).toEqual({ covid: 2, healthy: 1, viral_pneumonia: 1 })
    // Other facets count within the active label filter, folded to lower case.
    expect(Object.fromEntries(store.facetCounts('probes'))).toEqual({ convex: 1, linear: 1 })
    store.setSearch('pleural')
    store.setFacet('labels', [])
    expect(store.visible.map((e) => e.id).sort()).toEqual([1, 3])
  })

  it('flips the direction on a second click of the same column; a new column starts ascending', async () => {
    const store = await loaded()
    store.toggleSort('filename')
    expect(store.visible.map((e) => e.filename)).toEqual(['a.mp4', 'b.mp4', 'c.mp4', 'd.mp4'])
    store.toggleSort('filename')
    expect(store.query.sortDescending).toBe(true)
    expect(store.visible.map((e) => e.filename)).toEqual(['d.mp4', 'c.mp4', 'b.mp4', 'a.mp4'])
    store.toggleSort('label')
    expect(store.query).toMatchObject({ sortKey: 'label', sortDescending: false })
  })

  it('clears filters but keeps the sort', async () => {
    const store = await loaded()
    store.toggleSort('filename')
    store.setFacet('probes', ['linear'])
    store.setSearch('a.mp4')
    store.clearFilters()
    expect(store.isFiltered).toBe(false)
    expect(store.query).toEqual({ ...emptyQuery(), sortKey: 'filename', sortDescending: false })
    expect(store.visible).toHaveLength(4)
  })
})
