/** The review store walks the catalog's visible list; these pin which clip it opens, which late answers it drops, and where next/previous lead. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { deferred, FakeApi } from '../../../helpers/fakeApi'
import { stubWindow, type FakeWindow } from '../../../helpers/fakeWindow'
import { detail, summary } from '../../../helpers/fixtures'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useCatalogStore } from '../../../../../../src/renderer/src/features/catalog/stores/catalogStore'
import { useReviewStore } from '../../../../../../src/renderer/src/features/review/stores/reviewStore'

let fake: FakeApi
let win: FakeWindow

beforeEach(async () => {
  setActivePinia(createPinia())
  win = stubWindow('#/review/2')
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('app/info', { version: '0.1.0', transport: 'ipc', catalogPath: '/c.db', schemaVersion: 9, sources: [] })
  fake.ok('catalog/list', { entries: [summary(1), summary(2), summary(3)] })
  await useCatalogStore().load()
  fake.calls.length = 0
})

describe('review store', () => {
  it('opens a clip and keeps the catalog’s selection on it', async () => {
    fake.ok('catalog/get', ({ id }) => detail(id))
    const review = useReviewStore()
    await review.open(2)
    expect(fake.sent('catalog/get')).toEqual([{ id: 2 }])
    expect(review.detail?.summary.id).toBe(2)
    expect(review.loading).toBe(false)
    expect(review.index).toBe(1)
    expect(review.count).toBe(3)
    expect(review.hasPrevious && review.hasNext).toBe(true)
    expect(useCatalogStore().selectedId).toBe(2)
    // Opening the clip already shown asks main nothing.
    await review.open(2)
    expect(fake.sent('catalog/get')).toHaveLength(1)
  })

  it('says why a clip could not be opened', async () => {
    fake.fail('catalog/get', 'not_found', 'Entry 7 does not exist.')
    const review = useReviewStore()
    await review.open(7)
    expect(review.detail).toBeNull()
    expect(review.error).toBe('Entry 7 does not exist.')
    expect(review.index).toBe(-1)
  })

  it('drops the answer for a clip left before it arrived', async () => {
    const slow = deferred<ReturnType<typeof detail>>()
    fake.on('catalog/get', async ({ id }) => ({ ok: true, value: id === 1 ? await slow.promise : detail(id) }))
    const review = useReviewStore()
    const first = review.open(1)
    await review.open(3)
    slow.resolve(detail(1))
    await first
    expect(review.entryId).toBe(3)
    expect(review.detail?.summary.id).toBe(3)
  })

  it('steps through what the catalog shows, clamped at its ends, by navigating', async () => {
    fake.ok('catalog/get', ({ id }) => detail(id))
    const review = useReviewStore()
    await review.open(2)
    review.step(1)
    expect(win.hash).toBe('#/review/3')
    await review.open(3)
    review.step(1)
    expect(win.hash).toBe('#/review/3')
    review.step(-2)
    expect(win.hash).toBe('#/review/1')
  })

  it('takes a saved state only for the clip still open', async () => {
    fake.ok('catalog/get', ({ id }) => detail(id))
    const review = useReviewStore()
    await review.open(2)
    review.applyDetail(detail(1, {}, { label: 'healthy' }))
    expect(review.detail?.summary.label).toBe('covid')
    review.applyDetail(detail(2, {}, { label: 'healthy' }))
    expect(review.detail?.summary.label).toBe('healthy')
    review.close()
    expect(review.entryId).toBeNull()
    expect(review.detail).toBeNull()
  })
})
