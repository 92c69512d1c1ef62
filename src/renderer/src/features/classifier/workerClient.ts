/** Promise-based calls into classifier.worker.ts. */
import type { FramePixels, InferResult, InitRequest, InitResult, WorkerRequest, WorkerResponse } from './protocol'

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void }

export class ClassifierWorker {
  private readonly worker: Worker
  private next = 1
  private readonly pending = new Map<number, Pending>()

  constructor() {
    this.worker = new Worker(new URL('./classifier.worker.ts', import.meta.url), { type: 'module', name: 'lus-classifier' })
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const r = event.data
      const p = this.pending.get(r.id)
      if (!p) return
      this.pending.delete(r.id)
      if (r.ok) p.resolve(r.value)
      else p.reject(new Error(r.error))
    }
    this.worker.onerror = (event) => {
      const error = new Error(`The classifier worker failed: ${event.message || 'it could not be started'}`)
      for (const p of this.pending.values()) p.reject(error)
      this.pending.clear()
    }
  }

  private call<T>(request: WorkerRequest, transfer: Transferable[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(request.id, { resolve: resolve as (v: unknown) => void, reject })
      this.worker.postMessage(request, transfer)
    })
  }

  init(args: Omit<InitRequest, 'type' | 'id'>): Promise<InitResult> {
    return this.call({ type: 'init', id: this.next++, ...args })
  }

  infer(frames: FramePixels[]): Promise<InferResult> {
    return this.call({ type: 'infer', id: this.next++, frames }, frames.map((f) => f.data.buffer))
  }

  loseDevice(): Promise<boolean> {
    return this.call({ type: 'loseDevice', id: this.next++ })
  }

  terminate(): void {
    this.worker.terminate()
    const error = new Error('The classifier was stopped.')
    for (const p of this.pending.values()) p.reject(error)
    this.pending.clear()
  }
}
