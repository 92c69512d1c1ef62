/**
 * The classifier over a catalog: the model (loaded once, lazily; a missing or
 * bad file leaves the service answering "unavailable" with the reason),
 * pre-labelling runs, splits and the leakage check. Used by the API handlers
 * and by `lus-review predict`/`split`.
 */
import { clipFindings, clipProbabilities, entropyBits, MODEL_CLASSES, predictedClass, preprocessFrame, SAMPLE_RATE_HZ, type ModelClass } from '../../shared/classifierPreprocess'
import type { CatalogDb } from '../catalog/database'
import { UserError } from '../errors'
import { ProcessError } from '../media/processRun'
import { catalogClipReader, type CatalogClip } from './catalogClips'
import type { JobControl, JobRegistry } from '../jobs/jobRegistry'
import { ClassifierJobs } from './classifierJobs'
import { sampleClip, type SampledClip } from './frameSampler'
import { findNearDuplicates, hashClips, type NearDuplicate } from './leakageCheck'
import { defaultModelPath, ModelError, type LoadedModelInfo, type ModelRunner } from './modelSession'
import { WorkerModel } from './workerModel'
import { PredictionStore, type FindingProbability, type ModelIdentity } from './predictionStore'
import { writeSplit } from './splitFiles'
import { stratifiedGroupKFold, type SplitResult } from './splits'

export interface PrelabelOptions {
  /** Predict again entries this model already predicted (by default they are skipped while their media are unchanged). */
  force?: boolean
  /** Only these entries (default: every entry with media). */
  entryIds?: number[]
}

export interface PrelabelReport {
  model: ModelIdentity
  considered: number
  predicted: number
  failed: number
  skipped: number
  cancelled: boolean
  durationMs: number
  framesUsed: number
  failures: { entryId: number; filename: string; reason: string }[]
  /**
   * Where the time went, ms. decodeMs: ffmpeg sampling plus preprocessing,
   * summed over clips; it runs while the model works on the previous clip, so
   * decodeWaitMs (the model idle, waiting for frames) is the part it added.
   */
  timing: { decodeMs: number; decodeWaitMs: number; modelMs: number; storeMs: number }
}

export interface ClipResult {
  entryId: number
  filename: string
  ok: boolean
  probabilities: Record<ModelClass, number> | null
  predicted: ModelClass | null
  entropy: number | null
  framesUsed: number
  /** The model's expert findings for the clip; null for a model without a findings head or a failure. */
  findings: FindingProbability[] | null
  reason: string | null
}

export interface LeakageReport {
  folds: number
  seed: number
  clipsHashed: number
  pairs: NearDuplicate[]
  crossFold: number
  hashFailures: { filename: string; reason: string }[]
}

export type ClassifierJobResult = { kind: 'prelabel'; report: PrelabelReport } | { kind: 'leakage'; report: LeakageReport }

export type ModelStatus = { available: true; info: LoadedModelInfo; error: null } | { available: false; info: null; error: string }

/** Frames per inference call: the model runs in its worker, so the batch is sized for the model, not for the event loop. */
const JOB_BATCH = 16

export interface ClassifierServiceOptions {
  /** The app's job registry (the composition root's); a registry of its own when omitted (the CLI). */
  jobs?: JobRegistry
}

export class ClassifierService {
  readonly store: PredictionStore
  readonly jobs: ClassifierJobs<ClassifierJobResult>
  private readonly clips
  private loading: Promise<ModelStatus> | null = null
  private loaded: ModelRunner | null = null

  constructor(
    private readonly db: CatalogDb,
    private readonly modelPath: string = defaultModelPath(),
    private readonly options: ClassifierServiceOptions = {}
  ) {
    this.jobs = new ClassifierJobs<ClassifierJobResult>(options.jobs)
    this.store = new PredictionStore(db)
    this.clips = catalogClipReader(db)
  }

