/**
 * Submission jobs (DICOM imports, PACS pulls, rebuilds, bundles) in the app's
 * one job registry (src/main/jobs/jobRegistry.ts), seen as the contract's
 * SubmissionJob and polled with `submission/job`. One runs at a time: they
 * all write to the one catalog connection and to the same folders.
 */
import type { SubmissionJob } from '../../shared/submissionContract'
import { UserError } from '../errors'
import { SUBMISSION_JOB_KINDS, type SubmissionJobKind } from '../jobs/jobKinds'
import { JobRegistry, type JobRecord } from '../jobs/jobRegistry'
import { PhiBlockedError } from './bundleExport'

export type JobUpdate = (done: number, total: number, message: string) => void
export type JobOutcome = Partial<Pick<SubmissionJob, 'imports' | 'failures' | 'rebuild' | 'bundle'>>

export class SubmissionJobs {
  constructor(private readonly registry: JobRegistry = new JobRegistry()) {}

  start(kind: SubmissionJobKind, run: (update: JobUpdate, signal: AbortSignal) => Promise<JobOutcome>): string {
    if (this.registry.busy(...SUBMISSION_JOB_KINDS)) throw new UserError('conflict', 'Another import or export is running; wait for it to finish.')
    return this.registry.start(kind, (ctl) => run(ctl.update, ctl.signal))
  }

  get(id: string): SubmissionJob {
    const record = this.registry.find(id)
    if (!record || !isSubmissionKind(record.kind)) throw new UserError('not_found', `No job ${id}.`)
    return submissionJobView(record as JobRecord<JobOutcome>, record.kind)
  }

  /** The kind of the submission job now running, or null. */
  running(): SubmissionJobKind | null {
    return SUBMISSION_JOB_KINDS.find((k) => this.registry.busy(k)) ?? null
  }

  /** Resolves when the job has finished (for the CLI and tests). */
  async wait(id: string): Promise<SubmissionJob> {
    this.get(id)
    await this.registry.settled(id)
    return this.get(id)
  }
}

function isSubmissionKind(kind: string): kind is SubmissionJobKind {
  return (SUBMISSION_JOB_KINDS as readonly string[]).includes(kind)
}

function submissionJobView(r: JobRecord<JobOutcome>, kind: SubmissionJobKind): SubmissionJob {
  const view: SubmissionJob = {
    id: r.id,
    kind,
    // Submission jobs are never cancelled (the contract has no cancel for them).
    state: r.state === 'cancelled' ? 'failed' : r.state,
    done: r.done,
    total: r.total,
    message: r.message,
    error: r.error,
    imports: [],
    failures: [],
    rebuild: null,
    bundle: null,
    ...(r.state === 'done' ? r.result : {})
  }
  // A bundle refused for PHI says what was found, so the user can fix those clips.
  if (r.failure instanceof PhiBlockedError) view.bundle = { outPath: '', bytes: 0, entries: [], warnings: [], phiFindings: r.failure.findings }
  return structuredClone(view)
}
