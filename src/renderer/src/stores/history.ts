/**
 * The audit trail kept by main: one undoable action per edit, each change
 * attributed to the reviewer by name. Undo and redo are global (the last
 * action, whichever clip it touched) and persist across reloads; after one,
 * whatever shows the touched entry is refreshed.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Change, HistoryStatus, HistoryStep } from '../../../shared/contract'
import { useApi } from '../api'
import { useCatalogStore } from './catalog'
import { useKeyFrameStore } from './keyframes'
import { useLabelStore } from './labels'
import { useReviewStore } from './review'

const NOTHING: HistoryStatus = { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null }

export const useHistoryStore = defineStore('history', () => {
  const api = useApi()

  const status = ref<HistoryStatus>(NOTHING)
  const entryId = ref<number | null>(null)
  /** The changes of `entryId`, newest first. */
  const changes = shallowRef<readonly Change[]>([])
  const loading = ref(false)
  const busy = ref(false)
  const error = ref<string | null>(null)
  /** What the last undo or redo did, shown briefly. */
  const lastStep = ref<string | null>(null)
  let listRequest = 0
  let stepTimer: ReturnType<typeof setTimeout> | null = null

  async function refreshStatus(): Promise<void> {
    const result = await api['history/status']({})
    if (result.ok) status.value = result.value
  }

  async function loadList(id: number | null): Promise<void> {
    const mine = ++listRequest
    if (id !== entryId.value) changes.value = []
    entryId.value = id
    if (id === null) return
    loading.value = true
    const result = await api['history/list']({ entryId: id })
    if (mine !== listRequest) return
    loading.value = false
    if (result.ok) {
      changes.value = result.value.changes
      error.value = null
    } else error.value = result.error.message
  }

  /** After an edit of `id`: the list (if shown) and the undo/redo state changed. */
  async function afterEdit(id: number): Promise<void> {
    await Promise.all([refreshStatus(), id === entryId.value ? loadList(id) : Promise.resolve()])
  }

  // Ctrl+Z pressed three times undoes three actions: requests queue up rather than being dropped.
  let queue: Promise<void> = Promise.resolve()
  let queued = 0

  function enqueue(which: 'history/undo' | 'history/redo'): Promise<void> {
    queued++
    busy.value = true
    queue = queue.then(() => run(which)).finally(() => {
      queued--
      busy.value = queued > 0
    })
    return queue
  }

  async function run(which: 'history/undo' | 'history/redo'): Promise<void> {
    error.value = null
    // An edit still on its way would otherwise land after the undo meant for it.
    await useLabelStore().flushed()
    const result = await api[which]({})
    if (!result.ok) {
      error.value = result.error.message
      await refreshStatus()
      return
    }
    await applyStep(result.value)
  }

  async function applyStep(step: HistoryStep): Promise<void> {
    status.value = step.status
    lastStep.value = step.description
    if (stepTimer !== null) clearTimeout(stepTimer)
    stepTimer = setTimeout(() => (lastStep.value = null), 6_000)
    const touched = step.entryId
    if (touched === null) return
    const review = useReviewStore()
    const keyFrames = useKeyFrameStore()
    const catalog = useCatalogStore()
    await Promise.all([
      catalog.refreshEntry(touched).then((detail) => {
        if (detail) review.applyDetail(detail)
      }),
      keyFrames.entryId === touched ? keyFrames.load(touched) : Promise.resolve(),
      touched === entryId.value ? loadList(touched) : Promise.resolve()
    ])
  }

  const undo = (): Promise<void> => enqueue('history/undo')
  const redo = (): Promise<void> => enqueue('history/redo')

  return { status, entryId, changes, loading, busy, error, lastStep, refreshStatus, loadList, afterEdit, undo, redo }
})
