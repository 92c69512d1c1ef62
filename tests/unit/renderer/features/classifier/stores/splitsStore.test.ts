/** Splits are made by main but checked here; these pin the form's validation, what is sent, and when a near-duplicate check stops describing the split on show. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { FakeApi } from '../../../helpers/fakeApi'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useSplitsStore } from '../../../../../../src/renderer/src/features/classifier/stores/splitsStore'
import type { OpResult } from '../../../../../../src/shared/contract'

type Split = OpResult<'classifier/split'>
let fake: FakeApi

/** Two patients, the first split across folds (what the store must find itself). */
const result = (folds: number, seed: number): Split => ({
  folds,
  seed,
  assignments: [
    { entryId: 1, filename: 'a.mp4', label: 'covid', group: 'p1', basis: 'patient', fold: 0 },
    { entryId: 2, filename: 'b.mp4', label: 'covid', group: 'p1', basis: 'patient', fold: 1 },
    { entryId: 3, filename: 'c.mp4', label: 'healthy', group: 'p2', basis: 'patient', fold: 1 }
  ],
  perFold: [
    { fold: 0, counts: { covid: 1, pneumonia: 0, healthy: 0, other: 0 }, groups: 1 },
    { fold: 1, counts: { covid: 1, pneumonia: 0, healthy: 1, other: 0 }, groups: 2 }
  ],
  groupedBySourceStem: [],
  files: []
})

beforeEach(() => {
  setActivePinia(createPinia())
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('classifier/split', ({ folds, seed }) => result(folds, seed))
})

describe('splits store', () => {
  it('refuses folds and seeds out of range before asking main', async () => {
    const store = useSplitsStore()
    store.folds = 1
    await store.makeSplits()
    expect(store.error).toBe('Folds must be a whole number from 2 to 20.')
    store.folds = 5
    store.seed = 1.5
    await store.makeSplits()
    expect(store.error).toMatch(/^Seed must be a whole number/)
    expect(fake.sent('classifier/split')).toEqual([])
  })

  it('sends the form as numbers, the output folder only when given, and checks the answer itself', async () => {
    const store = useSplitsStore()
    store.folds = '3'
    store.seed = '7'
    await store.makeSplits()
    store.outDir = ' /out/splits '
    await store.makeSplits()
    expect(fake.sent('classifier/split')).toEqual([{ folds: 3, seed: 7 }, { folds: 3, seed: 7, outDir: '/out/splits' }])
    expect(store.revision).toBe(2)
    expect(store.groupCount).toBe(2)
    expect(store.violations.length).toBeGreaterThan(0)
  })

  it('shows main’s refusal', async () => {
    fake.fail('classifier/split', 'bad_input', 'The output folder must be absolute.')
    const store = useSplitsStore()
    await store.makeSplits()
    expect(store.error).toBe('The output folder must be absolute.')
    expect(store.split).toBeNull()
    expect(store.splitting).toBe(false)
  })

  it('checks for near-duplicates against the folds on show, and only once there is a split', async () => {
    fake.ok('classifier/leakageCheck', { jobId: 'job-9' })
    fake.ok('classifier/job', {
      id: 'job-9',
      kind: 'leakage',
      state: 'done',
      done: 3,
      total: 3,
      message: '',
      result: { kind: 'leakage', report: { folds: 5, seed: 42, clipsHashed: 3, pairs: [], crossFold: 0, hashFailures: [] } },
      error: null,
      startedAt: '',
      finishedAt: ''
    })
    const store = useSplitsStore()
    await store.checkLeakage()
    expect(fake.sent('classifier/leakageCheck')).toEqual([])
    await store.makeSplits()
    await store.checkLeakage()
    expect(fake.sent('classifier/leakageCheck')).toEqual([{ folds: 5, seed: 42 }])
    expect(store.leakage?.clipsHashed).toBe(3)
    // A new split with other folds drops the check made against the old ones.
    store.folds = 4
    await store.makeSplits()
    expect(store.leakage).toBeNull()
  })
})
