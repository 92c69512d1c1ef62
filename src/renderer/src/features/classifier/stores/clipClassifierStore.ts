/**
 * Live predictions for the clip open in review: frames sampled from the
 * playback URL on the main thread, preprocessed and inferred in the worker
 * (WebGPU preferred, WASM fallback). Holds per-frame probabilities and CAMs
 * for the timeline and the heatmap, and the video-level prediction.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import {
  MODEL_CLASSES,
  argmax,
  clipFindings,
  clipProbabilities,
  entropyBits,
  predictedClass,
  type Box,
  type ModelClass
} from '../../../../../shared/classifierPreprocess'
import type { FindingProbabilities, ModelInfo, Prediction } from '../../../../../shared/classifierContract'
import { mediaUrl } from '../../../api/client'
import { usePlayerStore, useReviewStore } from '../../review'
import { callClassifier } from '../api'
import { PREFS_KEY, useClassifierPrefs } from '../composables/useClassifierPrefs'
import { FrameSampler, grabImage, sampleTimes } from '../frameSampler'
import { modelUrl, wasmUrl } from '../modelSource'
import type { BackendName, BackendPreference, FramePixels, InitResult } from '../protocol'
import { ClassifierWorker } from '../workerClient'

const BATCH = 8

export interface FramePrediction {
  /** Media time of the sample (s). */
  time: number
  probs: number[]
  cam: Float32Array
  box: Box
  width: number
  height: number
  /** Finding probabilities (MODEL_FINDINGS order); null for a model without a findings head. */
  findings: number[] | null
}

export type ClassifierState = 'idle' | 'loading-model' | 'running' | 'done' | 'unavailable' | 'failed'

/** One point of the probability timeline: a sample's media time and its class probabilities. */
export interface TimelinePoint {
  time: number
  probs: readonly number[]
}

