/**
 * Following one classifier job in main (pre-labelling, the leakage check):
 * start it, poll it while it runs, cancel it. Main answers a cancel at once,
 * while the job is still winding down, so a cancelled job is followed until it
 * has settled ("Cancelling…" meanwhile).
 */
import { computed, ref, shallowRef } from 'vue'
import type { ClassifierJob } from '../../../../../shared/classifierContract'
import type { Result } from '../../../../../shared/result'
import { callClassifier } from '../api'

const POLL_MS = 500

export function useClassifierJob(onStopped?: () => unknown) {
  const job = shallowRef<ClassifierJob | null>(null)
  const jobError = ref<string | null>(null)
  /** The id of the job a cancel was asked for: while it still runs, it is winding down. */
  const cancelRequested = ref<string | null>(null)
  const running = computed(() => job.value?.state === 'running')
  const cancelling = computed(() => running.value && cancelRequested.value === job.value?.id)

  // Each start or cancel begins a new round, so a reply to an older round's request never schedules another poll.
  let round = 0
  let poll: ReturnType<typeof setTimeout> | null = null
  function stopPolling(): number {
    if (poll !== null) clearTimeout(poll)
    poll = null
    return ++round
  }

  async function follow(jobId: string, mine: number): Promise<void> {
    const r = await callClassifier('classifier/job', { jobId })
    if (mine !== round) return
    if (!r.ok) {
      jobError.value = r.error.message
      return
    }
    settle(r.value, mine)
  }

  function settle(view: ClassifierJob, mine: number): void {
    job.value = view
    if (view.state === 'running') poll = setTimeout(() => void follow(view.id, mine), POLL_MS)
    else void onStopped?.()
  }

  /** Starts a job with `start` (an operation answering its id) and follows it. */
  async function run(start: () => Promise<Result<{ jobId: string }>>): Promise<void> {
    const mine = stopPolling()
    jobError.value = null
    // The previous job's outcome must not pass for this one's while it starts.
    job.value = null
    const r = await start()
    if (mine !== round) return
    if (!r.ok) {
      jobError.value = r.error.message
      return
    }
    await follow(r.value.jobId, mine)
  }

  async function cancel(): Promise<void> {
    const current = job.value
    if (!current || current.state !== 'running') return
    const mine = stopPolling()
    cancelRequested.value = current.id
    const r = await callClassifier('classifier/cancel', { jobId: current.id })
    if (mine !== round) return
    if (r.ok) settle(r.value, mine)
    else {
      jobError.value = r.error.message
      await follow(current.id, mine)
    }
  }

  /** Forgets the job on show (it keeps running in main if it was). */
  function clear(): void {
    stopPolling()
    job.value = null
  }

  return { job, jobError, running, cancelling, run, cancel, clear }
}
