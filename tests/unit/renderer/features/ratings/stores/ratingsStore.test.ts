/** The coordinator's side of blinded review; these pin the set queries sent, the set preview counted locally, the adjudication gates and the bundle dry run. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { FakeApi } from '../../../helpers/fakeApi'
import { stubWindow } from '../../../helpers/fakeWindow'
import { historyStatus, summary } from '../../../helpers/fixtures'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useCatalogStore } from '../../../../../../src/renderer/src/features/catalog/stores/catalogStore'
import { useRatingsStore, type NewSet } from '../../../../../../src/renderer/src/features/ratings/stores/ratingsStore'
import { useSettingsStore } from '../../../../../../src/renderer/src/app/stores/settingsStore'
import type { AdjudicationItem, BundleImportResult, ReviewSet } from '../../../../../../src/shared/ratingsContract'

const SET_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'
const SET_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'
const ADA = '44444444-4444-4444-8444-444444444444'
const COORD = '66666666-6666-4666-8666-666666666666'

let fake: FakeApi

const reviewSet = (id: string, over: Partial<ReviewSet> = {}): ReviewSet => ({
  id,
  name: `Set ${id.slice(0, 1)}`,
  query: { labels: [], probes: [], types: [], mediaStatuses: [], licenses: [], search: '', sortKey: 'row', sortDescending: false },
  fields: ['label'],
  raters: [],
  blinded: true,
  revealAfterSubmit: false,
  order: 'catalog',
  seed: 1,
  createdAt: '2026-01-01T00:00:00Z',
  clips: 3,
  clipsWithoutMedia: 0,
  complete: 0,
  ...over
})

const item = (entryId: number): AdjudicationItem => ({
  clipNo: entryId,
  entryId,
  filename: `clip-${entryId}.mp4`,
  mediaId: null,
  reference: { label: 'covid' },
  ratings: [],
  fields: [{ field: 'label', status: 'disagree', consensus: null }]
})

const importResult = (applied: boolean, over: Partial<BundleImportResult> = {}): BundleImportResult => ({
  applied,
  setId: SET_A,
  setName: 'Set a',
  setCreated: false,
  ratersAdded: [],
  ratingsAdded: 2,
  ratingsUnchanged: 0,
  ratingsReplaced: 0,
  ratingsKept: 0,
  conflicts: [],
  clipsMatchedByHash: 2,
  clipsMatchedByFilename: 0,
  warnings: [],
  ...over
})

const newSet = (over: Partial<NewSet> = {}): NewSet => ({
  name: 'Pilot',
  source: 'filter',
  fields: ['label'],
  raterIds: [ADA],
  blinded: true,
  revealAfterSubmit: false,
  order: 'random',
  seed: 42,
  excludeWithoutMedia: true,
  ...over
})

beforeEach(async () => {
  setActivePinia(createPinia())
  stubWindow('#/ratings')
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('app/info', { version: '0.1.0', transport: 'ipc', catalogPath: '/c.db', schemaVersion: 9, sources: [] })
  fake.ok('catalog/list', {
    entries: [
      summary(1, { label: 'covid' }),
      summary(2, { label: 'covid', mediaStatus: 'missing', mediaId: null }),
      summary(3, { label: 'healthy', searchText: 'piacenza label_uncertain' }),
      summary(4, { label: 'covid', mediaStatus: 'missing', mediaId: null, searchText: 'label_uncertain' })
    ]
  })
  await useCatalogStore().load()
  fake.calls.length = 0
})

describe('ratings store: raters and sets', () => {
  it('lists raters and adds a new one', async () => {
    fake.ok('raters/list', { raters: [{ id: COORD, name: 'Cleo', role: 'coordinator', createdAt: '' }] })
    fake.ok('raters/create', ({ name, role }) => ({ id: ADA, name, role: role ?? 'rater', createdAt: '' }))
    const store = useRatingsStore()
    await store.loadRaters()
    await store.createRater('Ada', 'rater')
    expect(fake.sent('raters/create')).toEqual([{ name: 'Ada', role: 'rater' }])
    expect(store.raters.map((r) => r.name)).toEqual(['Cleo', 'Ada'])
    expect(store.adjudicators.map((r) => r.name)).toEqual(['Cleo'])
  })

  it('selects the first set, and keeps a selection that still exists', async () => {
    fake.ok('reviewSets/list', { sets: [reviewSet(SET_A), reviewSet(SET_B)] })
    const store = useRatingsStore()
    await store.loadSets()
    expect(store.selectedSetId).toBe(SET_A)
    store.selectedSetId = SET_B
    await store.loadSets()
    expect(store.selectedSet?.id).toBe(SET_B)
    expect(store.setsLoaded).toBe(true)
  })

  it('previews a set from the catalog’s filter, or from the “label uncertain” clips', () => {
    const store = useRatingsStore()
    useCatalogStore().setFacet('labels', ['covid'])
    expect(store.setPreview('filter')).toEqual({ clips: 3, withoutMedia: 2 })
    expect(store.setPreview('uncertain')).toEqual({ clips: 2, withoutMedia: 1 })
  })

  it('creates a set from the catalog’s current query and says how many clips were left out', async () => {
    useCatalogStore().setFacet('labels', ['covid'])
    fake.ok('reviewSets/create', ({ name }) => reviewSet(SET_B, { name, clips: 1 }))
    const store = useRatingsStore()
    await store.createSet(newSet())
    const [args] = fake.sent('reviewSets/create')
    expect(args).toMatchObject({ name: 'Pilot', raterIds: [ADA], order: 'random', seed: 42, excludeWithoutMedia: true })
    expect(args?.query).toMatchObject({ labels: ['covid'], search: '' })
    expect(store.selectedSetId).toBe(SET_B)
    expect(store.notice).toBe('Review set "Pilot" created with 1 clips; 2 without media left out.')
  })

  it('leaves the seed out when none is given, and asks for the uncertain clips by search', async () => {
    fake.ok('reviewSets/create', ({ name }) => reviewSet(SET_B, { name }))
    const store = useRatingsStore()
    await store.createSet(newSet({ source: 'uncertain', seed: null, excludeWithoutMedia: false }))
    const [args] = fake.sent('reviewSets/create')
    expect(args).not.toHaveProperty('seed')
    expect(args?.query).toMatchObject({ labels: [], search: 'label_uncertain' })
  })

  it('shows main’s refusal and creates nothing', async () => {
    fake.fail('reviewSets/create', 'bad_input', 'A set needs at least one rater.')
    const store = useRatingsStore()
    expect(await store.createSet(newSet({ raterIds: [] }))).toBeNull()
    expect(store.error).toBe('A set needs at least one rater.')
    expect(store.sets).toEqual([])
    expect(store.busy).toBe(false)
  })
})

describe('ratings store: adjudication', () => {
  async function adjudicating(): Promise<ReturnType<typeof useRatingsStore>> {
    fake.ok('reviewSets/list', { sets: [reviewSet(SET_A)] })
    fake.ok('adjudication/list', { setId: SET_A, raters: [], items: [item(1), item(2)] })
    const store = useRatingsStore()
    await store.loadSets()
    await store.loadAdjudication(SET_A)
    return store
  }

  it('lists the disagreements and selects the first', async () => {
    const store = await adjudicating()
    expect(fake.sent('adjudication/list')).toEqual([{ setId: SET_A, onlyDisagreements: true }])
    expect(store.selectedItem?.entryId).toBe(1)
    expect(store.adjudicationLoaded).toBe(true)
  })

  it('asks who adjudicates before recording a consensus', async () => {
    const store = await adjudicating()
    fake.ok('adjudication/setConsensus', ({ entryId }) => ({ ...item(entryId), fields: [{ field: 'label', status: 'disagree', consensus: { value: 'covid', reason: 'r', adjudicator: 'Cleo', at: '', appliedAt: null } }] }))
    expect(await store.setConsensus('label', 'covid', 'B-lines visible')).toBe(false)
    expect(store.error).toMatch(/^Choose who adjudicates/)
    expect(fake.sent('adjudication/setConsensus')).toEqual([])
    store.adjudicatorId = COORD
    expect(await store.setConsensus('label', 'covid', 'B-lines visible')).toBe(true)
    expect(fake.sent('adjudication/setConsensus')).toEqual([{ setId: SET_A, entryId: 1, adjudicatorId: COORD, field: 'label', value: 'covid', reason: 'B-lines visible' }])
    expect(store.selectedItem?.fields[0]?.consensus?.value).toBe('covid')
  })

  it('writes consensus to the catalog only with a reviewer name, then reloads catalog and undo state', async () => {
    const store = await adjudicating()
    fake.ok('settings/get', { userName: 'Cleo' })
    fake.ok('adjudication/applyConsensus', { entriesChanged: 1, cellsWritten: 1, skipped: [] })
    fake.ok('history/status', historyStatus(null))
    await store.applyConsensus(false)
    expect(fake.sent('adjudication/applyConsensus')).toEqual([])
    expect(useSettingsStore().nameDialogOpen).toBe(true)

    await useSettingsStore().load()
    await store.applyConsensus(true)
    expect(fake.sent('adjudication/applyConsensus')).toEqual([{ setId: SET_A, includeUnanimous: true }])
    expect(store.applyReport?.cellsWritten).toBe(1)
    expect(fake.ops()).toEqual(expect.arrayContaining(['history/status', 'catalog/list']))
    expect(fake.ops().at(-1)).toBe('adjudication/list')
  })
})

describe('ratings store: bundles', () => {
  it('previews an import first and applies it with the chosen resolutions', async () => {
    const conflict = { key: 'k1', rater: 'Ada', clipNo: 1, mine: { values: {}, confidence: 3, comment: '', submittedAt: '', updatedAt: '' }, theirs: { values: {}, confidence: 4, comment: '', submittedAt: '', updatedAt: '' } }
    fake.on('bundles/import', ({ dryRun }) => ({ ok: true, value: importResult(!dryRun, dryRun ? { conflicts: [conflict] } : {}) }))
    fake.ok('raters/list', { raters: [] })
    fake.ok('reviewSets/list', { sets: [reviewSet(SET_A)] })
    const store = useRatingsStore()
    await store.previewImport('/in/bundle.zip')
    expect(fake.sent('bundles/import')).toEqual([{ path: '/in/bundle.zip', dryRun: true }])
    expect(store.importPreview?.conflicts).toHaveLength(1)
    await store.applyImport({ k1: 'theirs' })
    expect(fake.sent('bundles/import').at(-1)).toEqual({ path: '/in/bundle.zip', resolutions: { k1: 'theirs' }, dryRun: false })
    expect(store.importResult?.applied).toBe(true)
    expect(store.importPreview).toBeNull()
    expect(store.sets.map((s) => s.id)).toEqual([SET_A])
  })

  it('keeps a reader bundle’s refusal beside its form, not in the view’s error box', async () => {
    fake.fail('reviewSets/exportReaderBundle', 'bad_input', '2 clips have no media: clip-2.mp4, clip-4.mp4')
    const store = useRatingsStore()
    expect(await store.exportReaderBundle(SET_A, '/out/reader.zip', null)).toBe(false)
    expect(fake.sent('reviewSets/exportReaderBundle')).toEqual([{ setId: SET_A, outPath: '/out/reader.zip' }])
    expect(store.readerBundleError).toBe('2 clips have no media: clip-2.mp4, clip-4.mp4')
    expect(store.error).toBeNull()
    expect(store.readerBundleBusy).toBe(false)
  })
})
