import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { INPUT_SIZE, MODEL_FINDINGS } from '../../../src/shared/classifierPreprocess'
import { ClassifierModel, ModelError } from '../../../src/main/classifier/modelSession'
import { WorkerModel } from '../../../src/main/classifier/workerModel'
import { FIXTURES, SHIPPED_MODEL } from './helpers'

const frames = (n: number): Float32Array[] => Array.from({ length: n }, (_, k) => new Float32Array(INPUT_SIZE * INPUT_SIZE).map((_, i) => Math.sin(i * 0.013 + k)))

describe('the model in a worker thread', () => {
  it('gives the same probabilities and findings as the model in this thread', async () => {
    for (const file of [SHIPPED_MODEL, join(FIXTURES, 'with-findings.onnx')]) {
      const here = await ClassifierModel.load(file)
      const there = await WorkerModel.load(file)
      try {
        expect(there.info.sha256).toBe(here.info.sha256)
        expect(there.info.findings).toEqual(here.info.findings)
        const expected = await here.run(frames(5), 2)
        const got = await there.run(frames(5), 2)
        expect(got.probs.map((p) => Array.from(p))).toEqual(expected.probs.map((p) => Array.from(p)))
        expect(got.findings?.map((f) => Array.from(f)) ?? null).toEqual(expected.findings?.map((f) => Array.from(f)) ?? null)
        if (got.findings) expect(got.findings[0]).toHaveLength(MODEL_FINDINGS.length)
        // Activation maps stay in the worker: pre-labelling does not keep them.
        expect(got.cams).toEqual([])
      } finally {
        await here.release()
        await there.release()
      }
    }
  })

  it('refuses a wrong model with the same words as a load in this thread', async () => {
    const file = join(FIXTURES, 'three-classes.onnx')
    const e = await WorkerModel.load(file).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ModelError)
    expect((e as Error).message).toMatch(/probabilities of shape \[1, 3\]/)
  })

  it('answers runs after release with an error, not a hang', async () => {
    const model = await WorkerModel.load(SHIPPED_MODEL)
    await model.release()
    await expect(model.run(frames(1))).rejects.toThrow(/released/)
  })
})
