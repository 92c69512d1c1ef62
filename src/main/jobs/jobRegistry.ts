/**
 * Every long operation (dataset and DICOM imports, PACS pulls, rebuilds,
 * bundle exports, pre-labelling, the leakage check) runs as a job in one
 * registry the UI polls, so progress works the same over IPC and HTTP without
 * a push channel, one question says whether anything is running (a restore
 * must wait), and every job can be cancelled the same way: its run gets an
 * AbortSignal. Each domain turns a record into its own contract view
 * (jobViews.ts), so the API's answers are the ones the renderer knows.
 */
import { randomUUID } from 'node:crypto'
import { UserError } from '../errors'
import { JOB_KINDS, JOB_PHRASES, type JobKind } from './jobKinds'

export type JobState = 'running' | 'done' | 'failed' | 'cancelled'

/** What a job's run is given: the signal a cancellation aborts, and a progress report. */
export interface JobControl {
  readonly signal: AbortSignal
  update(done: number, total: number, message: string): void
}

/** One job as the registry knows it; `result` is what its run returned, `failure` what it threw. */
export interface JobRecord<R = unknown> {
  readonly id: string
  readonly kind: JobKind
  state: JobState
  done: number
  total: number
  message: string
  result: R | null
  /** The failure in words for the user (a UserError's message, else "Unexpected error: …"). */
  error: string | null
  failure: unknown
  readonly startedAt: string
  finishedAt: string | null
}

export interface StartOptions {
  /**
   * Start the run on the next turn of the event loop: whatever it does before
   * its first await (reading a CSV in-thread) must not delay the answer that
   * carries its id. Otherwise the run starts at once.
   */
  nextTurn?: boolean
}

/** Finished jobs kept per kind, for the UI's last poll. */
const KEEP_FINISHED = 50

interface Entry {
  record: JobRecord
  controller: AbortController
  finished: Promise<void>
}

export class JobRegistry {
  private readonly jobs = new Map<string, Entry>()

  start<R>(kind: JobKind, run: (ctl: JobControl) => Promise<R>, options: StartOptions = {}): string {
    const id = randomUUID()
    const controller = new AbortController()
    const record: JobRecord<R> = {
      id,
      kind,
      state: 'running',
      done: 0,
      total: 0,
      message: 'Starting',
      result: null,
      error: null,
      failure: null,
      startedAt: new Date().toISOString(),
      finishedAt: null
    }
    const ctl: JobControl = {
      signal: controller.signal,
      update: (done, total, message) => {
        record.done = done
        record.total = total
        record.message = message
      }
    }
    const started = options.nextTurn ? new Promise<void>((ok) => setImmediate(ok)).then(() => run(ctl)) : run(ctl)
    const finished = started
      .then(
        (result) => {
          // A run that noticed the cancellation returns what it had; it is reported as cancelled.
          record.state = controller.signal.aborted ? 'cancelled' : 'done'
          record.result = result
          record.message = controller.signal.aborted ? 'Cancelled' : 'Finished'
        },
        (e: unknown) => {
          if (controller.signal.aborted) {
            record.state = 'cancelled'
            record.message = 'Cancelled'
            return
          }
          record.state = 'failed'
          record.failure = e
          record.error = e instanceof UserError ? e.message : `Unexpected error: ${(e as Error).message}`
          record.message = 'Failed'
        }
      )
      .finally(() => {
        record.finishedAt = new Date().toISOString()
        this.prune(kind)
      })
    this.jobs.set(id, { record, controller, finished })
    return id
  }

  /** A copy of the job's record, or undefined when there is no such job (or it was pruned). */
  find(id: string): JobRecord | undefined {
    const entry = this.jobs.get(id)
    return entry ? { ...entry.record } : undefined
  }

  /** A copy of the job's record; not_found when there is none. */
  get(id: string): JobRecord {
    const record = this.find(id)
    if (!record) throw new UserError('not_found', `No job ${id}.`)
    return record
  }

  /** Asks a running job to stop (its signal aborts); it settles as `cancelled`. Returns its record as it is now. */
  cancel(id: string): JobRecord | undefined {
    const entry = this.jobs.get(id)
    if (!entry) return undefined
    if (entry.record.state === 'running') {
      entry.controller.abort()
      entry.record.message = 'Cancelling'
    }
    return { ...entry.record }
  }

  /** Whether a job of one of these kinds (any kind when none are named) is running. */
  busy(...kinds: JobKind[]): boolean {
    return [...this.jobs.values()].some((j) => j.record.state === 'running' && (kinds.length === 0 || kinds.includes(j.record.kind)))
  }

  /** The long job running now, as a phrase for a message ("An import", "A pre-labelling run"), or null. */
  runningJob(): string | null {
    const kind = JOB_KINDS.find((k) => this.busy(k))
    return kind ? JOB_PHRASES[kind] : null
  }

  /** Resolves once the job has settled (tests, the CLI, and closing the app). */
  async settled(id: string): Promise<JobRecord> {
    const entry = this.jobs.get(id)
    if (!entry) throw new UserError('not_found', `No job ${id}.`)
    await entry.finished
    return { ...entry.record }
  }

  /** Cancels the running jobs of these kinds and waits for them to settle. */
  async cancelAll(...kinds: JobKind[]): Promise<void> {
    const mine = [...this.jobs.values()].filter((j) => kinds.includes(j.record.kind))
    for (const j of mine) if (j.record.state === 'running') j.controller.abort()
    await Promise.all(mine.map((j) => j.finished))
  }

  private prune(kind: JobKind): void {
    const finished = [...this.jobs.values()].filter((j) => j.record.kind === kind && j.record.state !== 'running')
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.record.id)
  }
}
