/**
 * Submission jobs (DICOM imports, PACS pulls, rebuilds, bundles) run in main
 * and are polled with `submission/job`, as dataset imports are with
 * `jobs/get`. One runs at a time: they all write to the one catalog
 * connection and to the same folders.
 */
import { randomUUID } from 'node:crypto'
import type { SubmissionJob } from '../../shared/submissionContract'
import { UserError } from '../errors'
import { PhiBlockedError } from './bundleExport'

const KEEP_FINISHED = 50

export type JobUpdate = (done: number, total: number, message: string) => void
export type JobOutcome = Partial<Pick<SubmissionJob, 'imports' | 'failures' | 'rebuild' | 'bundle'>>

export class SubmissionJobs {
  private readonly jobs = new Map<string, SubmissionJob>()

  start(kind: SubmissionJob['kind'], run: (update: JobUpdate, job: SubmissionJob) => Promise<JobOutcome>): string {
    if ([...this.jobs.values()].some((j) => j.state === 'running'))
      throw new UserError('conflict', 'Another import or export is running; wait for it to finish.')
    const id = randomUUID()
    const job: SubmissionJob = { id, kind, state: 'running', done: 0, total: 0, message: 'Starting', error: null, imports: [], failures: [], rebuild: null, bundle: null }
    this.jobs.set(id, job)
    const update: JobUpdate = (done, total, message) => {
      job.done = done
      job.total = total
      job.message = message
    }
    run(update, job).then(
      (outcome) => {
        Object.assign(job, outcome)
        job.state = 'done'
        job.message = 'Finished'
        this.prune()
      },
      (e: unknown) => {
        job.state = 'failed'
        job.error = e instanceof UserError ? e.message : `Unexpected error: ${(e as Error).message}`
        if (e instanceof PhiBlockedError) job.bundle = { outPath: '', bytes: 0, entries: [], warnings: [], phiFindings: e.findings }
        job.message = 'Failed'
        this.prune()
      }
    )
    return id
  }

  get(id: string): SubmissionJob {
    const job = this.jobs.get(id)
    if (!job) throw new UserError('not_found', `No job ${id}.`)
    return structuredClone(job)
  }

  /** The kind of the job now running, or null. */
  running(): SubmissionJob['kind'] | null {
    return [...this.jobs.values()].find((j) => j.state === 'running')?.kind ?? null
  }

  /** Resolves when the job has finished (for the CLI and tests). */
  async wait(id: string, pollMs = 50): Promise<SubmissionJob> {
    for (;;) {
      const j = this.get(id)
      if (j.state !== 'running') return j
      await new Promise((r) => setTimeout(r, pollMs))
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'running')
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.id)
  }
}
