import { describe, expect, it } from 'vitest'
import { SHARED_DATASET } from '../helpers/paths'
import { runCrashTrials } from './harness'

describe('crash safety (reduced run; npm run test:crash runs 50 trials)', () => {
  it('10 SIGKILLs: no corruption, no lost acknowledged edit, no half-done import', async () => {
    const r = await runCrashTrials({ trials: 10, dataset: SHARED_DATASET, seed: 3 })
    expect(r.trials).toBe(10)
    expect(r.importTrials).toBe(2)
    // The harness must actually have killed writers mid-stream for the check to mean anything.
    expect(r.acknowledgedEdits).toBeGreaterThan(0)
    expect(r.details.filter((d) => !d.includes('(after it finished)')).length).toBeGreaterThan(5)
    expect({ corruptions: r.corruptions, lostEdits: r.lostEdits, halfImports: r.halfImports }).toEqual({ corruptions: 0, lostEdits: 0, halfImports: 0 })
  }, 300_000)
})
