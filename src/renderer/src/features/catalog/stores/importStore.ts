/**
 * Imports run as background jobs in main; this store starts one, polls its
 * progress and, once it has finished, reloads the catalog so the table shows
 * what was imported.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ImportReport, Job } from '../../../../../shared/contract'
import { useApi } from '../../../api'
import { useCatalogStore } from './catalogStore'
import { useProxyQueueStore } from './proxyQueueStore'

export type ImportPhase = 'idle' | 'running' | 'done' | 'failed'

const POLL_INTERVAL_MS = 250

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export const useImportStore = defineStore('import', () => {
  const api = useApi()
  const catalog = useCatalogStore()

  const phase = ref<ImportPhase>('idle')
  const job = shallowRef<Job | null>(null)
  const report = shallowRef<ImportReport | null>(null)
  const error = ref<string | null>(null)
  const folder = ref('')
  const includedOrphans = ref(false)

  const running = computed(() => phase.value === 'running')
  const progress = computed(() => ({
    done: job.value?.done ?? 0,
    total: job.value?.total ?? 0,
    message: job.value?.message ?? 'Starting import…'
  }))
  /** Unmatched media can be added once, from a report of a run that left them out. */
  const orphansToOffer = computed(() =>
    report.value !== null && !includedOrphans.value ? report.value.orphans.length : 0
  )

  async function start(path: string, includeOrphans = false): Promise<void> {
    if (running.value) return
    folder.value = path
    includedOrphans.value = includeOrphans
    phase.value = 'running'
    job.value = null
    report.value = null
    error.value = null

    const started = await api['dataset/import']({ folder: path, ...(includeOrphans ? { includeOrphans } : {}) })
    if (!started.ok) return fail(started.error.message)

    const finished = await pollUntilFinished(started.value.jobId)
    if (finished === null) return
    if (finished.state === 'failed') fail(finished.error ?? 'The import failed without a message.')
    else {
      report.value = finished.report
      phase.value = 'done'
    }
    // Reload after a failure too: the table must show what the catalog holds, whatever the job got to.
    await catalog.load()
    // The import may have queued proxies for clips the browser cannot play as they are.
    useProxyQueueStore().nudge()
  }

  async function pollUntilFinished(jobId: string): Promise<Job | null> {
    for (;;) {
      const polled = await api['jobs/get']({ jobId })
      if (!polled.ok) {
        fail(`Lost track of the import: ${polled.error.message}`)
        return null
      }
      job.value = polled.value
      if (polled.value.state !== 'running') return polled.value
      await sleep(POLL_INTERVAL_MS)
    }
  }

  function fail(message: string): void {
    error.value = message
    phase.value = 'failed'
  }

  async function addOrphans(): Promise<void> {
    if (folder.value !== '') await start(folder.value, true)
  }

  /** Forgets the last run's outcome (not its folder) when the dialog is reopened. */
  function reset(): void {
    if (running.value) return
    phase.value = 'idle'
    job.value = null
    report.value = null
    error.value = null
  }

  return { phase, job, report, error, folder, running, progress, orphansToOffer, start, addOrphans, reset }
})
