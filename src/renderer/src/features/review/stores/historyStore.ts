/**
 * The audit trail kept by main: one undoable action per edit, each change
 * attributed to the reviewer by name. The undo stack is global and persists
 * across reloads, but undo and redo only ever change the clip on screen: when
 * the next step is on another clip, the first press shows that clip with a
 * notice of what a second press would do, and only that second press acts.
 * Each step names the edit it expects, and main refuses it if the stack's top
 * has moved on, so nothing changes where the reviewer is not looking.
 *
 * The stores that write edits (labels, key frames) call this one after each
 * edit and register what an undo must wait for and what it must reload; this
 * store never imports them, so the three form no import cycle.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { Change, HistoryStatus, HistoryStep, HistoryTarget } from '../../../../../shared/contract'
import { useApi } from '../../../api'
import { useCatalogStore } from '../../catalog'
import { useNavigationStore } from '../../../app/stores/navigationStore'
import { useReviewStore } from './reviewStore'

export type Direction = 'undo' | 'redo'

/** A message about undo/redo shown over the clip it concerns. */
export interface HistoryNotice {
  entryId: number
  direction: Direction
  /** shown: the clip was brought up for the next step, which a second press takes; done: the step was taken. */
  kind: 'shown' | 'done'
  /** For `shown`: the edit the second press would take; the notice is stale once that is no longer next. */
  actionId: number
  text: string
}

/** How the undo or redo control describes itself: its tooltip, and its name for screen readers. */
export interface StepHint {
  title: string
  ariaLabel: string
}

const NOTHING: HistoryStatus = { canUndo: false, canRedo: false, undo: null, redo: null }
const KEYS: Record<Direction, string> = { undo: 'Ctrl+Z', redo: 'Ctrl+Shift+Z' }
const VERB: Record<Direction, { name: string; done: string }> = {
  undo: { name: 'Undo', done: 'Undid' },
  redo: { name: 'Redo', done: 'Redid' }
}
const BLINDED_TEXT = 'Undo and redo work in the catalog and the review, which show the clip they change.'
/** Longest wait for a shown clip to load before presses count again (a clip that fails to load shows its error). */
const SHOW_TIMEOUT_MS = 10_000

/** Resolves once `ready` holds, or after `ms` at the latest. */
function until(ready: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let stop: (() => void) | null = null
    let finished = false
    const finish = (): void => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      stop?.()
      resolve()
    }
    const timer = setTimeout(finish, ms)
    stop = watch(ready, (ok) => ok && finish(), { immediate: true })
    if (finished) stop()
  })
}

