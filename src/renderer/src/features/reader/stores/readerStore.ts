/**
 * The reader workstation: one study from a reader bundle, rated by one of
 * the raters it is for. Talks to main only through `reader/*` (and the
 * player's `reader/playback`); main refuses everything else in this mode, so
 * no catalog, reference label or file name can reach this page.
 *
 * Who the rater is stays chosen across reloads (per study, in this browser's
 * storage), so a restart resumes where they were.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ReaderExportResult, ReaderStudy, ReaderView } from '../../../../../shared/readerContract'
import type { Result } from '../../../../../shared/result'
import { useApi } from '../../../api'
import { makeRatingSession, type RatingSession } from '../../ratings'

const raterKey = (studyId: string): string => `lus-review.reader.${studyId}.rater`

function remember(studyId: string, raterId: string | null): void {
  try {
    if (raterId === null) window.localStorage.removeItem(raterKey(studyId))
    else window.localStorage.setItem(raterKey(studyId), raterId)
  } catch {
    // Storage may be unavailable; the rater then picks their name again after a reload.
  }
}

function remembered(studyId: string): string | null {
  try {
    return window.localStorage.getItem(raterKey(studyId))
  } catch {
    return null
  }
}

export const useReaderStore = defineStore('reader', () => {
  const api = useApi()

  const study = shallowRef<ReaderStudy | null>(null)
  const loadError = ref<string | null>(null)
  const raterId = ref<string | null>(null)
  const view = shallowRef<ReaderView | null>(null)
  const submitting = ref(false)
  const savingKeyFrame = ref(false)
  const exporting = ref(false)
  const exported = shallowRef<ReaderExportResult | null>(null)
  const notice = ref<string | null>(null)
  const error = ref<string | null>(null)

  const rater = computed(() => study.value?.raters.find((r) => r.id === raterId.value) ?? null)
  const finalized = computed(() => view.value?.finalizedAt ?? null)
  const allRated = computed(() => view.value !== null && view.value.rated === view.value.total)

  async function call<T>(op: () => Promise<Result<T>>): Promise<T | null> {
    error.value = null
    const result = await op()
    if (result.ok) return result.value
    error.value = result.error.message
    return null
  }

  async function load(): Promise<void> {
    const result = await api['reader/study']({})
    if (!result.ok) {
      loadError.value = result.error.message
      return
    }
    study.value = result.value
    const only = result.value.raters.length === 1 ? result.value.raters[0]!.id : null
    const kept = remembered(result.value.studyId)
    const choice = only ?? (result.value.raters.some((r) => r.id === kept) ? kept : null)
    if (choice !== null) await chooseRater(choice)
  }

  async function chooseRater(id: string | null): Promise<void> {
    raterId.value = id
    view.value = null
    notice.value = null
    exported.value = null
    if (study.value) remember(study.value.studyId, id)
    if (id === null) return
    const opened = await call(() => api['reader/open']({ raterId: id }))
    if (opened && raterId.value === id) view.value = opened
  }

  async function goTo(clipNo: number): Promise<void> {
    const id = raterId.value
    if (id === null) return
    const opened = await call(() => api['reader/open']({ raterId: id, clipNo }))
    if (opened) view.value = opened
  }

  /** N and P walk this rater's queue, the order the study gives them. */
  async function step(delta: 1 | -1): Promise<void> {
    const v = view.value
    if (!v || v.queue.length === 0) return
    const at = v.clip ? v.queue.findIndex((q) => q.clipNo === v.clip!.clipNo) : -1
    const target = at === -1 ? (delta === 1 ? 0 : v.queue.length - 1) : at + delta
    if (target < 0 || target >= v.queue.length) {
      notice.value = delta === 1 ? 'This is the last clip of your list.' : 'This is the first clip of your list.'
      return
    }
    notice.value = null
    await goTo(v.queue[target]!.clipNo)
  }

  /** Writes the ratings bundle for the coordinator; `final` locks the ratings. */
  async function exportRatings(final: boolean, outPath: string | null): Promise<boolean> {
    const id = raterId.value
    if (id === null) return false
    exporting.value = true
    const result = await call(() => api['reader/exportRatings']({ raterId: id, final, ...(outPath ? { outPath } : {}) }))
    exporting.value = false
    if (!result) return false
    exported.value = result
    // The clip on screen (if any) is now locked: fetch it again so the form says so.
    const current = view.value?.clip?.clipNo
    const refreshed = await call(() => api['reader/open']({ raterId: id, ...(current !== undefined ? { clipNo: current } : {}) }))
    if (refreshed) view.value = refreshed
    return true
  }

  const session: RatingSession = makeRatingSession(
    { view, raterId, rated: () => view.value?.rated ?? 0, total: () => view.value?.total ?? 0, submitting, savingKeyFrame, notice, error },
    {
      call,
      access: (c) => ({
        canEdit: c.canEdit,
        lockedReason: c.canEdit ? null : 'You exported your ratings as final; they can no longer be changed.',
        media: { studyClipNo: c.clipNo },
        revealed: null
      }),
      submit: (id, c, rating) => api['reader/submit']({ raterId: id, clipNo: c.clipNo, ...rating }),
      // The next unrated clip is fetched before the form is enabled again.
      showSaved: async (after, c, id) => {
        const next = await call(() => api['reader/open']({ raterId: id }))
        view.value = next ?? after
        notice.value =
          `${c.handle}: rating saved. ${after.rated} of ${after.total} rated.` +
          (next && next.clip === null ? ' Every clip is rated: export your ratings when you are ready.' : '')
      },
      setKeyFrame: (id, c, frame, note) => api['reader/keyFrames/set']({ raterId: id, clipNo: c.clipNo, frame, note }),
      removeKeyFrame: (id, c, frame) => api['reader/keyFrames/remove']({ raterId: id, clipNo: c.clipNo, frame })
    },
    { next: () => step(1), previous: () => step(-1), goTo }
  )
  const clip = computed(() => session.clip)

  return {
    study,
    loadError,
    raterId,
    rater,
    view,
    clip,
    finalized,
    allRated,
    exporting,
    exported,
    notice,
    error,
    session,
    load,
    chooseRater,
    goTo,
    exportRatings
  }
})
