import { describe, expect, it } from 'vitest'
import { progressFraction } from '../../../src/main/media/transcode'

describe('progressFraction (ffmpeg -progress lines)', () => {
  it('counts encoded frames against the source’s frame count', () => {
    expect(progressFraction('frame=45', 90, 3)).toBe(0.5)
    expect(progressFraction('out_time_us=1500000', 90, 3)).toBeNull()
  })

  it('falls back to output time against the duration when the frame count is unknown', () => {
    expect(progressFraction('out_time_us=1500000', null, 3)).toBe(0.5)
    expect(progressFraction('frame=45', null, 3)).toBeNull()
  })

  it('ignores other keys and values that are not numbers', () => {
    for (const line of ['progress=continue', 'progress=end', 'frame=', 'frame=N/A', 'out_time_us=N/A', 'fps=25.0', ''])
      expect(progressFraction(line, 90, 3), line).toBeNull()
  })
})