export const useHistoryStore = defineStore('history', () => {
  const api = useApi()
  const navigation = useNavigationStore()
  const catalog = useCatalogStore()

  const status = ref<HistoryStatus>(NOTHING)
  const entryId = ref<number | null>(null)
  /** The changes of `entryId`, newest first. */
  const changes = shallowRef<readonly Change[]>([])
  const loading = ref(false)
  const busy = ref(false)
  const error = ref<string | null>(null)
  /** What the last undo or redo did, shown briefly in the status bar. */
  const lastStep = ref<string | null>(null)
  const notice = ref<HistoryNotice | null>(null)
  let listRequest = 0
  /** Writers' "all my saves are answered" promises: a step waits for them so it never lands before the edit it undoes. */
  const pendingWrites = new Set<() => Promise<void>>()
  /** Called with the clip a step changed, so a store showing that clip's data reloads it. */
  const stepListeners = new Set<(entryId: number) => Promise<void>>()
  let stepTimer: ReturnType<typeof setTimeout> | null = null

  /**
   * The clip whose values the reviewer sees: the one under review, or the
   * one the catalog's detail panel shows. Elsewhere (statistics, blinded
   * review, …) no clip's labels are on screen.
   */
  const onScreen = computed<number | null>(() => {
    if (navigation.view === 'review') return navigation.reviewEntryId
    if (navigation.view === 'catalog') return catalog.selectedId
    return null
  })

  /**
   * Blinded review: raters must not learn which clip is which, so undo there
   * neither names a clip nor brings one up; it is done from the catalog or
   * the review instead.
   */
  const blinded = computed(() => navigation.view === 'ratings')

  // A notice belongs to its clip: showing another one (or none) retires it.
  watch(onScreen, (id) => {
    if (notice.value !== null && notice.value.entryId !== id) notice.value = null
  })

  function hint(direction: Direction): StepHint {
    const target = status.value[direction]
    const { name } = VERB[direction]
    if (target === null) return { title: `Nothing to ${direction} (${KEYS[direction]})`, ariaLabel: name }
    if (blinded.value) return { title: BLINDED_TEXT, ariaLabel: name }
    if (target.entryId === onScreen.value)
      return { title: `${name} ${target.change} on this clip (${KEYS[direction]})`, ariaLabel: `${name} ${target.change}` }
    const which = direction === 'undo' ? 'The last change' : 'The change to redo'
    return {
      title: `${which} was on ${target.filename}: ${target.change}. ${KEYS[direction]} shows that clip first; press again to ${direction} it there.`,
      ariaLabel: `Show ${target.filename} to ${direction} ${target.change}`
    }
  }

  const undoHint = computed(() => hint('undo'))
  const redoHint = computed(() => hint('redo'))

  /** The notice to show over clip `id`; a `shown` notice lasts only while its edit is still the next step. */
  function noticeFor(id: number | null): HistoryNotice | null {
    const n = notice.value
    if (n === null || n.entryId !== id) return null
    if (n.kind === 'shown' && status.value[n.direction]?.actionId !== n.actionId) return null
    return n
  }

  function dismissNotice(): void {
    notice.value = null
  }

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

  /** A store that saves edits registers how to wait for its saves in flight. */
  function waitForWritesOf(flushed: () => Promise<void>): void {
    pendingWrites.add(flushed)
  }

  /** A store that shows data undo or redo may change registers how to reload it. */
  function onStepApplied(reload: (entryId: number) => Promise<void>): void {
    stepListeners.add(reload)
  }

  /** After an edit of `id`: the list (if shown) and the undo/redo state changed, and any notice is out of date. */
  async function afterEdit(id: number): Promise<void> {
    notice.value = null
    await Promise.all([refreshStatus(), id === entryId.value ? loadList(id) : Promise.resolve()])
  }

  // Ctrl+Z pressed three times undoes three actions: presses queue up rather than being dropped.
  let queue: Promise<void> = Promise.resolve()
  let queued = 0
  /**
   * Counts the times a press showed a clip instead of acting. Presses queued
   * before that clip was on screen are dropped: they were made without seeing
   * it, and the second press must be a decision taken with the clip in view.
   */
  let shows = 0

  function enqueue(direction: Direction): Promise<void> {
    const seen = shows
    queued++
    busy.value = true
    queue = queue
      .then(() => (seen === shows ? run(direction) : undefined))
      .catch((e: unknown) => {
        error.value = `${VERB[direction].name} failed: ${e instanceof Error ? e.message : String(e)}`
      })
      .finally(() => {
        queued--
        busy.value = queued > 0
      })
    return queue
  }

  async function run(direction: Direction): Promise<void> {
    error.value = null
    // An edit still on its way would otherwise land after the undo meant for it.
    await Promise.all([...pendingWrites].map((flushed) => flushed()))
    // Decide on main's stack as it is now, not on what this page last heard of it.
    const current = await api['history/status']({})
    if (!current.ok) {
      error.value = current.error.message
      return
    }
    status.value = current.value
    const target = current.value[direction]
    if (target === null) {
      showStep(`Nothing to ${direction}.`)
      return
    }
    if (blinded.value) {
      showStep(BLINDED_TEXT)
      return
    }
    if (target.entryId !== onScreen.value) {
      await show(direction, target)
      shows++
      return
    }
    const step = api[direction === 'undo' ? 'history/undo' : 'history/redo']
    const result = await step({ entryId: target.entryId, actionId: target.actionId })
    if (!result.ok) {
      notice.value = null
      error.value = result.error.message
      await refreshStatus()
      return
    }
    await applyStep(direction, result.value)
  }

  /** Brings up the clip the next step would change, and says what a second press does there. */
  async function show(direction: Direction, target: HistoryTarget): Promise<void> {
    const which = direction === 'undo' ? 'The last change' : 'The change to redo'
    const again = direction === 'undo' ? 'Press Ctrl+Z (or Undo) again to undo it.' : 'Press Ctrl+Shift+Z (or Redo) again to redo it.'
    notice.value = { entryId: target.entryId, direction, kind: 'shown', actionId: target.actionId, text: `${which} was on this clip: ${target.change}. ${again}` }
    navigation.openReview(target.entryId)
    const review = useReviewStore()
    await until(
      () =>
        review.detail?.summary.id === target.entryId ||
        review.error !== null ||
        navigation.view !== 'review' ||
        navigation.reviewEntryId !== target.entryId,
      SHOW_TIMEOUT_MS
    )
  }

  function showStep(text: string): void {
    lastStep.value = text
    if (stepTimer !== null) clearTimeout(stepTimer)
    stepTimer = setTimeout(() => (lastStep.value = null), 6_000)
  }

  async function applyStep(direction: Direction, step: HistoryStep): Promise<void> {
    status.value = step.status
    showStep(step.description)
    const done = step.target
    if (done === null) return
    const back = direction === 'undo' ? 'Ctrl+Shift+Z redoes it.' : 'Ctrl+Z undoes it again.'
    notice.value = {
      entryId: done.entryId,
      direction,
      kind: 'done',
      actionId: done.actionId,
      text: `${VERB[direction].done} ${done.change} on this clip. ${back}`
    }
    const touched = done.entryId
    const review = useReviewStore()
    await Promise.all([
      catalog.refreshEntry(touched).then((detail) => {
        if (detail) review.applyDetail(detail)
      }),
      ...[...stepListeners].map((reload) => reload(touched)),
      touched === entryId.value ? loadList(touched) : Promise.resolve()
    ])
  }

  const undo = (): Promise<void> => enqueue('undo')
  const redo = (): Promise<void> => enqueue('redo')

  return {
    status,
    entryId,
    changes,
    loading,
    busy,
    error,
    lastStep,
    notice,
    onScreen,
    undoHint,
    redoHint,
    noticeFor,
    dismissNotice,
    refreshStatus,
    loadList,
    afterEdit,
    waitForWritesOf,
    onStepApplied,
    undo,
    redo
  }
})
