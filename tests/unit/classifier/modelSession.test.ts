import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { INPUT_SIZE, MODEL_CLASSES, MODEL_FINDINGS } from '../../../src/shared/classifierPreprocess'
import { ClassifierModel, ModelError } from '../../../src/main/classifier/modelSession'
import { tempDir } from '../../helpers/paths'
import { FIXTURES, SHIPPED_MODEL } from './helpers'

const dir = tempDir('lus-model-')
afterAll(() => dir.cleanup())

describe('the shipped model under onnxruntime-web (WASM)', () => {
  it('has the input and output shapes the app and the card describe', async () => {
    const model = await ClassifierModel.load(SHIPPED_MODEL)
    expect(model.info.classes).toEqual([...MODEL_CLASSES])
    expect(model.info.inputSize).toBe(INPUT_SIZE)
    expect(model.info.camSize).toEqual([INPUT_SIZE / 16, INPUT_SIZE / 16])
    expect(model.info.sha256).toMatch(/^[0-9a-f]{64}$/)
    const frames = [0, 1, 2].map((k) => new Float32Array(INPUT_SIZE * INPUT_SIZE).map((_, i) => Math.sin(i * 0.01 + k)))
    const out = await model.run(frames, 2)
    expect(out.probs).toHaveLength(3)
    expect(out.cams).toHaveLength(3)
    for (const p of out.probs) {
      expect(p).toHaveLength(MODEL_CLASSES.length)
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5)
    }
    for (const c of out.cams) expect(c).toHaveLength(MODEL_CLASSES.length * (INPUT_SIZE / 16) ** 2)
    expect(model.info.sizeBytes).toBeLessThan(10 * 1024 * 1024)
    await model.release()
  })
})

describe('a model with a findings head', () => {
  it('gives one vector of six finding probabilities per frame, in the app order its card confirms', async () => {
    const copy = join(dir.path, 'findings.onnx')
    copyFileSync(join(FIXTURES, 'with-findings.onnx'), copy)
    writeFileSync(join(dir.path, 'findings.card.json'), JSON.stringify({ name: 'findings', outputs: [{ name: 'findings', names: MODEL_FINDINGS }] }))
    const model = await ClassifierModel.load(copy)
    expect(model.info.findings).toEqual([...MODEL_FINDINGS])
    const frames = [0, 1, 2].map((k) => new Float32Array(INPUT_SIZE * INPUT_SIZE).map((_, i) => Math.cos(i * 0.02 + k)))
    const out = await model.run(frames, 2)
    expect(out.findings).toHaveLength(3)
    for (const f of out.findings!) {
      expect(f).toHaveLength(MODEL_FINDINGS.length)
      for (const v of f) {
        expect(v).toBeGreaterThan(0)
        expect(v).toBeLessThan(1)
      }
    }
    await model.release()
  })

  it('the shipped model has the head exactly when its card lists the output', async () => {
    const shipped = await ClassifierModel.load(SHIPPED_MODEL)
    const card = shipped.info.card as { outputs?: { name: string }[] } | null
    expect(shipped.info.findings !== null).toBe(Boolean(card?.outputs?.some((o) => o.name === 'findings')))
    const out = await shipped.run([new Float32Array(INPUT_SIZE * INPUT_SIZE)])
    expect(out.findings === null).toBe(shipped.info.findings === null)
    await shipped.release()
  })
})

describe('a bad model file is refused with a message a user can act on', () => {
  it('missing', async () => {
    await expect(ClassifierModel.load(join(dir.path, 'absent.onnx'))).rejects.toThrow(/was not found.*npm run train/)
  })

  it('corrupt', async () => {
    const bad = join(dir.path, 'corrupt.onnx')
    writeFileSync(bad, Buffer.from('definitely not a protobuf'.repeat(50)))
    const e = await ClassifierModel.load(bad).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ModelError)
    expect((e as Error).message).toMatch(/corrupt\.onnx is not a usable ONNX model/)
  })

  it('other inputs and outputs', async () => {
    await expect(ClassifierModel.load(join(FIXTURES, 'wrong-io.onnx'))).rejects.toThrow(/inputs \[x\] and outputs \[y\]; the app needs one input "input" and outputs "probs" and "cam"/)
  })

  it('another number of classes', async () => {
    await expect(ClassifierModel.load(join(FIXTURES, 'three-classes.onnx'))).rejects.toThrow(/probabilities of shape \[1, 3\]/)
  })

  it('findings of another count', async () => {
    await expect(ClassifierModel.load(join(FIXTURES, 'five-findings.onnx'))).rejects.toThrow(/findings of shape \[1, 5\]; the app expects \[N, 6\] \(Effusion, /)
  })

  it('findings whose card lists another order', async () => {
    const copy = join(dir.path, 'reordered.onnx')
    copyFileSync(join(FIXTURES, 'with-findings.onnx'), copy)
    const names = [...MODEL_FINDINGS].reverse()
    writeFileSync(join(dir.path, 'reordered.card.json'), JSON.stringify({ name: 'reordered', outputs: [{ name: 'findings', names }] }))
    await expect(ClassifierModel.load(copy)).rejects.toThrow(/card lists findings Air bronchogram, .*in that order/)
  })

  it('a card describing another file is reported, not fatal', async () => {
    const copy = join(dir.path, 'lusnet.onnx')
    copyFileSync(SHIPPED_MODEL, copy)
    writeFileSync(join(dir.path, 'lusnet.card.json'), JSON.stringify({ name: 'lusnet', version: '9', sha256: '0'.repeat(64) }))
    const model = await ClassifierModel.load(copy)
    expect(model.info.cardWarning).toMatch(/describes another file/)
    await model.release()
  })
})