  /** Loads the model on first use; the outcome (the model, or why not) is kept until reload(). */
  modelStatus(): Promise<ModelStatus> {
    // In a worker thread: pre-labelling decodes and preprocesses the next clip while the model runs, on the
    // two cores of a laptop, and inference never holds the event loop.
    this.loading ??= WorkerModel.load(this.modelPath).then(
      (m): ModelStatus => {
        this.loaded = m
        return { available: true, info: m.info, error: null }
      },
      (e: unknown): ModelStatus => {
        const error = e instanceof ModelError ? e.message : `The classifier model could not be loaded: ${(e as Error).message}`
        console.warn(`[lus-review] ${error}`)
        return { available: false, info: null, error }
      }
    )
    return this.loading
  }

  async reload(): Promise<ModelStatus> {
    await this.loaded?.release()
    this.loaded = null
    this.loading = null
    return this.modelStatus()
  }

  async model(): Promise<ModelRunner> {
    const status = await this.modelStatus()
    if (!status.available) throw new UserError('unsupported', `Predictions are not available: ${status.error}`)
    return this.loaded!
  }

  async identity(): Promise<ModelIdentity | null> {
    const s = await this.modelStatus()
    return s.available ? { name: s.info.name, version: s.info.version, sha256: s.info.sha256 } : null
  }

  catalogClips(): CatalogClip[] {
    return this.clips.all()
  }

  /**
   * Predicts clips one after another and stores each result as it comes, so a
   * cancelled or crashed run keeps what it finished. The next clip is decoded
   * (by ffmpeg, another process) while the model runs on the current one.
   */
  async prelabel(options: PrelabelOptions, ctl: JobControl, onClip?: (r: ClipResult) => void): Promise<PrelabelReport> {
    const started = performance.now()
    const model = await this.model()
    const id: ModelIdentity = { name: model.info.name, version: model.info.version, sha256: model.info.sha256 }
    const all = this.clips.all()
    const wanted = options.entryIds ? new Set(options.entryIds) : null
    const considered = wanted ? all.filter((c) => wanted.has(c.entryId)) : all
    if (wanted) {
      const known = new Set(considered.map((c) => c.entryId))
      const unknown = [...wanted].filter((e) => !known.has(e))
      if (unknown.length > 0) throw new UserError('not_found', `No entries with media for id${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 10).join(', ')}.`)
    }
    const done = this.store.predictedEntries(id.sha256)
    const todo = considered.filter((c) => {
      if (options.force) return true
      const before = done.get(c.entryId)
      return !before || before.mediaSha256 !== c.mediaSha256
    })
    const report: PrelabelReport = {
      model: id,
      considered: considered.length,
      predicted: 0,
      failed: 0,
      skipped: considered.length - todo.length,
      cancelled: false,
      durationMs: 0,
      framesUsed: 0,
      failures: [],
      timing: { decodeMs: 0, decodeWaitMs: 0, modelMs: 0, storeMs: 0 }
    }
    const timing = report.timing
    const sample = (c: CatalogClip): Promise<SampledClip<Float32Array>> => {
      const t = performance.now()
      const decoding = sampleClip(c.absPath, (f) => preprocessFrame(f).tensor, { signal: ctl.signal, timeoutMs: 300_000 })
      const decoded = (): void => void (timing.decodeMs += performance.now() - t)
      void decoding.then(decoded, decoded)
      return decoding
    }
    let next: Promise<SampledClip<Float32Array>> | null = todo[0] ? sample(todo[0]) : null
    next?.catch(() => {})
    for (let i = 0; i < todo.length; i++) {
      const clip = todo[i]!
      ctl.update(i, todo.length, `Predicting ${clip.filename}`)
      const current = next!
      next = todo[i + 1] && !ctl.signal.aborted ? sample(todo[i + 1]!) : null
      next?.catch(() => {})
      let result: ClipResult
      try {
        const waitStarted = performance.now()
        const sampled = await current
        timing.decodeWaitMs += performance.now() - waitStarted
        // The whole clip in one request: the worker batches it, and cancelling takes effect between clips (a clip is at most a second of model time).
        const runStarted = performance.now()
        const out = await model.run(sampled.frames, JOB_BATCH)
        timing.modelMs += performance.now() - runStarted
        const probs = out.probs
        if (ctl.signal.aborted) break
        const storeStarted = performance.now()
        const mean = clipProbabilities(probs)
        const probabilities = Object.fromEntries(MODEL_CLASSES.map((c, k) => [c, mean[k]!])) as Record<ModelClass, number>
        // Null from a model without a findings head.
        const findings = out.findings && out.findings.length > 0 ? clipFindings(out.findings) : null
        result = {
          entryId: clip.entryId,
          filename: clip.filename,
          ok: true,
          probabilities,
          predicted: predictedClass(mean),
          entropy: entropyBits(mean),
          framesUsed: probs.length,
          findings,
          reason: null
        }
        // Sample k of the 3 Hz sampler lies at k / rate seconds (a still image: its one sample at 0).
        const frames = probs.map((p, j) => ({ time: (sampled.sampleIndex[j] ?? j) / SAMPLE_RATE_HZ, probs: Array.from(p) }))
        this.store.save(id, {
          entryId: clip.entryId,
          mediaSha256: clip.mediaSha256,
          ok: true,
          probabilities,
          predicted: result.predicted!,
          entropy: result.entropy!,
          framesUsed: probs.length,
          frames,
          findings
        })
        timing.storeMs += performance.now() - storeStarted
        report.predicted++
        report.framesUsed += probs.length
      } catch (e) {
        if (ctl.signal.aborted || (e instanceof ProcessError && e.aborted)) break
        const reason = (e as Error).message
        result = { entryId: clip.entryId, filename: clip.filename, ok: false, probabilities: null, predicted: null, entropy: null, framesUsed: 0, findings: null, reason }
        this.store.save(id, { entryId: clip.entryId, mediaSha256: clip.mediaSha256, ok: false, reason })
        report.failed++
        report.failures.push({ entryId: clip.entryId, filename: clip.filename, reason })
      }
      onClip?.(result)
    }
    report.cancelled = ctl.signal.aborted
    report.durationMs = Math.round(performance.now() - started)
    // A clip prefetched when the run stopped adds its decoding time later, to `timing`: the report keeps whole figures as they are now.
    report.timing = { decodeMs: Math.round(timing.decodeMs), decodeWaitMs: Math.round(timing.decodeWaitMs), modelMs: Math.round(timing.modelMs), storeMs: Math.round(timing.storeMs) }
    ctl.update(report.predicted + report.failed, todo.length, report.cancelled ? 'Cancelled' : 'Finished')
    return report
  }

