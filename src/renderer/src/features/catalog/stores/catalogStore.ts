/**
 * The catalog as the UI sees it: every entry summary held in memory, filtered
 * and sorted locally with the shared query code so typing stays instant, plus
 * the one entry whose full detail is open.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { AppInfo, EntryDetail, EntrySummary } from '../../../../../shared/contract'
import { CatalogIndex, distinctValues, emptyQuery, type CatalogQuery, type SortKey } from '../../../../../shared/catalogQuery'
import { useApi } from '../../../api'
import { extensions, NO_PREDICTION_FILTER } from '../../../app/extensions'
import { useEntryDetail } from '../composables/useEntryDetail'
import { readViewState, reviewableFirst, writeViewState, type ViewState } from '../viewState'

export type FacetField = 'labels' | 'probes' | 'types' | 'mediaStatuses' | 'licenses'

/** An entry's value for a facet, folded the way the filters compare it. */
function facetKey(e: EntrySummary, field: FacetField): string {
  switch (field) {
    case 'labels':
      return e.label
    case 'mediaStatuses':
      return e.mediaStatus
    case 'probes':
      return e.probe.toLowerCase()
    case 'types':
      return e.type.toLowerCase()
    case 'licenses':
      return e.license.toLowerCase()
  }
}

export interface CatalogCounts {
  total: number
  visible: number
  withMedia: number
  mediaMissing: number
  mediaUnreadable: number
}

