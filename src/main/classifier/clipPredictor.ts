/**
 * One clip → one prediction: frames at 3 Hz through ffmpeg, the shared
 * preprocessing, the model, and the mean of the frame probabilities.
 */
import { clipProbabilities, entropyBits, MODEL_CLASSES, predictedClass, predictedLusClass, preprocessFrame, type LusClass, type ModelClass } from '../../shared/classifierPreprocess'
import { ProcessError } from '../media/processRun'
import { sampleClip } from './frameSampler'
import type { ClassifierModel } from './modelSession'

export type ClipPrediction =
  | {
      ok: true
      probabilities: Record<ModelClass, number>
      predicted: ModelClass
      lusPredicted: LusClass
      entropy: number
      framesUsed: number
      /** Per-frame probabilities, in sample order (for a timeline). */
      frameProbs: number[][]
      /** Sample index of each frame used (time = index / 3 s). */
      sampleIndex: number[]
    }
  | { ok: false; reason: string; framesUsed: 0 }

export async function predictClip(model: ClassifierModel, file: string, options: { signal?: AbortSignal } = {}): Promise<ClipPrediction> {
  let sampled
  try {
    sampled = await sampleClip(file, (frame) => preprocessFrame(frame).tensor, { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: 300_000 })
  } catch (e) {
    if (e instanceof ProcessError && e.aborted) throw e
    return { ok: false, reason: (e as Error).message, framesUsed: 0 }
  }
  const { probs } = await model.run(sampled.frames)
  const mean = clipProbabilities(probs)
  const probabilities = Object.fromEntries(MODEL_CLASSES.map((c, i) => [c, mean[i]!])) as Record<ModelClass, number>
  return {
    ok: true,
    probabilities,
    predicted: predictedClass(mean),
    lusPredicted: predictedLusClass(mean),
    entropy: entropyBits(mean),
    framesUsed: probs.length,
    frameProbs: probs.map((p) => Array.from(p)),
    sampleIndex: sampled.sampleIndex
  }
}
