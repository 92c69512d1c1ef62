/**
 * Cross-validation splits of the catalog (classifier/split: patient-grouped,
 * label-stratified folds; with an output folder also folds.csv and
 * cross_val.json) and the near-duplicate (leakage) check against them
 * (classifier/leakageCheck, a job in main: polled, cancellable).
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ClassifierJob } from '../../../../../shared/classifierContract'
import { callClassifier } from '../api'
import { useClassifierJob } from '../composables/useClassifierJob'
import { countMismatches, foldTable, groupsInSeveralFolds, sourceStemGroups, type SplitResult } from '../../../../../shared/splitSummary'

export const MIN_FOLDS = 2
export const MAX_FOLDS = 20
export const MAX_SEED = 2 ** 31 - 1

export type LeakageReport = Extract<NonNullable<ClassifierJob['result']>, { kind: 'leakage' }>['report']

export const useSplitsStore = defineStore('splits', () => {
  /** The form: folds, seed and an optional output folder (absolute path). */
  const folds = ref<number | string>(5)
  const seed = ref<number | string>(42)
  const outDir = ref('')

  const split = shallowRef<SplitResult | null>(null)
  const splitting = ref(false)
  /** How many splits have been made: tells a new answer from an identical earlier one. */
  const revision = ref(0)
  const error = ref<string | null>(null)

  const { job, jobError, starting, running, cancelling, run, cancel, clear: clearJob } = useClassifierJob()
  const leakage = computed<LeakageReport | null>(() => (job.value?.result?.kind === 'leakage' ? job.value.result.report : null))

  /** Why the form cannot be sent as it stands; null when it can. */
  const inputError = computed(() => {
    const f = Number(folds.value)
    const s = Number(seed.value)
    if (folds.value === '' || !Number.isInteger(f) || f < MIN_FOLDS || f > MAX_FOLDS) return `Folds must be a whole number from ${MIN_FOLDS} to ${MAX_FOLDS}.`
    if (seed.value === '' || !Number.isInteger(s) || s < 0 || s > MAX_SEED) return `Seed must be a whole number from 0 to ${MAX_SEED}.`
    return null
  })

  const table = computed(() => (split.value ? foldTable(split.value) : null))
  /** Worked out from the assignments the API returned, not taken on trust. */
  const violations = computed(() => (split.value ? groupsInSeveralFolds(split.value) : []))
  const mismatches = computed(() => (split.value ? countMismatches(split.value) : []))
  const groupCount = computed(() => (split.value ? new Set(split.value.assignments.map((a) => a.group)).size : 0))
  const stemGroups = computed(() => (split.value ? sourceStemGroups(split.value) : []))

  let splitRound = 0
  async function makeSplits(): Promise<void> {
    if (inputError.value !== null) {
      error.value = inputError.value
      return
    }
    const mine = ++splitRound
    splitting.value = true
    error.value = null
    const dir = outDir.value.trim()
    const r = await callClassifier('classifier/split', { folds: Number(folds.value), seed: Number(seed.value), ...(dir !== '' ? { outDir: dir } : {}) })
    if (mine !== splitRound) return
    splitting.value = false
    if (!r.ok) {
      error.value = r.error.message
      return
    }
    split.value = r.value
    revision.value++
    // A check made against other folds no longer describes these.
    if (job.value && !running.value && (leakage.value?.folds !== r.value.folds || leakage.value?.seed !== r.value.seed)) clearJob()
  }

  /** Checks for near-duplicate clips across the folds of the split on show. */
  async function checkLeakage(): Promise<void> {
    const current = split.value
    if (!current || running.value) return
    await run(() => callClassifier('classifier/leakageCheck', { folds: current.folds, seed: current.seed }))
  }

  return {
    folds,
    seed,
    outDir,
    split,
    splitting,
    revision,
    error,
    inputError,
    table,
    violations,
    mismatches,
    groupCount,
    stemGroups,
    job,
    jobError,
    starting,
    running,
    cancelling,
    leakage,
    makeSplits,
    checkLeakage,
    cancel
  }
})