export const useClipClassifierStore = defineStore('clipClassifier', () => {
  const player = usePlayerStore()
  const { prefer, mode, limit, opacity } = useClassifierPrefs()
  const showHeatmap = ref(true)
  /** Which class's map the heatmap shows; null: the frame's predicted class. */
  const camClass = ref<ModelClass | null>(null)

  const state = ref<ClassifierState>('idle')
  const error = ref<string | null>(null)
  const modelInfo = shallowRef<ModelInfo | null>(null)
  const loaded = shallowRef<InitResult | null>(null)
  const backend = ref<BackendName | null>(null)
  const fallbackReason = ref<string | null>(null)
  const mediaId = ref<number | null>(null)
  const frames = shallowRef<FramePrediction[]>([])
  const total = ref(0)
  /** Model time only (worker's session.run), and the whole run (seek + draw + preprocess + run). */
  const inferMs = ref(0)
  const wallMs = ref(0)

  let worker: ClassifierWorker | null = null
  let initFor: BackendPreference | null = null
  let run = 0

  // The stored prediction of the clip under review (pre-labelled in main), shown until a live run replaces it.
  const review = useReviewStore()
  const stored = shallowRef<Prediction | null>(null)
  const storedError = ref<string | null>(null)
  let storedRequest = 0
  async function loadStored(entryId: number | null): Promise<void> {
    const mine = ++storedRequest
    stored.value = null
    storedError.value = null
    if (entryId === null) return
    const r = await callClassifier('classifier/prediction', { entryId })
    if (mine !== storedRequest) return
    if (r.ok) stored.value = r.value.prediction
    else storedError.value = r.error.message
  }
  watch(() => review.entryId, (id) => void loadStored(id), { immediate: true })

  const live = computed(() => frames.value.length > 0 && mediaId.value === player.mediaId)
  /** What the timeline draws: this run's frames, else the stored prediction's. */
  const timeline = computed<{ source: 'live' | 'stored' | null; points: readonly TimelinePoint[] }>(() => {
    if (live.value) return { source: 'live', points: frames.value }
    const p = stored.value
    if (p && p.entryId === review.entryId && p.frames && p.frames.length > 0) return { source: 'stored', points: p.frames }
    return { source: null, points: [] }
  })

  const modelFps = computed(() => (inferMs.value > 0 ? (frames.value.length * 1000) / inferMs.value : null))
  const wallFps = computed(() => (wallMs.value > 0 ? (frames.value.length * 1000) / wallMs.value : null))

  const clipProbs = computed(() => (frames.value.length > 0 ? clipProbabilities(frames.value.map((f) => f.probs)) : null))
  const predicted = computed(() => (clipProbs.value ? predictedClass(clipProbs.value) : null))
  const entropy = computed(() => (clipProbs.value ? entropyBits(clipProbs.value) : null))
  /** The model's expert findings for the clip: this run's (mean over its frames), else the stored prediction's; null when the model has no findings head. */
  const findings = computed<{ source: 'live' | 'stored'; list: FindingProbabilities } | null>(() => {
    if (live.value) {
      const per = frames.value.map((f) => f.findings)
      return per.every((f): f is number[] => f !== null) ? { source: 'live', list: clipFindings(per) } : null
    }
    const p = stored.value
    if (p && p.entryId === review.entryId && p.findings && p.findings.length > 0) return { source: 'stored', list: p.findings }
    return null
  })
  /** Per class, how many frames it won; the majority vote is the class with most. */
  const votes = computed(() => {
    const counts = MODEL_CLASSES.map(() => 0)
    for (const f of frames.value) counts[argmax(f.probs)]! += 1
    return counts
  })
  const majority = computed(() => (frames.value.length > 0 ? MODEL_CLASSES[argmax(votes.value)]! : null))
  const notLung = computed(() => predicted.value === 'uninformative')

  /** The sample nearest the frame on screen. */
  const current = computed<FramePrediction | null>(() => {
    const list = frames.value
    if (list.length === 0 || mediaId.value !== player.mediaId) return null
    const t = player.frameTimes[player.frame] ?? 0
    let best = list[0]!
    for (const f of list) if (Math.abs(f.time - t) < Math.abs(best.time - t)) best = f
    return best
  })
  const currentClassIndex = computed(() => {
    if (camClass.value !== null) return MODEL_CLASSES.indexOf(camClass.value)
    return current.value ? argmax(current.value.probs) : 0
  })

  async function ensureWorker(): Promise<ClassifierWorker | null> {
    if (worker && initFor === prefer.value && loaded.value) return worker
    state.value = 'loading-model'
    error.value = null
    if (modelInfo.value === null) {
      const info = await callClassifier('classifier/modelInfo', {})
      // Without the operation (older backend) the bundled model is used unchecked.
      if (info.ok) modelInfo.value = info.value
    }
    if (modelInfo.value && !modelInfo.value.available) {
      state.value = 'unavailable'
      error.value = modelInfo.value.error ?? 'The backend has no usable model.'
      return null
    }
    worker?.terminate()
    worker = new ClassifierWorker()
    try {
      const result = await worker.init({
        modelUrl: modelUrl(),
        wasmUrl: wasmUrl(),
        prefer: prefer.value,
        expectedSha256: modelInfo.value?.model?.sha256 ?? null
      })
      loaded.value = result
      initFor = prefer.value
      backend.value = result.backend
      fallbackReason.value = result.fallbackReason
      return worker
    } catch (e) {
      worker.terminate()
      worker = null
      loaded.value = null
      state.value = 'unavailable'
      error.value = e instanceof Error ? e.message : String(e)
      return null
    }
  }

  function reset(): void {
    run++
    frames.value = []
    total.value = 0
    inferMs.value = 0
    wallMs.value = 0
    mediaId.value = null
    if (state.value === 'failed') error.value = null
    if (state.value === 'running' || state.value === 'done' || state.value === 'failed') state.value = 'idle'
  }

  /** Classifies the clip the player has open. */
  async function classify(): Promise<void> {
    const id = player.mediaId
    const playback = player.playback
    if (id === null || playback === null || playback.state !== 'ready') return
    const mine = ++run
    frames.value = []
    mediaId.value = id
    inferMs.value = 0
    wallMs.value = 0
    const w = await ensureWorker()
    if (!w || mine !== run) return
    state.value = 'running'
    error.value = null
    const started = performance.now()
    const url = mediaUrl(id, 'playback')
    let sampler: FrameSampler | null = null
    try {
      const batches: { time: number; pixels: FramePixels }[][] = []
      const consume = async (batch: { time: number; pixels: FramePixels }[]): Promise<void> => {
        const sizes = batch.map((b) => ({ width: b.pixels.width, height: b.pixels.height }))
        const result = await w.infer(batch.map((b) => b.pixels))
        if (mine !== run) return
        inferMs.value += result.inferMs
        backend.value = result.backend
        fallbackReason.value = result.fallbackReason
        frames.value = [
          ...frames.value,
          ...result.frames.map((f, i) => ({ ...f, time: batch[i]!.time, width: sizes[i]!.width, height: sizes[i]!.height }))
        ]
      }
      if (player.isImage) {
        total.value = 1
        batches.push([{ time: 0, pixels: await grabImage(url) }])
        await consume(batches[0]!)
      } else {
        sampler = new FrameSampler(url)
        const duration = (await sampler.open()) || (playback.durationS ?? 0)
        const times = sampleTimes(mode.value, duration, player.frameTimes, limit.value ?? undefined)
        total.value = times.length
        let batch: { time: number; pixels: FramePixels }[] = []
        for (const t of times) {
          if (mine !== run) return
          batch.push({ time: t, pixels: await sampler.grab(t) })
          if (batch.length === BATCH) {
            await consume(batch)
            batch = []
          }
        }
        if (batch.length > 0) await consume(batch)
      }
      if (mine !== run) return
      wallMs.value = performance.now() - started
      state.value = 'done'
    } catch (e) {
      if (mine !== run) return
      state.value = 'failed'
      error.value = e instanceof Error ? e.message : String(e)
    } finally {
      sampler?.close()
    }
  }

  /** Test hook (and a manual check): destroys the WebGPU device mid-run. */
  async function loseDevice(): Promise<boolean> {
    return worker ? worker.loseDevice() : false
  }

  async function changeBackend(p: BackendPreference): Promise<void> {
    prefer.value = p
    run++
    worker?.terminate()
    worker = null
    loaded.value = null
    initFor = null
    backend.value = null
    fallbackReason.value = null
    frames.value = []
    state.value = 'idle'
  }

  // Test hook, off unless asked for: lets an e2e spec lose the WebGPU device mid-run.
  try {
    if (window.localStorage.getItem(`${PREFS_KEY}.debug`) === '1')
      (window as Window & { lusClassifierDebug?: unknown }).lusClassifierDebug = { loseDevice }
  } catch {
    // No storage: no hook.
  }

  // A new clip drops the previous clip's predictions.
  watch(
    () => player.mediaId,
    (id) => {
      if (id !== mediaId.value) reset()
    }
  )

  return {
    prefer,
    mode,
    limit,
    opacity,
    showHeatmap,
    camClass,
    state,
    error,
    modelInfo,
    loaded,
    backend,
    fallbackReason,
    mediaId,
    frames,
    total,
    inferMs,
    wallMs,
    modelFps,
    wallFps,
    clipProbs,
    findings,
    predicted,
    entropy,
    votes,
    majority,
    stored,
    storedError,
    loadStored,
    timeline,
    notLung,
    current,
    currentClassIndex,
    classify,
    loseDevice,
    changeBackend,
    reset
  }
})
