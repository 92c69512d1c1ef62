/** Statistics stay live while shown and go stale while hidden; these pin when they are fetched, and that a burst of edits costs one fetch. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeApi } from '../../../helpers/fakeApi'
import { stubWindow } from '../../../helpers/fakeWindow'
import { detail, summary } from '../../../helpers/fixtures'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useCatalogStore } from '../../../../../../src/renderer/src/features/catalog/stores/catalogStore'
import { useStatsStore } from '../../../../../../src/renderer/src/features/stats/stores/statsStore'
import type { CatalogStats } from '../../../../../../src/shared/contract'

let fake: FakeApi
const stats = (total: number): CatalogStats => ({ total, withMedia: total, byLabelProbeType: [], byMediaStatus: {}, pathologiesByLabel: [], symptomsByLabel: [], byLicense: [] })

beforeEach(async () => {
  vi.useFakeTimers()
  setActivePinia(createPinia())
  stubWindow()
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('app/info', { version: '0.1.0', transport: 'ipc', catalogPath: '/c.db', schemaVersion: 9, sources: [] })
  fake.ok('catalog/list', { entries: [summary(1)] })
  let n = 0
  fake.ok('catalog/stats', () => stats(++n))
  await useCatalogStore().load()
})
afterEach(() => vi.useRealTimers())

describe('stats store', () => {
  it('loads when the view comes up, and not again while nothing changed', async () => {
    const store = useStatsStore()
    store.activate()
    await vi.advanceTimersByTimeAsync(0)
    expect(store.stats?.total).toBe(1)
    store.deactivate()
    store.activate()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.sent('catalog/stats')).toHaveLength(1)
  })

  it('refetches once for a burst of edits while shown', async () => {
    const store = useStatsStore()
    store.activate()
    await vi.advanceTimersByTimeAsync(0)
    const catalog = useCatalogStore()
    for (let i = 0; i < 3; i++) {
      catalog.applyDetail(detail(1))
      await vi.advanceTimersByTimeAsync(100)
    }
    await vi.advanceTimersByTimeAsync(250)
    expect(fake.sent('catalog/stats')).toHaveLength(2)
    expect(store.stats?.total).toBe(2)
  })

  it('only marks them stale while hidden, and fetches on the next showing', async () => {
    const store = useStatsStore()
    store.activate()
    await vi.advanceTimersByTimeAsync(0)
    store.deactivate()
    useCatalogStore().applyDetail(detail(1))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(fake.sent('catalog/stats')).toHaveLength(1)
    store.activate()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.sent('catalog/stats')).toHaveLength(2)
  })

  it('says why they could not be computed', async () => {
    fake.fail('catalog/stats', 'internal', 'database is locked')
    const store = useStatsStore()
    await store.load()
    expect(store.error).toBe('database is locked')
    expect(store.loading).toBe(false)
  })
})
