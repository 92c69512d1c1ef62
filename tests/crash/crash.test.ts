import { describe, expect, it } from 'vitest'
import { SHARED_DATASET } from '../helpers/paths'
import { runCrashTrials, runOwnerTrials } from './harness'

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

  it('a running owner: a second writer and a CLI restore are refused with the lock message; SIGKILL loses no acknowledged edit', async () => {
    const r = await runOwnerTrials({ trials: 2 })
    expect(r.notRefused).toEqual([])
    expect(r.refusals).toHaveLength(4)
    expect(r.acknowledgedEdits).toBeGreaterThan(0)
    expect({ lostEdits: r.lostEdits, corruptions: r.corruptions }).toEqual({ lostEdits: 0, corruptions: 0 })
  }, 60_000)
})
