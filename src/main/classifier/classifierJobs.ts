/**
 * The classifier's long operations (pre-labelling the catalog, the leakage
 * check) in the app's one job registry (src/main/jobs/jobRegistry.ts), seen
 * as the contract's ClassifierJob. A cancelled job stops between clips and
 * kills the ffmpeg process it is waiting on (its run watches the signal).
 */
import type { ClassifierJob } from '../../shared/classifierContract'
import { UserError } from '../errors'
import { CLASSIFIER_JOB_KINDS, type ClassifierJobKind } from '../jobs/jobKinds'
import { JobRegistry, type JobControl, type JobRecord } from '../jobs/jobRegistry'

export type ClassifierJobView<R> = Omit<ClassifierJob, 'result'> & { result: R | null }

const RUNNING_PHRASE: Record<ClassifierJobKind, string> = { prelabel: 'pre-labelling run', leakage: 'leakage check' }

export class ClassifierJobs<R> {
  constructor(private readonly registry: JobRegistry = new JobRegistry()) {}

  start(kind: ClassifierJobKind, run: (ctl: JobControl) => Promise<R>): string {
    if (this.busy(kind)) throw new UserError('conflict', `A ${RUNNING_PHRASE[kind]} is already running; wait for it or cancel it.`)
    return this.registry.start(kind, run)
  }

  get(id: string): ClassifierJobView<R> {
    return classifierJobView<R>(this.mine(id))
  }

  /** Asks the job to stop; it settles as `cancelled` once its current clip is abandoned. */
  cancel(id: string): ClassifierJobView<R> {
    this.mine(id)
    return classifierJobView<R>(this.registry.cancel(id)!)
  }

  busy(kind: ClassifierJobKind): boolean {
    return this.registry.busy(kind)
  }

  /** Resolves when the job has settled (tests, and closing the app). */
  async settled(id: string): Promise<ClassifierJobView<R>> {
    this.mine(id)
    return classifierJobView<R>(await this.registry.settled(id))
  }

  /** Cancels every running classifier job and waits for them. */
  close(): Promise<void> {
    return this.registry.cancelAll(...CLASSIFIER_JOB_KINDS)
  }

  private mine(id: string): JobRecord {
    const record = this.registry.find(id)
    if (!record || !(CLASSIFIER_JOB_KINDS as readonly string[]).includes(record.kind)) throw new UserError('not_found', `No classifier job ${id}.`)
    return record
  }
}

function classifierJobView<R>(r: JobRecord): ClassifierJobView<R> {
  return {
    id: r.id,
    kind: r.kind as ClassifierJobKind,
    state: r.state,
    done: r.done,
    total: r.total,
    message: r.message,
    result: r.result as R | null,
    error: r.error,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt
  }
}
