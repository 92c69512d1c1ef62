/** Stored predictions filter and sort the catalog, and the pre-label job is followed to its end; these pin the filters' semantics and the job's start, polling and cancel. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeApi } from '../../../helpers/fakeApi'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useCatalogPredictionsStore } from '../../../../../../src/renderer/src/features/classifier/stores/catalogPredictionsStore'
import type { ClassifierJob, PredictionSummary } from '../../../../../../src/shared/classifierContract'

let fake: FakeApi

const prediction = (entryId: number, over: Partial<PredictionSummary> = {}): PredictionSummary => ({
  entryId,
  status: 'ok',
  predicted: 'covid',
  lusPredicted: 'covid',
  confidence: 0.9,
  entropy: 0.3,
  expertClass: 'covid',
  disagrees: false,
  ...over
})

const summaries = [
  prediction(1, { predicted: 'covid', confidence: 0.95, entropy: 0.2, disagrees: false }),
  prediction(2, { predicted: 'healthy', lusPredicted: 'healthy', confidence: 0.55, entropy: 0.9, disagrees: true }),
  prediction(3, { status: 'failed', predicted: null, lusPredicted: null, confidence: null, entropy: null, disagrees: null }),
  prediction(4, { predicted: 'covid', confidence: 0.6, entropy: 0.7, disagrees: true })
]
const rows = [1, 2, 3, 4, 5].map((id) => ({ id }))

const job = (state: ClassifierJob['state'], over: Partial<ClassifierJob> = {}): ClassifierJob => ({
  id: 'job-1',
  kind: 'prelabel',
  state,
  done: state === 'running' ? 1 : 4,
  total: 4,
  message: '',
  result: null,
  error: null,
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: state === 'running' ? null : '2026-01-01T00:01:00Z',
  ...over
})

beforeEach(async () => {
  setActivePinia(createPinia())
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('classifier/summaries', { modelSha256: null, entries: summaries })
})
afterEach(() => vi.useRealTimers())

async function loaded(): Promise<ReturnType<typeof useCatalogPredictionsStore>> {
  const store = useCatalogPredictionsStore()
  await store.load()
  return store
}

describe('catalog predictions: filters and sort', () => {
  it('passes every row through untouched while no filter is set', async () => {
    const store = await loaded()
    expect(store.active).toBe(false)
    expect(store.apply(rows)).toBe(rows)
  })

  it('keeps the rows the model calls a class, or those without a usable prediction', async () => {
    const store = await loaded()
    store.predicted = 'covid'
    expect(store.apply(rows).map((r) => r.id)).toEqual([1, 4])
    store.predicted = 'none'
    expect(store.apply(rows).map((r) => r.id)).toEqual([3, 5])
  })

  it('keeps calls at or under a confidence, and model/label (dis)agreement', async () => {
    const store = await loaded()
    store.maxConfidence = 0.6
    expect(store.apply(rows).map((r) => r.id)).toEqual([2, 4])
    store.maxConfidence = 1
    store.disagreement = 'disagrees'
    expect(store.apply(rows).map((r) => r.id)).toEqual([2, 4])
    store.disagreement = 'agrees'
    expect(store.apply(rows).map((r) => r.id)).toEqual([1])
  })

  it('sorts by uncertainty either way, rows without an entropy last', async () => {
    const store = await loaded()
    store.sort = 'entropy-desc'
    expect(store.apply(rows).map((r) => r.id)).toEqual([2, 4, 1, 3, 5])
    store.sort = 'entropy-asc'
    expect(store.apply(rows).map((r) => r.id)).toEqual([1, 4, 2, 3, 5])
    store.clear()
    expect(store.active).toBe(false)
  })

  it('keeps the predictions it had when main cannot list them', async () => {
    const store = await loaded()
    fake.fail('classifier/summaries', 'internal', 'The predictions table is unreadable.')
    await store.load()
    expect(store.error).toBe('The predictions table is unreadable.')
    expect(store.summaries.size).toBe(4)
  })
})

describe('catalog predictions: the pre-label job', () => {
  it('starts the job, follows it to its end, then loads the new predictions', async () => {
    vi.useFakeTimers()
    const store = useCatalogPredictionsStore()
    fake.ok('classifier/prelabel', { jobId: 'job-1' })
    let polls = 0
    fake.ok('classifier/job', () => (++polls < 2 ? job('running') : job('done')))
    await store.prelabel(true)
    expect(fake.sent('classifier/prelabel')).toEqual([{ force: true }])
    expect(store.running).toBe(true)
    await vi.advanceTimersByTimeAsync(500)
    expect(store.running).toBe(false)
    expect(store.job?.state).toBe('done')
    await vi.waitFor(() => expect(store.summaries.size).toBe(4))
    expect(fake.ops().at(-1)).toBe('classifier/summaries')
  })

  it('does not force a re-run unless asked, and shows a refused start', async () => {
    const store = useCatalogPredictionsStore()
    fake.fail('classifier/prelabel', 'unsupported', 'No model is installed.')
    await store.prelabel()
    expect(fake.sent('classifier/prelabel')).toEqual([{}])
    expect(store.jobError).toBe('No model is installed.')
    expect(store.job).toBeNull()
  })

  it('cancels a running job and shows it winding down', async () => {
    vi.useFakeTimers()
    const store = useCatalogPredictionsStore()
    fake.ok('classifier/prelabel', { jobId: 'job-1' })
    fake.ok('classifier/job', job('running'))
    fake.ok('classifier/cancel', job('running', { message: 'Cancelling…' }))
    await store.prelabel()
    await store.cancel()
    expect(fake.sent('classifier/cancel')).toEqual([{ jobId: 'job-1' }])
    expect(store.cancelling).toBe(true)
    fake.ok('classifier/job', job('cancelled'))
    await vi.advanceTimersByTimeAsync(500)
    expect(store.cancelling).toBe(false)
    expect(store.job?.state).toBe('cancelled')
  })
})
