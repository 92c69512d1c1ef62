/**
 * Long operations (imports) run as jobs the UI polls, so progress works the
 * same over IPC and HTTP without a push channel.
 */
import { randomUUID } from 'node:crypto'
import type { ImportReport, Job } from '../../shared/contract'
import { UserError } from '../errors'

const KEEP_FINISHED = 50

export class JobRegistry {
  private readonly jobs = new Map<string, Job>()

  start(kind: Job['kind'], run: (update: (done: number, total: number, message: string) => void) => Promise<ImportReport>): string {
    const id = randomUUID()
    const job: Job = { id, kind, state: 'running', done: 0, total: 0, message: 'Starting', report: null, error: null }
    this.jobs.set(id, job)
    const update = (done: number, total: number, message: string): void => {
      job.done = done
      job.total = total
      job.message = message
    }
    // Started on the next turn of the event loop: whatever the job does before its first await (reading a
    // CSV in-thread) must not delay the answer that carries its id.
    const started = new Promise<void>((ok) => setImmediate(ok)).then(() => run(update))
    started.then(
      (report) => {
        job.state = 'done'
        job.report = report
        job.message = 'Finished'
        this.prune()
      },
      (e: unknown) => {
        job.state = 'failed'
        job.error = e instanceof UserError ? e.message : `Unexpected error: ${(e as Error).message}`
        job.message = 'Failed'
        this.prune()
      }
    )
    return id
  }

  get(id: string): Job {
    const job = this.jobs.get(id)
    if (!job) throw new UserError('not_found', `No job ${id}.`)
    return { ...job }
  }

  /** Whether any job is still running; imports are serialized on the one writing connection. */
  busy(kind: Job['kind']): boolean {
    return [...this.jobs.values()].some((j) => j.kind === kind && j.state === 'running')
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'running')
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.id)
  }
}
