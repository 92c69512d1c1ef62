import { describe, expect, it } from 'vitest'
import { InflateBudget } from '../../../src/main/fs/inflateLimits'

const limits = { maxEntryBytes: 1000, maxTotalBytes: 1500, maxRatio: 10, ratioGraceBytes: 100 }

describe('InflateBudget', () => {
  it('refuses on the declared sizes before anything is read', () => {
    const b = new InflateBudget(limits)
    expect(b.declared('big', { compressedSize: 900, uncompressedSize: 1001 })).toBe('entry "big" is 1001 bytes uncompressed; the limit is 1000')
    expect(b.declared('bomb', { compressedSize: 20, uncompressedSize: 500 })).toMatch(/would inflate from 20 to 500 bytes, more than 10 times \(a zip bomb\)/)
    // Under the grace, a small entry may deflate as well as it likes.
    expect(b.declared('small', { compressedSize: 1, uncompressedSize: 100 })).toBeNull()
  })

  it('counts the bytes that come out: a header that understates, the ratio, the entry cap and the total', () => {
    const lying = new InflateBudget(limits).meter('a', { compressedSize: 50, uncompressedSize: 60 })
    expect(lying.add(60)).toBeNull()
    expect(lying.add(1)).toBe('entry "a" inflates to more than the 60 bytes its header claims')

    // The ratio on the stream (a header that could only pass with a ratio check of its own elsewhere).
    const ratio = new InflateBudget(limits).meter('b', { compressedSize: 20, uncompressedSize: 900 })
    expect(ratio.add(200)).toBeNull()
    expect(ratio.add(1)).toMatch(/entry "b" inflates to more than 10 times its 20 compressed bytes \(a zip bomb\)/)

    const capped = new InflateBudget(limits).meter('c', { compressedSize: 900, uncompressedSize: 900 }, 300)
    expect(capped.add(301)).toBe('entry "c" inflates past 300 bytes')

    const total = new InflateBudget(limits, 'the bundle')
    expect(total.meter('d', { compressedSize: 900, uncompressedSize: 900 }).add(900)).toBeNull()
    expect(total.meter('e', { compressedSize: 900, uncompressedSize: 900 }).add(601)).toBe('the bundle inflates past 1500 bytes in all')
    expect(total.inflated).toBe(1501)
  })

  it('with no ratio, an empty entry is no special case', () => {
    const b = new InflateBudget({ ...limits, maxRatio: Infinity, ratioGraceBytes: 0 })
    expect(b.declared('empty', { compressedSize: 0, uncompressedSize: 0 })).toBeNull()
    expect(b.declared('x', { compressedSize: 1, uncompressedSize: 999 })).toBeNull()
    expect(b.meter('x', { compressedSize: 0, uncompressedSize: 5 }).add(5)).toBeNull()
  })
})
