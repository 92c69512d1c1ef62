/**
 * Adjudication of a review set: the clips the raters disagree on, a consensus
 * value per field with its reason, and writing consensus or comments back
 * into the catalog through the audited edit path.
 */
import { computed, ref, shallowRef, type Ref } from 'vue'
import type { AdjudicationItem, ApplyReport, RatingField, RatingValue } from '../../../../../shared/ratingsContract'
import type { Result } from '../../../../../shared/result'
import { useApi } from '../../../api'
import type { ApiCall } from './useApiCall'

export function useAdjudication(deps: {
  run: ApiCall
  error: Ref<string | null>
  selectedSetId: Ref<string | null>
  /** Asks for the user's name first when none is set; false: not now (retry runs once it is given). */
  ensureName: (retry: () => void) => boolean
  /** After a write to the catalog: undo/redo state and the catalog's rows changed. */
  afterCatalogWrite: () => Promise<void>
}) {
  const api = useApi()
  const { run, selectedSetId } = deps
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
      deps.error.value = 'Choose who adjudicates (an adjudicator or coordinator profile) first.'
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
    if (!deps.ensureName(retry)) return null
    const report = await run(op)
    if (report) await deps.afterCatalogWrite()
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

  return {
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
    exportComments
  }
}
