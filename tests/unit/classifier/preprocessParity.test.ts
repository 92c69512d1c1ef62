/**
 * The TypeScript preprocessing against the Python one (training/preprocess.py),
 * on synthetic frames the training pipeline decoded with ffmpeg and stored in
 * the fixture together with its own tensors and the PyTorch model's outputs.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { INPUT_SIZE, preprocessFrame, type RgbFrame } from '../../../src/shared/classifierPreprocess'
import { ClassifierModel } from '../../../src/main/classifier/modelSession'
import { FIXTURES, SHIPPED_MODEL } from './helpers'

interface FixtureFrame {
  name: string
  width: number
  height: number
  rgbDeflateBase64: string
  box: { x: number; y: number; width: number; height: number }
  tensorSum: number
  tensorSamples: { indices: number[]; values: number[] }
  probs: number[]
  camShape: number[]
  camSamples: { indices: number[]; values: number[] }
}

const fixture = JSON.parse(readFileSync(join(FIXTURES, 'preprocess-parity.json'), 'utf8')) as {
  model: { file: string; sha256: string }
  inputSize: number
  frames: FixtureFrame[]
}

function frameOf(f: FixtureFrame): RgbFrame {
  return { data: new Uint8Array(inflateSync(Buffer.from(f.rgbDeflateBase64, 'base64'))), width: f.width, height: f.height, channels: 3 }
}

describe('TS/Python preprocessing parity', () => {
  it('the fixture was made for the shipped model (else run `npm run train`)', () => {
    expect(fixture.inputSize).toBe(INPUT_SIZE)
    expect(createHash('sha256').update(readFileSync(SHIPPED_MODEL)).digest('hex')).toBe(fixture.model.sha256)
  })

  it.each(fixture.frames.map((f) => [f.name, f] as const))('%s: same crop box and tensor', (_name, f) => {
    const { tensor, box } = preprocessFrame(frameOf(f))
    expect(box).toEqual(f.box)
    f.tensorSamples.indices.forEach((idx, k) => expect(Math.abs(tensor[idx]! - f.tensorSamples.values[k]!)).toBeLessThan(1e-5))
    const sum = tensor.reduce((s, v) => s + v, 0)
    expect(Math.abs(sum - f.tensorSum)).toBeLessThan(1e-2)
  })

  describe('probabilities through onnxruntime-web', () => {
    let model: ClassifierModel
    beforeAll(async () => {
      model = await ClassifierModel.load(SHIPPED_MODEL)
    })

    it('match PyTorch on the same frames within 1e-3, and the CAMs agree', async () => {
      const out = await model.run(fixture.frames.map((f) => preprocessFrame(frameOf(f)).tensor))
      fixture.frames.forEach((f, i) => {
        f.probs.forEach((p, k) => expect(Math.abs(out.probs[i]![k]! - p), `${f.name} class ${k}`).toBeLessThan(1e-3))
        expect([model.info.classes.length, ...model.info.camSize]).toEqual(f.camShape)
        f.camSamples.indices.forEach((idx, k) => expect(out.cams[i]![idx]!).toBeCloseTo(f.camSamples.values[k]!, 2))
      })
    })
  })
})
