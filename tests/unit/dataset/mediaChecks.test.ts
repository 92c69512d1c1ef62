import { describe, expect, it } from 'vitest'
import { MAX_DIMENSION, mediaProblem } from '../../../src/main/dataset/mediaChecks'

const probe = (p: Partial<Parameters<typeof mediaProblem>[2]>): Parameters<typeof mediaProblem>[2] => ({
  frames: 30,
  fps: 25,
  width: 640,
  height: 480,
  durationS: 1.2,
  codec: 'h264',
  ...p
})

describe('media sanity checks', () => {
  it('accepts what the dataset holds', () => {
    expect(mediaProblem('video', '.mp4', probe({}))).toBeNull()
    expect(mediaProblem('video', '.avi', probe({ codec: 'mjpeg', frames: 90 }))).toBeNull()
    expect(mediaProblem('video', '.gif', probe({ codec: 'gif', frames: 1 }))).toBeNull()
    expect(mediaProblem('image', '.jpg', probe({ codec: 'mjpeg', frames: 1 }))).toBeNull()
  })

  it('flags sizes no scanner makes', () => {
    expect(mediaProblem('image', '.png', probe({ width: MAX_DIMENSION + 1, height: 10, frames: 1, codec: 'png' }))).toMatch(/exceed the 8192 px limit/)
  })

  it('flags content that contradicts the extension', () => {
    expect(mediaProblem('video', '.mp4', probe({ codec: 'png', frames: 1 }))).toMatch(/single PNG image, not a video/)
    expect(mediaProblem('image', '.jpg', probe({ frames: 12 }))).toMatch(/holds 12 frames/)
  })
})
