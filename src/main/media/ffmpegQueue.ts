/**
 * The bounded background queue every media process goes through: at most
 * `concurrency` jobs run at once (each is one ffmpeg/ffprobe process or a
 * file hash), lower priority numbers first, FIFO within a priority.
 *
 * Jobs are keyed by what they produce (`proxy:<sha256>`), so asking twice
 * for the same result — two media rows with the same content, a poll while
 * it is being made — joins the existing job instead of starting another.
 * Finished jobs stay in the map: their results answer later polls
 * synchronously, and a failure is not retried on every poll.
 */
import { ProcessError } from './processRun'

export type JobKind = 'hash' | 'analyze' | 'proxy' | 'frames' | 'thumb'

/** Interactive requests (the clip on screen) before background work; thumbnails last. */
export const PRIORITY = { interactive: 0, background: 1, backgroundLow: 2 } as const

export interface JobContext {
  signal: AbortSignal
  /** 0..1 */
  progress(fraction: number): void
}

export interface JobSpec<T> {
  key: string
  kind: JobKind
  priority: number
  run(ctx: JobContext): Promise<T>
}

export type JobState = 'pending' | 'running' | 'done' | 'failed'

export interface JobView<T> {
  state: JobState
  progress: number | null
  result: T | null
  error: string | null
}

interface Job<T> extends JobView<T> {
  spec: JobSpec<T>
  seq: number
  controller: AbortController
  promise: Promise<T>
  settle: { resolve(v: T): void; reject(e: Error): void }
}

export interface KindCounts {
  total: number
  done: number
  failed: number
  running: number
  pending: number
}

export class QueueClosedError extends Error {
  constructor() {
    super('The media queue was closed.')
  }
}

export class FfmpegQueue {
  // Job<unknown> erases each job's result type; get()/submit() restore it by key, which is unique per result.
  private readonly jobs = new Map<string, Job<unknown>>()
  private readonly running = new Set<Job<unknown>>()
  private readonly finishing = new Set<Promise<void>>()
  private seq = 0
  private closed = false

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`bad concurrency ${concurrency}`)
  }

  /** Starts the job unless one with this key exists; raises the existing job's priority if asked with a higher one. */
  submit<T>(spec: JobSpec<T>): Promise<T> {
    if (this.closed) {
      const p = Promise.reject(new QueueClosedError())
      p.catch(() => {})
      return p
    }
    const existing = this.jobs.get(spec.key) as Job<T> | undefined
    if (existing) {
      if (existing.state === 'pending' && spec.priority < existing.spec.priority) existing.spec = { ...existing.spec, priority: spec.priority }
      return existing.promise
    }
    let settle!: Job<T>['settle']
    const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }))
    // Callers may fire and forget (playback() polls instead of awaiting): a failure is
    // recorded in the job, so it must not also surface as an unhandled rejection.
    promise.catch(() => {})
    const job: Job<T> = {
      spec,
      seq: this.seq++,
      controller: new AbortController(),
      promise,
      settle,
      state: 'pending',
      progress: null,
      result: null,
      error: null
    }
    this.jobs.set(spec.key, job as Job<unknown>)
    this.pump()
    return promise
  }

  get<T>(key: string): JobView<T> | undefined {
    return this.jobs.get(key) as Job<T> | undefined
  }

  /** Drops a finished job so that the next submit runs it again (after a relink, say). */
  forget(key: string): void {
    const job = this.jobs.get(key)
    if (job && (job.state === 'done' || job.state === 'failed')) this.jobs.delete(key)
  }

  counts(kind: JobKind): KindCounts {
    const c: KindCounts = { total: 0, done: 0, failed: 0, running: 0, pending: 0 }
    for (const job of this.jobs.values()) {
      if (job.spec.kind !== kind) continue
      c.total++
      c[job.state]++
    }
    return c
  }

  /** Cancels every job: pending ones never start, running ones are aborted and awaited (they clean up after themselves). */
  async close(): Promise<void> {
    this.closed = true
    for (const job of this.jobs.values()) {
      if (job.state === 'pending') this.fail(job, new QueueClosedError())
      else if (job.state === 'running') job.controller.abort()
    }
    await Promise.all([...this.finishing])
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency) {
      const next = this.nextPending()
      if (!next) return
      this.start(next)
    }
  }

  private nextPending(): Job<unknown> | undefined {
    let best: Job<unknown> | undefined
    for (const job of this.jobs.values()) {
      if (job.state !== 'pending') continue
      if (!best || job.spec.priority < best.spec.priority || (job.spec.priority === best.spec.priority && job.seq < best.seq)) best = job
    }
    return best
  }

  private start(job: Job<unknown>): void {
    job.state = 'running'
    job.progress = 0
    this.running.add(job)
    const ctx: JobContext = {
      signal: job.controller.signal,
      progress: (f) => {
        if (Number.isFinite(f)) job.progress = Math.min(1, Math.max(0, f))
      }
    }
    const finished: Promise<void> = this.execute(job, ctx).finally(() => {
      this.running.delete(job)
      this.finishing.delete(finished)
      this.pump()
    })
    this.finishing.add(finished)
  }

  private async execute(job: Job<unknown>, ctx: JobContext): Promise<void> {
    try {
      const result = await job.spec.run(ctx)
      job.state = 'done'
      job.progress = 1
      job.result = result
      job.settle.resolve(result)
    } catch (e) {
      this.fail(job, e instanceof ProcessError && e.aborted ? new QueueClosedError() : toError(e))
    }
  }

  private fail(job: Job<unknown>, e: Error): void {
    job.state = 'failed'
    job.error = e.message
    job.settle.reject(e)
  }
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e))
}
