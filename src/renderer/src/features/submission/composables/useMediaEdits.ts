/**
 * Step 2, crop and trim: the draft crop, trim and masks of the clip open in
 * the editor (saved as one set), and crop.json files that carry such edits
 * for a whole contributions source in and out.
 */
import { computed, reactive, ref, shallowRef, type ComputedRef, type Ref } from 'vue'
import type { MediaEditsInfo } from '../../../../../shared/submissionContract'
import type { Crop, Rect } from '../cropGeometry'
import { callSubmission, type SubResult } from '../submissionApi'

export type CropJsonImport = SubResult<'submission/cropJson/import'>
export type CropJsonExport = SubResult<'submission/cropJson/export'>

export interface EditDraft {
  crop: Crop | null
  trim: { start: number; end: number } | null
  masks: Rect[]
}

export function useMediaEdits(deps: {
  entryId: Ref<number | null>
  /** The player's frame on screen and its frame count (the review's player store). */
  player: { frame: number; frameCount: number }
  contributionsSourceId: ComputedRef<number | undefined>
}) {
  const { entryId, player } = deps
  const edits = shallowRef<MediaEditsInfo | null>(null)
  const draft = reactive<EditDraft>({ crop: null, trim: null, masks: [] })
  const editsError = ref<string | null>(null)
  const saveMessage = ref<string | null>(null)
  const savingEdits = ref(false)
  const dirty = ref(false)

  function takeEdits(info: MediaEditsInfo): void {
    edits.value = info
    draft.crop = info.crop === null ? null : { ...info.crop }
    draft.trim = info.trim === null ? null : { ...info.trim }
    draft.masks = info.masks.map((m) => ({ ...m }))
    dirty.value = false
  }

  async function loadEdits(id: number): Promise<void> {
    const result = await callSubmission('submission/edits/get', { entryId: id })
    if (id !== entryId.value) return
    if (result.ok) takeEdits(result.value)
    else {
      edits.value = null
      editsError.value = result.error.message
    }
  }

  function setCrop(crop: Crop | null): void {
    draft.crop = crop
    dirty.value = true
    saveMessage.value = null
  }
  function addMask(rect: Rect): void {
    draft.masks.push(rect)
    dirty.value = true
  }
  function removeMask(index: number): void {
    draft.masks.splice(index, 1)
    dirty.value = true
  }

  const frameCount = computed(() => edits.value?.media?.frames ?? player.frameCount)

  /** Trim start at the player's frame (inclusive); the end moves past it if needed. */
  function setStart(): void {
    const start = player.frame
    const end = draft.trim !== null && draft.trim.end > start ? draft.trim.end : Math.max(start + 1, frameCount.value)
    draft.trim = { start, end }
    dirty.value = true
  }
  /** Trim end at the player's frame: that frame is the last kept (end = frame + 1, exclusive). */
  function setEnd(): void {
    const end = player.frame + 1
    const start = draft.trim !== null && draft.trim.start < end ? draft.trim.start : 0
    draft.trim = { start: Math.min(start, end - 1), end }
    dirty.value = true
  }
  function clearTrim(): void {
    draft.trim = null
    dirty.value = true
  }

  async function saveEdits(): Promise<boolean> {
    const id = entryId.value
    if (id === null) return false
    savingEdits.value = true
    editsError.value = null
    saveMessage.value = null
    const result = await callSubmission('submission/edits/set', {
      entryId: id,
      crop: draft.crop,
      trim: draft.trim,
      masks: draft.masks.map((m) => ({ ...m }))
    })
    savingEdits.value = false
    if (!result.ok) {
      editsError.value = result.error.message
      return false
    }
    takeEdits(result.value)
    saveMessage.value = `Saved. ChangesMade: ${result.value.changesMade}`
    return true
  }

  // crop.json
  const cropJsonPath = ref('')
  const cropJsonImport = shallowRef<CropJsonImport | null>(null)
  const cropJsonExport = shallowRef<CropJsonExport | null>(null)
  const cropJsonError = ref<string | null>(null)

  async function importCropJson(): Promise<void> {
    cropJsonError.value = null
    const sourceId = deps.contributionsSourceId.value
    const result = await callSubmission('submission/cropJson/import', {
      path: cropJsonPath.value.trim(),
      ...(sourceId !== undefined ? { sourceId } : {})
    })
    if (!result.ok) {
      cropJsonError.value = result.error.message
      return
    }
    cropJsonImport.value = result.value
    if (entryId.value !== null) await loadEdits(entryId.value)
  }

  async function exportCropJson(): Promise<CropJsonExport | null> {
    cropJsonError.value = null
    const sourceId = deps.contributionsSourceId.value
    const result = await callSubmission('submission/cropJson/export', sourceId !== undefined ? { sourceId } : {})
    if (!result.ok) {
      cropJsonError.value = result.error.message
      return null
    }
    cropJsonExport.value = result.value
    return result.value
  }

  return {
    edits,
    draft,
    editsError,
    saveMessage,
    savingEdits,
    dirty,
    frameCount,
    loadEdits,
    setCrop,
    addMask,
    removeMask,
    setStart,
    setEnd,
    clearTrim,
    saveEdits,
    cropJsonPath,
    cropJsonImport,
    cropJsonExport,
    cropJsonError,
    importCropJson,
    exportCropJson
  }
}
