/**
 * Blinded multi-rater review in the renderer: rater profiles, review sets,
 * rater mode, agreement, adjudication and review bundles. Components never
 * call the API; they call this store.
 *
 * Rater mode talks to main only through `rater/*` (plus the player's media
 * requests): nothing here fetches a catalog entry, a set's query or the
 * adjudication view while a rater is rating.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type {
  AdjudicationItem,
  ApplyReport,
  BundleExportResult,
  BundleImportResult,
  Rater,
  RaterRole,
  RaterSetSummary,
  RaterView,
  RatingField,
  RatingValue,
  RatingValues,
  ReviewOrder,
  ReviewSet,
  SetAgreement
} from '../../../../shared/ratingsContract'
import type { ReaderBundleExportResult } from '../../../../shared/readerContract'
import type { Result } from '../../../../shared/result'
import { useApi } from '../../api'
import { useCatalogStore } from '../../stores/catalog'
import { useHistoryStore } from '../../stores/history'
import { useKeyFrameStore } from '../../stores/keyframes'
import { useSettingsStore } from '../../stores/settings'

export type RatingsTab = 'setup' | 'rate' | 'agreement' | 'adjudication' | 'bundles'

/** "Label uncertain": the clips whose location names them so (the 45 linear Piacenza clips). */
export const LABEL_UNCERTAIN_SEARCH = 'label_uncertain'

export interface NewSet {
  name: string
  source: 'filter' | 'uncertain'
  fields: RatingField[]
  raterIds: string[]
  blinded: boolean
  revealAfterSubmit: boolean
  order: ReviewOrder
  seed: number | null
  /** Leave out clips with no media on this machine: raters could not see them. */
  excludeWithoutMedia: boolean
}

/** What a new set would hold before it is created. */
export interface SetPreview {
  clips: number
  /** Of those, clips whose media status is not `linked`. */
  withoutMedia: number
}

export interface RatingDraft {
  values: Partial<Record<RatingField, RatingValue>>
  confidence: number | null
  comment: string
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

  async function run<T>(op: () => Promise<Result<T>>): Promise<T | null> {
    busy.value = true
    error.value = null
    const result = await op()
    busy.value = false
    if (!result.ok) {
      error.value = result.error.message
      return null
    }
    return result.value
  }

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

  /** The catalog view's current filter, as a set query. */
  function currentQuery(source: NewSet['source']) {
    const q = useCatalogStore().query
    const base = {
      labels: [...q.labels],
      probes: [...q.probes],
      types: [...q.types],
      mediaStatuses: [...q.mediaStatuses],
      licenses: [...q.licenses],
      search: q.search,
      sortKey: q.sortKey,
      sortDescending: q.sortDescending
    }
    if (source === 'filter') return base
    return { labels: [], probes: [], types: [], mediaStatuses: [], licenses: [], search: LABEL_UNCERTAIN_SEARCH, sortKey: 'row' as const, sortDescending: false }
  }

  /**
   * How many clips a set from `source` would hold, and how many of them have no
   * media on this machine. Counted over the catalog in memory the way main
   * resolves a set's query (createSet in src/main/ratings/ratingsService.ts):
   * the catalog's own filters and search only; the view's model-prediction
   * filters are not part of a set, so they are not applied here either.
   */
  function setPreview(source: NewSet['source']): SetPreview {
    const catalog = useCatalogStore()
    const byStatus = new Map<string, number>()
    if (source === 'filter') {
      // The current query with its media-status filter lifted, by status: one pass over the catalog's own index.
      const wanted = catalog.query.mediaStatuses.map((m) => m.toLowerCase())
      for (const [status, n] of catalog.facetCounts('mediaStatuses'))
        if (wanted.length === 0 || wanted.includes(status.toLowerCase())) byStatus.set(status, n)
    } else {
      // A single search term with no spaces matches exactly the entries whose (lower-cased) search text contains it.
      for (const e of catalog.entries)
        if (e.searchText.includes(LABEL_UNCERTAIN_SEARCH)) byStatus.set(e.mediaStatus, (byStatus.get(e.mediaStatus) ?? 0) + 1)
    }
    let clips = 0
    let withoutMedia = 0
    for (const [status, n] of byStatus) {
      clips += n
      if (status !== 'linked') withoutMedia += n
    }
    return { clips, withoutMedia }
  }

