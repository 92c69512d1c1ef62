/**
 * Stored predictions for the catalog (classifier/summaries): filters and a sort
 * by predicted class, uncertainty (entropy) and model/label disagreement, and
 * the pre-label job (classifier/prelabel, run by main under Node) with progress
 * and cancel. The catalog store applies `apply` on top of its own query.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ClassifierJob, PredictionSummary } from '../../../../../shared/classifierContract'
import type { ModelClass } from '../../../../../shared/classifierPreprocess'
import { callClassifier } from '../api'

export type DisagreementFilter = 'any' | 'disagrees' | 'agrees'
export type PredictionSort = 'none' | 'entropy-desc' | 'entropy-asc'
const POLL_MS = 500

export const useCatalogPredictionsStore = defineStore('catalogPredictions', () => {
  const summaries = shallowRef<ReadonlyMap<number, PredictionSummary>>(new Map())
  const error = ref<string | null>(null)
  const predicted = ref<ModelClass | 'any' | 'none'>('any')
  /** Keep entries at least this uncertain (bits, 0..2); 0 keeps all. */
  const minEntropy = ref(0)
  const disagreement = ref<DisagreementFilter>('any')
  const sort = ref<PredictionSort>('none')

  const job = shallowRef<ClassifierJob | null>(null)
  const jobError = ref<string | null>(null)
  let poll: ReturnType<typeof setTimeout> | null = null

  const active = computed(() => predicted.value !== 'any' || minEntropy.value > 0 || disagreement.value !== 'any' || sort.value !== 'none')
  const running = computed(() => job.value?.state === 'running')
  /** The id of the job a cancel was asked for: while it still runs, it is winding down. */
  const cancelRequested = ref<string | null>(null)
  const cancelling = computed(() => running.value && cancelRequested.value === job.value?.id)

  async function load(): Promise<void> {
    const r = await callClassifier('classifier/summaries', {})
    if (!r.ok) {
      error.value = r.error.message
      return
    }
    error.value = null
    summaries.value = new Map(r.value.entries.map((e) => [e.entryId, e]))
  }

  /** Filters and sorts rows (anything with an `id`) by their stored prediction. */
  function apply<T extends { id: number }>(rows: readonly T[]): readonly T[] {
    if (!active.value) return rows
    const map = summaries.value
    let out = rows.filter((row) => {
      const s = map.get(row.id)
      if (predicted.value === 'none') return !s || s.status !== 'ok'
      if (predicted.value !== 'any' && s?.predicted !== predicted.value) return false
      if (minEntropy.value > 0 && !(s?.entropy !== null && s?.entropy !== undefined && s.entropy >= minEntropy.value)) return false
      if (disagreement.value === 'disagrees' && s?.disagrees !== true) return false
      if (disagreement.value === 'agrees' && s?.disagrees !== false) return false
      return true
    })
    if (sort.value !== 'none') {
      const sign = sort.value === 'entropy-desc' ? -1 : 1
      const key = (row: T): number => map.get(row.id)?.entropy ?? Number.NaN
      out = [...out].sort((a, b) => {
        const ka = key(a)
        const kb = key(b)
        if (Number.isNaN(ka) || Number.isNaN(kb)) return Number.isNaN(ka) ? (Number.isNaN(kb) ? 0 : 1) : -1
        return sign * (ka - kb)
      })
    }
    return out
  }

  function clear(): void {
    predicted.value = 'any'
    minEntropy.value = 0
    disagreement.value = 'any'
    sort.value = 'none'
  }

  /**
   * Polling of the job in hand. Each start or cancel begins a new round, so a
   * reply to an older round's request never schedules another poll.
   */
  let round = 0
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

  /** Shows a job's state; polls again while it runs, and reloads the stored predictions once it has stopped. */
  function settle(view: ClassifierJob, mine: number): void {
    job.value = view
    if (view.state === 'running') poll = setTimeout(() => void follow(view.id, mine), POLL_MS)
    else void load()
  }

  async function prelabel(force = false): Promise<void> {
    const mine = stopPolling()
    jobError.value = null
    const r = await callClassifier('classifier/prelabel', force ? { force } : {})
    if (mine !== round) return
    if (!r.ok) {
      jobError.value = r.error.message
      return
    }
    await follow(r.value.jobId, mine)
  }

  /**
   * Asks main to stop the run. Main answers at once, while the job is still
   * winding down ("Cancelling"), so keep following it until it has settled:
   * it ends as cancelled, with what it finished stored.
   */
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
      await load()
    }
  }

  return { summaries, error, predicted, minEntropy, disagreement, sort, active, job, jobError, running, cancelling, load, apply, clear, prelabel, cancel }
})
