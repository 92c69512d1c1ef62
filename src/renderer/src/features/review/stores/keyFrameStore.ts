/**
 * Key frames of the clip under review: frames a reviewer marked, each with a
 * short note. Frames are 0-based indices into the played file's frames (the
 * UI shows them 1-based, like the frame counter). Marking and removing are
 * audited and undoable like cell edits.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { KeyFrame } from '../../../../../shared/contract'
import { useApi } from '../../../api'
import { useHistoryStore } from './historyStore'
import { useSettingsStore } from '../../../app/stores/settingsStore'

export const useKeyFrameStore = defineStore('keyframes', () => {
  const api = useApi()
  const settings = useSettingsStore()

  const entryId = ref<number | null>(null)
  const keyFrames = shallowRef<readonly KeyFrame[]>([])
  const error = ref<string | null>(null)
  const saving = ref(false)
  let request = 0

  async function load(id: number | null): Promise<void> {
    const mine = ++request
    if (id !== entryId.value) keyFrames.value = []
    entryId.value = id
    error.value = null
    if (id === null) return
    const result = await api['keyframes/list']({ entryId: id })
    if (mine !== request) return
    if (result.ok) keyFrames.value = result.value.keyFrames
    else error.value = result.error.message
  }

  async function write(
    op: () => ReturnType<(typeof api)['keyframes/set']>,
    id: number
  ): Promise<boolean> {
    if (!settings.ensureName('edit', () => void write(op, id))) return false
    saving.value = true
    error.value = null
    const result = await op()
    saving.value = false
    if (!result.ok) {
      error.value = result.error.message
      if (result.error.code === 'conflict' && !settings.hasName) settings.ensureName()
      return false
    }
    if (id === entryId.value) {
      request++
      keyFrames.value = result.value.keyFrames
    }
    await useHistoryStore().afterEdit(id)
    return true
  }

  function mark(frame: number, note: string): Promise<boolean> {
    const id = entryId.value
    if (id === null) return Promise.resolve(false)
    return write(() => api['keyframes/set']({ entryId: id, frame, note: note.trim() }), id)
  }

  function remove(frame: number): Promise<boolean> {
    const id = entryId.value
    if (id === null) return Promise.resolve(false)
    return write(() => api['keyframes/remove']({ entryId: id, frame }), id)
  }

  // Undo or redo of a key-frame edit on the clip shown here brings its frames back up to date.
  useHistoryStore().onStepApplied((id) => (id === entryId.value ? load(id) : Promise.resolve()))

  const at = (frame: number): KeyFrame | undefined => keyFrames.value.find((k) => k.frame === frame)

  return { entryId, keyFrames, error, saving, load, mark, remove, at }
})