  startPrelabel(options: PrelabelOptions): string {
    return this.jobs.start('prelabel', async (ctl) => ({ kind: 'prelabel', report: await this.prelabel(options, ctl) }))
  }

  split(folds: number, seed: number): SplitResult {
    const clips = this.clips.all()
    if (clips.length === 0) throw new UserError('bad_input', 'The catalog has no entries with media to split.')
    try {
      return stratifiedGroupKFold(clips, folds, seed)
    } catch (e) {
      throw new UserError('bad_input', `Cannot split: ${(e as Error).message}.`)
    }
  }

  async writeSplit(split: SplitResult, outDir: string, frames: boolean, ctl?: JobControl): Promise<string[]> {
    const written = await writeSplit(split, outDir, frames ? { frames: { clips: this.clips.all(), ...(ctl ? { signal: ctl.signal, onProgress: (d, t) => ctl.update(d, t, 'Writing frames') } : {}) } } : {})
    return written.files
  }

  async leakageCheck(folds: number, seed: number, ctl: JobControl): Promise<LeakageReport> {
    const clips = this.clips.all()
    const split = this.split(folds, seed)
    const foldOf = new Map(split.assignments.map((a) => [a.entryId, a.fold]))
    const { hashed, failed } = await hashClips(clips, { signal: ctl.signal, onProgress: (d, t) => ctl.update(d, t, 'Hashing frames') })
    const pairs = findNearDuplicates(hashed, (e) => foldOf.get(e) ?? null)
    return { folds, seed, clipsHashed: clips.length - failed.length, pairs, crossFold: pairs.filter((p) => p.crossFold).length, hashFailures: failed }
  }

  startLeakageCheck(folds: number, seed: number): string {
    this.split(folds, seed) // refuse bad arguments now, not in the job
    return this.jobs.start('leakage', async (ctl) => ({ kind: 'leakage', report: await this.leakageCheck(folds, seed, ctl) }))
  }

  async close(): Promise<void> {
    await this.jobs.close()
    await this.loaded?.release()
  }
}
