import { describe, expect, it } from 'vitest'
import { mapLimit } from '../../../src/main/jobs/mapLimit'

describe('mapLimit', () => {
  it('keeps the items’ order and never has more than `limit` calls in flight', async () => {
    let inFlight = 0
    let most = 0
    const out = await mapLimit([30, 5, 20, 1, 10], 2, async (ms) => {
      most = Math.max(most, ++inFlight)
      await new Promise((r) => setTimeout(r, ms))
      inFlight--
      return ms * 2
    })
    expect(out).toEqual([60, 10, 40, 2, 20])
    expect(most).toBe(2)
  })

  it('runs one at a time for a limit under one, and answers an empty list at once', async () => {
    let inFlight = 0
    let most = 0
    await mapLimit([1, 2, 3], 0, async () => {
      most = Math.max(most, ++inFlight)
      await Promise.resolve()
      inFlight--
    })
    expect(most).toBe(1)
    expect(await mapLimit([], 4, async () => 1)).toEqual([])
  })

  it('rejects with the first failure', async () => {
    await expect(mapLimit([1, 2, 3], 2, async (n) => (n === 2 ? Promise.reject(new Error('ffprobe failed')) : n))).rejects.toThrow('ffprobe failed')
  })
})