export const useCatalogStore = defineStore('catalog', () => {
  const api = useApi()

  // Shallow: 100k summaries are replaced wholesale, never mutated in place,
  // so deep reactivity would only cost memory and time.
  const entries = shallowRef<readonly EntrySummary[]>([])
  const appInfo = shallowRef<AppInfo | null>(null)
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<string | null>(null)

  const query = ref<CatalogQuery>(emptyQuery())
  // Built once per list; each keystroke then costs a pass over precomputed keys.
  // After an edit the new index reuses the previous one's tokenization of unchanged entries.
  const index = computed<CatalogIndex>((previous) => new CatalogIndex(entries.value, previous))
  // A registered row filter (the model's predictions, app/extensions.ts) filters and sorts on top of the catalog's own query.
  const rowFilter = extensions.catalogRowFilter()
  // No column chosen: clips that can be reviewed come first (stable otherwise).
  const visible = computed(() => {
    const rows = index.value.query(query.value)
    const ordered = query.value.sortKey === 'row' ? reviewableFirst(rows) : rows
    return rowFilter ? rowFilter.apply(ordered) : ordered
  })

  const opened = useEntryDetail(api)
  // Arrow keys can fire faster than details arrive: useEntryDetail lets only the latest request land.
  const { id: selectedId, detail: selected, loading: detailLoading, error: detailError } = opened

  const counts = computed<CatalogCounts>(() => {
    let withMedia = 0
    let mediaMissing = 0
    let mediaUnreadable = 0
    for (const e of entries.value) {
      if (e.mediaId !== null) withMedia++
      if (e.mediaStatus === 'missing') mediaMissing++
      else if (e.mediaStatus === 'unreadable') mediaUnreadable++
    }
    return { total: entries.value.length, visible: visible.value.length, withMedia, mediaMissing, mediaUnreadable }
  })

  /** Labels that occur at all; the rest of the fixed vocabulary is not offered as a filter. */
  const presentLabels = computed(() => new Set(entries.value.map((e) => e.label)))

  /**
   * How many entries each value of one facet would show, given every other
   * active filter and the search: what ticking that value alone would add.
   * A full pass over the catalog, so callers compute it only for an open menu.
   */
  function facetCounts(field: FacetField): Map<string, number> {
    const others: CatalogQuery = { ...query.value, [field]: [], sortKey: 'row', sortDescending: false }
    const counts = new Map<string, number>()
    for (const e of index.value.query(others)) {
      const key = facetKey(e, field)
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    return counts
  }

  const probeOptions = computed(() => distinctValues(entries.value, 'probe'))
  const typeOptions = computed(() => distinctValues(entries.value, 'type'))
  const licenseOptions = computed(() => distinctValues(entries.value, 'license'))

  const isFiltered = computed(() => {
    const q = query.value
    return (
      q.search.trim() !== '' ||
      q.labels.length + q.probes.length + q.types.length + q.mediaStatuses.length + q.licenses.length > 0 ||
      (rowFilter?.active() ?? false)
    )
  })

  /** Bumped whenever entries change (a load, an edit, an undo): what live views (statistics) watch. */
  const revision = ref(0)

  const selectedIndex = computed(() =>
    selectedId.value === null ? -1 : visible.value.findIndex((e) => e.id === selectedId.value)
  )

  // Filters, sort and selection survive a reload, per catalog (viewState.ts).
  let viewRestored = false
  function viewState(): ViewState {
    return {
      query: { ...query.value, labels: [...query.value.labels], probes: [...query.value.probes], types: [...query.value.types], mediaStatuses: [...query.value.mediaStatuses], licenses: [...query.value.licenses] },
      predictions: rowFilter?.state() ?? { ...NO_PREDICTION_FILTER },
      selectedId: selectedId.value
    }
  }
  /** Puts back what was shown before the reload; returns the entry that was selected, if it still exists. */
  function restoreView(catalogPath: string, list: readonly EntrySummary[]): number | null {
    const saved = readViewState(window.localStorage, catalogPath)
    if (!saved) return null
    query.value = { ...saved.query }
    rowFilter?.restore(saved.predictions)
    const id = saved.selectedId
    return id !== null && list.some((e) => e.id === id) ? id : null
  }
  watch(
    () => [query.value, selectedId.value, ...Object.values(rowFilter?.state() ?? NO_PREDICTION_FILTER)],
    () => {
      const path = appInfo.value?.catalogPath
      if (viewRestored && path) writeViewState(window.localStorage, path, viewState())
    }
  )

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    const [info, list] = await Promise.all([api['app/info']({}), api['catalog/list']({})])
    loading.value = false
    if (info.ok) appInfo.value = info.value
    if (!list.ok) {
      error.value = list.error.message
      return
    }
    entries.value = list.value.entries
    let restoredId: number | null = null
    if (!viewRestored && appInfo.value) {
      restoredId = restoreView(appInfo.value.catalogPath, list.value.entries)
      viewRestored = true
    }
    loaded.value = true
    revision.value++
    const keep = selectedId.value ?? restoredId
    if (keep !== null && list.value.entries.some((e) => e.id === keep)) await select(keep)
    else clearSelection()
  }

  async function select(id: number): Promise<void> {
    await opened.load(id)
  }

  /**
   * Puts an entry's new state (after an edit, undo or relink) into the list
   * and the open detail, without reloading the whole catalog.
   */
  function applyDetail(detail: EntryDetail): void {
    const id = detail.summary.id
    const i = entries.value.findIndex((e) => e.id === id)
    if (i >= 0) {
      const next = entries.value.slice()
      next[i] = detail.summary
      entries.value = next
    }
    if (selectedId.value === id) selected.value = detail
    revision.value++
  }

  /** Selects an entry whose detail is already at hand (the review fetched it). */
  function showDetail(detail: EntryDetail): void {
    opened.show(detail)
  }

  /** Fetches one entry again (its edits were undone elsewhere) and applies it. */
  async function refreshEntry(id: number): Promise<EntryDetail | null> {
    const result = await api['catalog/get']({ id })
    if (!result.ok) return null
    applyDetail(result.value)
    return result.value
  }

  function clearSelection(): void {
    opened.show(null)
  }

  /**
   * Moves the selection by `delta` rows within what is shown, clamped to its
   * ends, and returns the new row index at once so the table can scroll to it
   * while the detail is still loading.
   */
  function moveSelection(delta: number): number {
    const rows = visible.value
    if (rows.length === 0) return -1
    const from = selectedIndex.value
    const to = from === -1 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, from + delta))
    const target = rows[to]
    if (target && target.id !== selectedId.value) void select(target.id)
    return to
  }

  function setSearch(text: string): void {
    query.value = { ...query.value, search: text }
  }

  function setFacet(field: FacetField, values: readonly string[]): void {
    query.value = { ...query.value, [field]: [...values] }
  }

  /** A second click on the same column flips the direction; a new column starts ascending. */
  function toggleSort(key: SortKey): void {
    const q = query.value
    query.value =
      q.sortKey === key ? { ...q, sortDescending: !q.sortDescending } : { ...q, sortKey: key, sortDescending: false }
  }

  function clearFilters(): void {
    const { sortKey, sortDescending } = query.value
    query.value = { ...emptyQuery(), sortKey, sortDescending }
    rowFilter?.clear()
  }

  return {
    entries,
    appInfo,
    loaded,
    loading,
    error,
    query,
    visible,
    counts,
    probeOptions,
    typeOptions,
    licenseOptions,
    presentLabels,
    facetCounts,
    isFiltered,
    selectedId,
    selectedIndex,
    selected,
    detailLoading,
    detailError,
    load,
    select,
    moveSelection,
    clearSelection,
    applyDetail,
    showDetail,
    refreshEntry,
    revision,
    setSearch,
    setFacet,
    toggleSort,
    clearFilters
  }
})
