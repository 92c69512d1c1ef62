import { describe, expect, it } from 'vitest'
import {
  areaWeights,
  camOverlay,
  clipProbabilities,
  contentBox,
  entropyBits,
  INPUT_SIZE,
  lusClassForLabel,
  NORM_MEAN,
  NORM_STD,
  predictedClass,
  predictedLusClass,
  preprocessFrame,
  resizeArea,
  sampleIndices,
  toGrey,
  type RgbFrame
} from '../../../src/shared/classifierPreprocess'

function solid(width: number, height: number, rgb: [number, number, number], channels: 3 | 4 = 3): RgbFrame {
  const data = new Uint8Array(width * height * channels)
  for (let i = 0; i < width * height; i++) data.set(channels === 3 ? rgb : [...rgb, 255], i * channels)
  return { data, width, height, channels }
}

describe('classifier preprocessing', () => {
  it('grey is integer BT.601 luma, from RGB or RGBA alike', () => {
    expect(Array.from(toGrey(solid(1, 1, [255, 255, 255])))).toEqual([255])
    expect(Array.from(toGrey(solid(1, 1, [255, 0, 0])))).toEqual([77])
    expect(Array.from(toGrey(solid(2, 1, [10, 200, 30], 4)))).toEqual([(77 * 10 + 150 * 200 + 29 * 30 + 128) >> 8, (77 * 10 + 150 * 200 + 29 * 30 + 128) >> 8])
  })

  it('trims black borders, and keeps the whole frame when almost nothing is left', () => {
    const w = 40
    const h = 30
    const grey = new Uint8Array(w * h)
    for (let y = 5; y < 25; y++) for (let x = 8; x < 30; x++) grey[y * w + x] = 100
    expect(contentBox(grey, w, h)).toEqual({ x: 8, y: 5, width: 22, height: 20 })
    expect(contentBox(new Uint8Array(w * h), w, h)).toEqual({ x: 0, y: 0, width: w, height: h })
    const speck = new Uint8Array(w * h)
    speck[15 * w + 20] = 255
    expect(contentBox(speck, w, h)).toEqual({ x: 0, y: 0, width: w, height: h })
  })

  it('area weights of each target pixel sum to 1, shrinking and enlarging', () => {
    for (const [a, b] of [
      [370, 128],
      [40, 128],
      [128, 128],
      [97, 13]
    ] as const) {
      const { weights } = areaWeights(a, b)
      for (const w of weights) expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12)
    }
  })

  it('a uniform frame stays uniform; the tensor is normalised grey', () => {
    const { tensor, box } = preprocessFrame(solid(333, 97, [128, 128, 128]))
    expect(box).toEqual({ x: 0, y: 0, width: 333, height: 97 })
    expect(tensor).toHaveLength(INPUT_SIZE * INPUT_SIZE)
    const expected = (128 / 255 - NORM_MEAN) / NORM_STD
    for (const v of tensor) expect(v).toBeCloseTo(expected, 5)
  })

  it('resizing averages: a 2x2 checker shrunk to 1x1 is its mean', () => {
    const grey = Uint8Array.from([0, 100, 200, 50])
    expect(Array.from(resizeArea(grey, 2, { x: 0, y: 0, width: 2, height: 2 }, 1))).toEqual([87.5])
  })

  it('thins long clips evenly and keeps short ones whole', () => {
    expect(sampleIndices(5, 90)).toEqual([0, 1, 2, 3, 4])
    const s = sampleIndices(900, 90)
    expect(s).toHaveLength(90)
    expect(s[0]).toBe(5)
    expect(s[89]).toBe(895)
  })

  it('aggregates clips, entropy, predicted classes, label mapping', () => {
    const p = clipProbabilities([
      [0.7, 0.1, 0.1, 0.1],
      [0.1, 0.1, 0.1, 0.7]
    ])
    expect(p.map((v) => Number(v.toFixed(6)))).toEqual([0.4, 0.1, 0.1, 0.4])
    expect(predictedClass([0.1, 0.2, 0.3, 0.4])).toBe('uninformative')
    expect(predictedLusClass([0.1, 0.2, 0.3, 0.4])).toBe('healthy')
    expect(entropyBits([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(2, 12)
    expect(entropyBits([1, 0, 0, 0])).toBe(0)
    expect(lusClassForLabel('viral_pneumonia')).toBe('pneumonia')
    expect(lusClassForLabel('bacterial_pneumonia')).toBe('pneumonia')
    expect(lusClassForLabel('other')).toBeNull()
  })

  it('camOverlay scales one class map to 0..1', () => {
    const cam = Float32Array.from([0, 0, 0, 0, 1, 2, 3, 5])
    expect(Array.from(camOverlay(cam, 1, 2, 2))).toEqual([0, 0.25, 0.5, 1])
    expect(Array.from(camOverlay(cam, 0, 2, 2))).toEqual([0, 0, 0, 0])
  })
})
