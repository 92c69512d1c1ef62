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
/** After a failed poll (a restore in progress, a dropped connection) the next comes later, up to this. */
const MAX_RETRY_MS = 5_000

export function useClassifierJob(onStopped?: () => unknown) {
  const job = shallowRef<ClassifierJob | null>(null)
  const jobError = ref<string | null>(null)
  /** The id of the job a cancel was asked for: while it still runs, it is winding down. */
  const cancelRequested = ref<string | null>(null)
  /** Between a start request and main's answer: a second start must wait (main runs one job of a kind). */
  const starting = ref(false)
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

  async function follow(jobId: string, mine: number, failures = 0): Promise<void> {
    const r = await callClassifier('classifier/job', { jobId })
    if (mine !== round) return
    if (!r.ok) {
      jobError.value = r.error.message
      // Main no longer knows the job (it restarted): nothing left to follow.
      if (r.error.code === 'not_found') job.value = null
      // Otherwise the job goes on in main: keep asking, so its progress and its end still show.
      else poll = setTimeout(() => void follow(jobId, mine, failures + 1), Math.min(MAX_RETRY_MS, POLL_MS * 2 ** (failures + 1)))
      return
    }
    jobError.value = null
    settle(r.value, mine)
  }

  function settle(view: ClassifierJob, mine: number): void {
    job.value = view
    if (view.state === 'running') poll = setTimeout(() => void follow(view.id, mine), POLL_MS)
    else void onStopped?.()
  }

  /** Starts a job with `start` (an operation answering its id) and follows it. */
  async function run(start: () => Promise<Result<{ jobId: string }>>): Promise<void> {
    if (starting.value || running.value) return
    const mine = stopPolling()
    jobError.value = null
    // The previous job's outcome must not pass for this one's while it starts.
    job.value = null
    starting.value = true
    let r: Result<{ jobId: string }>
    try {
      r = await start()
    } finally {
      starting.value = false
    }
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

  return { job, jobError, starting, running, cancelling, run, cancel, clear }
}
