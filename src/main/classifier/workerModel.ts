/**
 * The main thread's handle on a model loaded in modelWorker.ts: the same
 * info and `run` as ClassifierModel, with each run's frames transferred (not
 * copied) to the worker and its probabilities sent back. Activation maps stay
 * in the worker: pre-labelling does not store them.
 */
import type { Worker } from 'node:worker_threads'
import { startWorker } from '../jobs/workerThread'
import { ModelError, type LoadedModelInfo, type ModelOutput, type ModelRunner } from './modelSession'

export interface ModelWorkerData {
  modelPath: string
}

export type ModelWorkerRequest = { type: 'run'; id: number; tensors: Float32Array[]; batchSize: number } | { type: 'release' }

export type ModelWorkerAnswer =
  | { type: 'loaded'; info: LoadedModelInfo }
  | { type: 'loadFailed'; modelError: boolean; message: string }
  | { type: 'ran'; id: number; probs: Float32Array[]; findings: Float32Array[] | null }
  | { type: 'runFailed'; id: number; message: string }

export class WorkerModel implements ModelRunner {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (o: ModelOutput) => void; reject: (e: Error) => void }>()
  private stopped: Error | null = null

  private constructor(
    private readonly worker: Worker,
    readonly info: LoadedModelInfo
  ) {
    worker.on('message', (m: ModelWorkerAnswer) => {
      if (m.type !== 'ran' && m.type !== 'runFailed') return
      const p = this.pending.get(m.id)
      this.pending.delete(m.id)
      if (m.type === 'ran') p?.resolve({ probs: m.probs, cams: [], findings: m.findings })
      else p?.reject(new Error(m.message))
    })
    const fail = (e: Error): void => {
      this.stopped ??= e
      for (const p of this.pending.values()) p.reject(this.stopped)
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`The model worker stopped (exit code ${code}).`)))
  }

  /** Starts the worker and waits for its model; a model it refuses rejects with the same ModelError as a load in this thread. */
  static load(modelPath: string): Promise<WorkerModel> {
    const data: ModelWorkerData = { modelPath }
    const worker = startWorker('modelWorker', data)
    return new Promise((resolve, reject) => {
      const onMessage = (m: ModelWorkerAnswer): void => {
        if (m.type === 'loaded') {
          worker.off('message', onMessage)
          worker.off('exit', onExit)
          resolve(new WorkerModel(worker, m.info))
        } else if (m.type === 'loadFailed') {
          worker.off('exit', onExit)
          void worker.terminate()
          reject(m.modelError ? new ModelError(m.message) : new Error(m.message))
        }
      }
      const onExit = (code: number): void => reject(new Error(`The model worker stopped (exit code ${code}) before loading the model.`))
      worker.on('message', onMessage)
      worker.on('error', reject)
      worker.on('exit', onExit)
    })
  }

  run(tensors: readonly Float32Array[], batchSize = 16): Promise<ModelOutput> {
    if (this.stopped) return Promise.reject(this.stopped)
    const id = this.nextId++
    const request: ModelWorkerRequest = { type: 'run', id, tensors: [...tensors], batchSize }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      // The frames are the caller's to give away: pre-labelling does not read them after the run.
      this.worker.postMessage(request, tensors.map((t) => t.buffer as ArrayBuffer))
    })
  }

  async release(): Promise<void> {
    if (this.stopped) return
    this.stopped = new Error('The model was released.')
    this.worker.postMessage({ type: 'release' } satisfies ModelWorkerRequest)
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), 2000)
      this.worker.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
    })
  }
}
