/**
 * Blinded multi-rater review in the renderer, the coordinator's side: rater
 * profiles, review sets, agreement, adjudication and review bundles.
 * Components never call the API; they call this store. Rating itself is rater
 * mode's (raterModeStore.ts), which talks to main only through `rater/*`.
 *
 * One store for the ratings view, whose tabs share the selected set, the busy
 * flag and the error box; adjudication and bundles keep their state in their
 * own composables (../composables/), a set's query and preview in ../setQuery.ts.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Rater, RaterRole, RatingField, ReviewOrder, ReviewSet, SetAgreement } from '../../../../../shared/ratingsContract'
import { useApi } from '../../../api'
import { useCatalogStore } from '../../catalog'
import { useHistoryStore, useKeyFrameStore } from '../../review'
import { useSettingsStore } from '../../../app/stores/settingsStore'
import { useAdjudication } from '../composables/useAdjudication'
import { useApiCall } from '../composables/useApiCall'
import { useRatingBundles } from '../composables/useRatingBundles'
import { previewSet, setQuery, type SetPreview, type SetSource } from '../setQuery'

export { LABEL_UNCERTAIN_SEARCH, type SetPreview } from '../setQuery'

export type RatingsTab = 'setup' | 'rate' | 'agreement' | 'adjudication' | 'bundles'

export interface NewSet {
  name: string
  source: SetSource
  fields: RatingField[]
  raterIds: string[]
  blinded: boolean
  revealAfterSubmit: boolean
  order: ReviewOrder
  seed: number | null
  /** Leave out clips with no media on this machine: raters could not see them. */
  excludeWithoutMedia: boolean
}

export const useRatingsStore = defineStore('ratings', () => {
  const api = useApi()

  const tab = ref<RatingsTab>('setup')
  const error = ref<string | null>(null)
  const busy = ref(false)
  const notice = ref<string | null>(null)

  // ---- raters and sets (coordinator) ----
  const raters = shallowRef<readonly Rater[]>([])
  const sets = shallowRef<readonly ReviewSet[]>([])
  const setsLoaded = ref(false)
  const selectedSetId = ref<string | null>(null)
  const selectedSet = computed(() => sets.value.find((s) => s.id === selectedSetId.value) ?? null)
  const adjudicators = computed(() => raters.value.filter((r) => r.role !== 'rater'))

  const run = useApiCall(error, busy)

  async function loadRaters(): Promise<void> {
    const value = await run(() => api['raters/list']({}))
    if (value) raters.value = value.raters
  }

  async function createRater(name: string, role: RaterRole): Promise<Rater | null> {
    const rater = await run(() => api['raters/create']({ name, role }))
    if (rater) raters.value = [...raters.value, rater]
    return rater
  }

  async function loadSets(): Promise<void> {
    const value = await run(() => api['reviewSets/list']({}))
    if (!value) return
    sets.value = value.sets
    setsLoaded.value = true
    if (selectedSetId.value === null || !value.sets.some((s) => s.id === selectedSetId.value))
      selectedSetId.value = value.sets[0]?.id ?? null
  }

  async function refreshSet(setId: string): Promise<void> {
    const value = await run(() => api['reviewSets/get']({ setId }))
    if (value) sets.value = sets.value.some((s) => s.id === setId) ? sets.value.map((s) => (s.id === setId ? value : s)) : [...sets.value, value]
  }

  /** What a set from `source` would hold (../setQuery.ts). */
  function setPreview(source: NewSet['source']): SetPreview {
    return previewSet(useCatalogStore(), source)
  }

  async function createSet(form: NewSet): Promise<ReviewSet | null> {
    const before = setPreview(form.source)
    const set = await run(() =>
      api['reviewSets/create']({
        name: form.name,
        query: setQuery(useCatalogStore().query, form.source),
        fields: form.fields,
        raterIds: form.raterIds,
        blinded: form.blinded,
        revealAfterSubmit: form.revealAfterSubmit,
        order: form.order,
        ...(form.seed !== null ? { seed: form.seed } : {}),
        excludeWithoutMedia: form.excludeWithoutMedia
      })
    )
    if (set) {
      sets.value = [...sets.value, set]
      selectedSetId.value = set.id
      const leftOut = form.excludeWithoutMedia ? before.clips - set.clips : 0
      notice.value = `Review set "${set.name}" created with ${set.clips} clips${leftOut > 0 ? `; ${leftOut} without media left out` : ''}.`
    }
    return set
  }

  /**
   * The player shows (and M marks) the key frames of the key-frame store's
   * entry: while adjudicating, the adjudicated clip's, so nothing of another
   * clip shows and nothing is written to it.
   */
  function keyFramesFor(entryId: number | null): void {
    void useKeyFrameStore().load(entryId)
  }

  // ---- agreement ----
  const agreement = shallowRef<SetAgreement | null>(null)
  const agreementLoading = ref(false)

  async function loadAgreement(setId: string): Promise<void> {
    agreementLoading.value = true
    agreement.value = null
    const value = await run(() => api['reviewSets/agreement']({ setId }))
    agreementLoading.value = false
    if (value && selectedSetId.value === setId) agreement.value = value
    await refreshSet(setId)
  }

  // ---- adjudication ----
  const adjudicating = useAdjudication({
    run,
    error,
    selectedSetId,
    ensureName: (retry) => useSettingsStore().ensureName('edit', retry),
    afterCatalogWrite: async () => {
      await useHistoryStore().refreshStatus()
      await useCatalogStore().load()
    }
  })

  // ---- bundles (review bundles, reader bundles) ----
  const bundles = useRatingBundles({ run, reload: async () => void (await Promise.all([loadRaters(), loadSets()])) })

  function dismissError(): void {
    error.value = null
  }

  return {
    tab,
    error,
    busy,
    notice,
    dismissError,
    raters,
    adjudicators,
    loadRaters,
    createRater,
    sets,
    setsLoaded,
    selectedSetId,
    selectedSet,
    loadSets,
    refreshSet,
    setPreview,
    createSet,
    keyFramesFor,
    agreement,
    agreementLoading,
    loadAgreement,
    adjudication: adjudicating.adjudication,
    adjudicationLoaded: adjudicating.adjudicationLoaded,
    selectedEntryId: adjudicating.selectedEntryId,
    selectedItem: adjudicating.selectedItem,
    adjudicatorId: adjudicating.adjudicatorId,
    onlyDisagreements: adjudicating.onlyDisagreements,
    applyReport: adjudicating.applyReport,
    commentsReport: adjudicating.commentsReport,
    loadAdjudication: adjudicating.loadAdjudication,
    setConsensus: adjudicating.setConsensus,
    applyConsensus: adjudicating.applyConsensus,
    exportComments: adjudicating.exportComments,
    exportResult: bundles.exportResult,
    importPreview: bundles.importPreview,
    importResult: bundles.importResult,
    exportBundle: bundles.exportBundle,
    previewImport: bundles.previewImport,
    applyImport: bundles.applyImport,
    readerBundleResult: bundles.readerBundleResult,
    readerBundleError: bundles.readerBundleError,
    readerBundleBusy: bundles.readerBundleBusy,
    exportReaderBundle: bundles.exportReaderBundle
  }
})
