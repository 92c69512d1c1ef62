/**
 * Stored predictions for the catalog (classifier/summaries): filters and a sort
 * by predicted class, uncertainty (entropy) and model/label disagreement, and
 * the pre-label job (classifier/prelabel, run by main under Node) with progress
 * and cancel. The catalog store applies `apply` on top of its own query.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { PredictionSummary } from '../../../../../shared/classifierContract'
import type { ModelClass } from '../../../../../shared/classifierPreprocess'
import { callClassifier } from '../api'
import { useClassifierJob } from '../composables/useClassifierJob'

export type DisagreementFilter = 'any' | 'disagrees' | 'agrees'
export type PredictionSort = 'none' | 'entropy-desc' | 'entropy-asc'

export const useCatalogPredictionsStore = defineStore('catalogPredictions', () => {
  const summaries = shallowRef<ReadonlyMap<number, PredictionSummary>>(new Map())
  const error = ref<string | null>(null)
  const predicted = ref<ModelClass | 'any' | 'none'>('any')
  /** Keep entries the model calls with at most this probability (0..1); 1 keeps all. A physician reads "≤ 60 %", not bits. */
  const maxConfidence = ref(1)
  const disagreement = ref<DisagreementFilter>('any')
  const sort = ref<PredictionSort>('none')

  // The pre-label job; once it stops, the stored predictions are loaded again.
  const { job, jobError, starting, running, cancelling, run, cancel } = useClassifierJob(() => load())

  const active = computed(() => predicted.value !== 'any' || maxConfidence.value < 1 || disagreement.value !== 'any' || sort.value !== 'none')

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
      if (maxConfidence.value < 1 && !(s?.confidence !== null && s?.confidence !== undefined && s.confidence <= maxConfidence.value)) return false
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
    maxConfidence.value = 1
    disagreement.value = 'any'
    sort.value = 'none'
  }

  function prelabel(force = false): Promise<void> {
    return run(() => callClassifier('classifier/prelabel', force ? { force } : {}))
  }

  return { summaries, error, predicted, maxConfidence, disagreement, sort, active, job, jobError, starting, running, cancelling, load, apply, clear, prelabel, cancel }
})
