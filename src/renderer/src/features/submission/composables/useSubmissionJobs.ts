/**
 * Submission's long work (DICOM import, PACS pull, rebuilds, bundle export)
 * runs as jobs in main, one at a time; this starts one and polls it to its end
 * so every step shows the same progress and error.
 */
import { computed, ref, shallowRef } from 'vue'
import type { SubmissionJob } from '../../../../../shared/submissionContract'
import { callSubmission } from '../submissionApi'

export type JobPurpose = 'import' | 'pacs' | 'butterfly' | 'web' | 'bundle'
type JobStart = () => Promise<{ ok: true; value: { jobId: string } } | { ok: false; error: { message: string } }>
export type RunJob = (purpose: JobPurpose, start: JobStart) => Promise<SubmissionJob | null>

const POLL_MS = 300

export function useSubmissionJobs() {
  const job = shallowRef<SubmissionJob | null>(null)
  const jobPurpose = ref<JobPurpose | null>(null)
  const jobError = ref<string | null>(null)
  const busy = computed(() => job.value?.state === 'running')

  /** Starts a job and polls it to its end; resolves with the final job, or null when it could not start. */
  const runJob: RunJob = async (purpose, start) => {
    jobPurpose.value = purpose
    jobError.value = null
    job.value = null
    const started = await start()
    if (!started.ok) {
      jobError.value = started.error.message
      return null
    }
    for (;;) {
      const polled = await callSubmission('submission/job', { jobId: started.value.jobId })
      if (!polled.ok) {
        jobError.value = polled.error.message
        return null
      }
      job.value = polled.value
      if (polled.value.state !== 'running') {
        if (polled.value.state === 'failed') jobError.value = polled.value.error ?? polled.value.message
        return polled.value
      }
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
  }

  return { job, jobPurpose, jobError, busy, runJob }
}
