/**
 * The classifier's long operations (pre-labelling the catalog, the leakage
 * check) as jobs the UI polls, like imports (src/main/jobs/jobRegistry.ts),
 * plus cancellation: a cancelled job stops between clips and kills the ffmpeg
 * process it is waiting on.
 */
import { randomUUID } from 'node:crypto'
import { UserError } from '../errors'

export type ClassifierJobKind = 'prelabel' | 'leakage'
export type ClassifierJobState = 'running' | 'done' | 'failed' | 'cancelled'

export interface ClassifierJobView<R> {
  id: string
  kind: ClassifierJobKind
  state: ClassifierJobState
  done: number
  total: number
  message: string
  result: R | null
  error: string | null
  startedAt: string
  finishedAt: string | null
}

export interface JobControl {
  signal: AbortSignal
  update(done: number, total: number, message: string): void
}

const KEEP_FINISHED = 20

export class ClassifierJobs<R> {
  private readonly jobs = new Map<string, { view: ClassifierJobView<R>; controller: AbortController; finished: Promise<void> }>()

  start(kind: ClassifierJobKind, run: (ctl: JobControl) => Promise<R>): string {
    if (this.busy(kind)) throw new UserError('conflict', `A ${kind === 'prelabel' ? 'pre-labelling run' : 'leakage check'} is already running; wait for it or cancel it.`)
    const id = randomUUID()
    const controller = new AbortController()
    const view: ClassifierJobView<R> = {
      id,
      kind,
      state: 'running',
      done: 0,
      total: 0,
      message: 'Starting',
      result: null,
      error: null,
      startedAt: new Date().toISOString(),
      finishedAt: null
    }
    const ctl: JobControl = {
      signal: controller.signal,
      update: (done, total, message) => {
        view.done = done
        view.total = total
        view.message = message
      }
    }
    const finished = run(ctl).then(
      (result) => {
        // A run that noticed the cancellation returns what it had; report it as cancelled.
        view.state = controller.signal.aborted ? 'cancelled' : 'done'
        view.result = result
        view.message = controller.signal.aborted ? 'Cancelled' : 'Finished'
      },
      (e: unknown) => {
        if (controller.signal.aborted) {
          view.state = 'cancelled'
          view.message = 'Cancelled'
        } else {
          view.state = 'failed'
          view.error = e instanceof UserError ? e.message : `Unexpected error: ${(e as Error).message}`
          view.message = 'Failed'
        }
      }
    )
    const settled = finished.finally(() => {
      view.finishedAt = new Date().toISOString()
      this.prune()
    })
    this.jobs.set(id, { view, controller, finished: settled })
    return id
  }

  get(id: string): ClassifierJobView<R> {
    const job = this.jobs.get(id)
    if (!job) throw new UserError('not_found', `No classifier job ${id}.`)
    return { ...job.view }
  }

  /** Asks the job to stop; it settles as `cancelled` once its current clip is abandoned. */
  cancel(id: string): ClassifierJobView<R> {
    const job = this.jobs.get(id)
    if (!job) throw new UserError('not_found', `No classifier job ${id}.`)
    if (job.view.state === 'running') {
      job.controller.abort()
      job.view.message = 'Cancelling'
    }
    return { ...job.view }
  }

  busy(kind: ClassifierJobKind): boolean {
    return [...this.jobs.values()].some((j) => j.view.kind === kind && j.view.state === 'running')
  }

  /** Resolves when the job has settled (tests, and closing the app). */
  async settled(id: string): Promise<ClassifierJobView<R>> {
    const job = this.jobs.get(id)
    if (!job) throw new UserError('not_found', `No classifier job ${id}.`)
    await job.finished
    return { ...job.view }
  }

  /** Cancels every running job and waits for them. */
  async close(): Promise<void> {
    for (const j of this.jobs.values()) if (j.view.state === 'running') j.controller.abort()
    await Promise.all([...this.jobs.values()].map((j) => j.finished))
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.state !== 'running')
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.view.id)
  }
}