  async function createSet(form: NewSet): Promise<ReviewSet | null> {
    const before = setPreview(form.source)
    const set = await run(() =>
      api['reviewSets/create']({
        name: form.name,
        query: currentQuery(form.source),
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

  // ---- rater mode: rater/* only ----
  const raterId = ref<string | null>(null)
  const raterSets = shallowRef<readonly RaterSetSummary[]>([])
  const raterSetId = ref<string | null>(null)
  const raterView = shallowRef<RaterView | null>(null)
  const submitting = ref(false)

  /**
   * The player shows (and M marks) the key frames of the key-frame store's
   * entry: none in rater mode, so nothing of another clip shows and nothing is
   * written to it; the adjudicated clip's while adjudicating.
   */
  function keyFramesFor(entryId: number | null): void {
    void useKeyFrameStore().load(entryId)
  }

  async function chooseRater(id: string | null): Promise<void> {
    keyFramesFor(null)
    raterId.value = id
    raterSets.value = []
    raterSetId.value = null
    raterView.value = null
    if (id === null) return
    const value = await run(() => api['rater/sets']({ raterId: id }))
    if (value && raterId.value === id) raterSets.value = value.sets
  }

  async function openRaterSet(setId: string | null): Promise<void> {
    raterSetId.value = setId
    raterView.value = null
    const rid = raterId.value
    if (setId === null || rid === null) return
    const view = await run(() => api['rater/next']({ setId, raterId: rid }))
    if (view && raterSetId.value === setId) raterView.value = view
  }

  async function nextClip(): Promise<void> {
    const rid = raterId.value
    const sid = raterSetId.value
    if (rid === null || sid === null) return
    const view = await run(() => api['rater/next']({ setId: sid, raterId: rid }))
    if (view) raterView.value = view
  }

  async function goToClip(clipNo: number): Promise<void> {
    const rid = raterId.value
    const sid = raterSetId.value
    if (rid === null || sid === null) return
    const view = await run(() => api['rater/clip']({ setId: sid, raterId: rid, clipNo }))
    if (view) raterView.value = view
  }

  /** Submits the rating; moves on to the next unrated clip unless the set reveals something to look at first. */
  async function submitRating(draft: RatingDraft): Promise<boolean> {
    const rid = raterId.value
    const clip = raterView.value?.clip
    if (rid === null || !clip || draft.confidence === null) return false
    submitting.value = true
    const view = await run(() =>
      api['rater/submit']({
        setId: clip.setId,
        raterId: rid,
        clipNo: clip.clipNo,
        values: draft.values as RatingValues,
        confidence: draft.confidence ?? 3,
        comment: draft.comment
      })
    )
    submitting.value = false
    if (!view) return false
    raterView.value = view
    if (view.clip?.revealed === null || view.clip?.revealed === undefined) await nextClip()
    return true
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
  const adjudication = shallowRef<readonly AdjudicationItem[]>([])
  const adjudicationLoaded = ref(false)
  const selectedEntryId = ref<number | null>(null)
  const selectedItem = computed(() => adjudication.value.find((i) => i.entryId === selectedEntryId.value) ?? null)
  const adjudicatorId = ref<string | null>(null)
  const onlyDisagreements = ref(true)
  const applyReport = shallowRef<ApplyReport | null>(null)
  const commentsReport = shallowRef<ApplyReport | null>(null)

  async function loadAdjudication(setId: string): Promise<void> {
    adjudicationLoaded.value = false
    const value = await run(() => api['adjudication/list']({ setId, onlyDisagreements: onlyDisagreements.value }))
    if (!value) return
    adjudication.value = value.items
    adjudicationLoaded.value = true
    if (!value.items.some((i) => i.entryId === selectedEntryId.value)) selectedEntryId.value = value.items[0]?.entryId ?? null
  }

  async function setConsensus(field: RatingField, value: RatingValue, reason: string): Promise<boolean> {
    const item = selectedItem.value
    const setId = selectedSetId.value
    const adjudicator = adjudicatorId.value
    if (!item || setId === null) return false
    if (adjudicator === null) {
      error.value = 'Choose who adjudicates (an adjudicator or coordinator profile) first.'
      return false
    }
    const updated = await run(() =>
      api['adjudication/setConsensus']({ setId, entryId: item.entryId, adjudicatorId: adjudicator, field, value, reason })
    )
    if (!updated) return false
    adjudication.value = adjudication.value.map((i) => (i.entryId === updated.entryId ? updated : i))
    return true
  }

  /** Writes to the catalog go through the audited edit path, which needs the user's name. */
  async function audited(op: () => Promise<Result<ApplyReport>>, retry: () => void): Promise<ApplyReport | null> {
    const settings = useSettingsStore()
    if (!settings.ensureName('edit', retry)) return null
    const report = await run(op)
    if (report) {
      await useHistoryStore().refreshStatus()
      await useCatalogStore().load()
    }
    return report
  }

  async function applyConsensus(includeUnanimous: boolean): Promise<void> {
    const setId = selectedSetId.value
    if (setId === null) return
    const report = await audited(
      () => api['adjudication/applyConsensus']({ setId, includeUnanimous }),
      () => void applyConsensus(includeUnanimous)
    )
    if (report) {
      applyReport.value = report
      await loadAdjudication(setId)
    }
  }

  async function exportComments(from: 'comments' | 'comment', overwrite: boolean): Promise<void> {
    const setId = selectedSetId.value
    if (setId === null) return
    const report = await audited(
      () => api['adjudication/exportComments']({ setId, from, overwrite }),
      () => void exportComments(from, overwrite)
    )
    if (report) commentsReport.value = report
  }

  // ---- bundles ----
  const exportResult = shallowRef<BundleExportResult | null>(null)
  const importPreview = shallowRef<BundleImportResult | null>(null)
  const importResult = shallowRef<BundleImportResult | null>(null)
  const importPath = ref('')

  async function exportBundle(setId: string, outPath: string, raterIds: string[] | null): Promise<void> {
    exportResult.value = null
    const value = await run(() => api['bundles/export']({ setId, outPath, ...(raterIds !== null ? { raterIds } : {}) }))
    if (value) exportResult.value = value
  }

  /** A dry run first: it lists the conflicts to resolve before anything is written. */
  async function previewImport(path: string): Promise<void> {
    importPath.value = path
    importPreview.value = null
    importResult.value = null
    const value = await run(() => api['bundles/import']({ path, dryRun: true }))
    if (value) importPreview.value = value
  }

  async function applyImport(resolutions: Record<string, 'mine' | 'theirs'>): Promise<void> {
    const path = importPath.value
    if (path === '') return
    const value = await run(() => api['bundles/import']({ path, resolutions, dryRun: false }))
    if (!value) return
    importResult.value = value
    if (value.applied) {
      importPreview.value = null
      await Promise.all([loadRaters(), loadSets()])
    } else importPreview.value = value
  }

  // ---- reader bundles: a set's clips, blinded, for a rater's own machine ----
  const readerBundleResult = shallowRef<ReaderBundleExportResult | null>(null)
  const readerBundleError = ref<string | null>(null)
  const readerBundleBusy = ref(false)

  /**
   * Writes a reader bundle for the set's raters (all of them when raterIds is
   * null). Its outcome is kept apart from the view's error box: a refusal lists
   * the clips without media, which belongs beside the form that asked for it.
   */
  async function exportReaderBundle(setId: string, outPath: string, raterIds: string[] | null): Promise<boolean> {
    readerBundleResult.value = null
    readerBundleError.value = null
    readerBundleBusy.value = true
    const result = await api['reviewSets/exportReaderBundle']({ setId, outPath, ...(raterIds !== null ? { raterIds } : {}) })
    readerBundleBusy.value = false
    if (!result.ok) {
      readerBundleError.value = result.error.message
      return false
    }
    readerBundleResult.value = result.value
    return true
  }

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
    raterId,
    raterSets,
    raterSetId,
    raterView,
    submitting,
    keyFramesFor,
    chooseRater,
    openRaterSet,
    nextClip,
    goToClip,
    submitRating,
    agreement,
    agreementLoading,
    loadAgreement,
    adjudication,
    adjudicationLoaded,
    selectedEntryId,
    selectedItem,
    adjudicatorId,
    onlyDisagreements,
    applyReport,
    commentsReport,
    loadAdjudication,
    setConsensus,
    applyConsensus,
    exportComments,
    exportResult,
    importPreview,
    importResult,
    exportBundle,
    previewImport,
    applyImport,
    readerBundleResult,
    readerBundleError,
    readerBundleBusy,
    exportReaderBundle
  }
})
