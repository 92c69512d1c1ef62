import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findNearDuplicates, hashClips, NEAR_DUPLICATE_MAX_DISTANCE } from '../../../src/main/classifier/leakageCheck'
import { clipDistance, dHash, hamming, hashHex } from '../../../src/main/classifier/perceptualHash'
import { tempDir } from '../../helpers/paths'
import { makeSourceClip, reencode } from './helpers'

describe('dHash', () => {
  it('sets a bit where a pixel is darker than its right neighbour', () => {
    const px = new Uint8Array(72)
    for (let y = 0; y < 8; y++) for (let x = 0; x < 9; x++) px[y * 9 + x] = x * 20 // brighter to the right
    expect(hashHex(dHash(px)!)).toBe('ffffffffffffffff')
    for (let y = 0; y < 8; y++) for (let x = 0; x < 9; x++) px[y * 9 + x] = 200 - x * 20
    expect(hashHex(dHash(px)!)).toBe('0000000000000000')
  })

  it('leaves out blank frames, whose hash would match every other blank frame', () => {
    expect(dHash(new Uint8Array(72).fill(30))).toBeNull()
  })

  it('counts differing bits', () => {
    expect(hamming([0, 0], [0xffffffff, 1])).toBe(33)
    expect(clipDistance([[1, 0]], [])).toBeNull()
  })
})

describe('leakage check', () => {
  const dir = tempDir('lus-leak-')
  const original = join(dir.path, 'original.mp4')
  const copy = join(dir.path, 'copy-reencoded.avi')
  const other = join(dir.path, 'other.mp4')
  const third = join(dir.path, 'third.mp4')

  beforeAll(() => {
    makeSourceClip(original, 'testsrc2=size=320x240')
    reencode(original, copy) // the planted duplicate: other codec, container and size
    makeSourceClip(other, 'mandelbrot=size=320x240')
    makeSourceClip(third, 'life=size=320x240:mold=10:ratio=0.4:seed=3')
  })
  afterAll(() => dir.cleanup())

  it('finds a planted re-encoded duplicate sitting in another fold, and nothing else', async () => {
    const clips = [
      { entryId: 1, filename: 'original', absPath: original },
      { entryId: 2, filename: 'copy', absPath: copy },
      { entryId: 3, filename: 'other', absPath: other },
      { entryId: 4, filename: 'third', absPath: third }
    ]
    const { hashed, failed } = await hashClips(clips)
    expect(failed).toEqual([])
    const folds = new Map([
      [1, 0],
      [2, 3],
      [3, 0],
      [4, 1]
    ])
    const pairs = findNearDuplicates(hashed, (id) => folds.get(id) ?? null)
    expect(pairs).toHaveLength(1)
    expect(pairs[0]!.a.filename).toBe('original')
    expect(pairs[0]!.b.filename).toBe('copy')
    expect(pairs[0]!.crossFold).toBe(true)
    expect(pairs[0]!.distance).toBeLessThanOrEqual(NEAR_DUPLICATE_MAX_DISTANCE)
    // The same pair in one fold is reported but does not leak.
    expect(findNearDuplicates(hashed, () => 0)[0]!.crossFold).toBe(false)
    // Different content is far away.
    expect(clipDistance(hashed[0]!.hashes, hashed[2]!.hashes)!).toBeGreaterThan(NEAR_DUPLICATE_MAX_DISTANCE * 2)
  })

  it('a file ffmpeg cannot read gets no hashes and a reason, and is never flagged', async () => {
    const { hashed, failed } = await hashClips([{ entryId: 9, filename: 'missing', absPath: join(dir.path, 'nope.mp4') }])
    expect(hashed[0]!.hashes).toEqual([])
    expect(failed[0]!.filename).toBe('missing')
  })
})
