import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFrameTimes, readFrameTimes } from '../../../src/main/media/frameTimes'
import { tempDir } from '../../helpers/paths'
import { decodedFrameCount, makeFormatClip } from './clips'

describe('parseFrameTimes', () => {
  it('prefers best-effort timestamps, falls back to pts then dts, and sorts', () => {
    const json = JSON.stringify({
      frames: [
        { best_effort_timestamp_time: '0.080000', pts_time: '9' },
        { pts_time: '0.000000' },
        { pkt_dts_time: '0.040000' }
      ],
      streams: [{ width: 64, height: 48 }],
      format: { duration: '0.120000' }
    })
    expect(parseFrameTimes(json)).toEqual({ frameTimes: [0, 0.04, 0.08], width: 64, height: 48, durationS: 0.12 })
  })

  it('keeps a frame without any timestamp, one interval after its predecessor', () => {
    const json = JSON.stringify({ frames: [{ pts_time: '0.0' }, { pts_time: '0.1' }, {}, { pts_time: '0.3' }] })
    expect(parseFrameTimes(json).frameTimes).toEqual([0, 0.1, 0.2, 0.3])
  })

  it('rounds to microseconds (what the browser reports)', () => {
    expect(parseFrameTimes(JSON.stringify({ frames: [{ pts_time: '0.0449438202' }] })).frameTimes).toEqual([0.044944])
  })

  it('refuses output that is not JSON', () => {
    expect(() => parseFrameTimes('frame|0.0')).toThrow(/unreadable/)
  })
})

describe('readFrameTimes', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeAll(() => {
    tmp = tempDir('lus-frames-')
  })
  afterAll(() => tmp.cleanup())

  it('lists one time per decoded frame, at the clip’s frame rate', async () => {
    const file = join(tmp.path, 'a.avi')
    makeFormatClip(file, 'mpeg4-avi', { frames: 17, fps: 25 })
    const info = await readFrameTimes(file)
    expect(info.frameTimes).toHaveLength(await decodedFrameCount(file))
    expect(info.frameTimes).toHaveLength(17)
    info.frameTimes.forEach((t, i) => expect(t).toBeCloseTo(i / 25, 6))
    expect([info.width, info.height]).toEqual([65, 49])
  })
})
