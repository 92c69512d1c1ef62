/**
 * Rater mode inside the catalog app: a rater rates a review set of this
 * catalog. It talks to main only through `rater/*`, whose answers main builds
 * from an allow-list: nothing here fetches a catalog entry, a set's query or
 * the adjudication view, and the catalog's undo is not bound while rating.
 *
 * For a blinded study the reader workstation (a reader bundle opened on the
 * rater's own machine) is the place to rate: here the catalog, with its
 * reference labels, is one tab away. This mode suits coordinators,
 * adjudicators and unblinded sets.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { RaterClip, RaterSetSummary, RaterView, RatingValues } from '../../../../../shared/ratingsContract'
import type { Result } from '../../../../../shared/result'
import { useApi } from '../../../api'
import type { RaterKeyFrame } from '../../../../../shared/readerContract'
import { makeRatingSession, saveKeyFrames, type RatingClip, type RatingDraft, type RatingSession } from '../ratingSession'

/** A clip without media here cannot be rated: a rating of what one has not seen is no rating. */
const NO_MEDIA = 'This clip has no media file on this machine, so it cannot be rated here.'

function toRatingClip(c: RaterClip): RatingClip {
  return {
    clipNo: c.clipNo,
    handle: c.handle,
    fields: c.fields,
    myRating: c.myRating,
    keyFrames: c.keyFrames,
    canEdit: c.canEdit && c.mediaId !== null,
    lockedReason: c.mediaId === null ? NO_MEDIA : c.canEdit ? null : 'Your rating was revealed against the others and is final.',
    media: c.mediaId === null ? null : { mediaId: c.mediaId },
    revealed: c.revealed
  }
}

export const useRaterModeStore = defineStore('raterMode', () => {
  const api = useApi()

  const raterId = ref<string | null>(null)
  const sets = shallowRef<readonly RaterSetSummary[]>([])
  const setId = ref<string | null>(null)
  const view = shallowRef<RaterView | null>(null)
  const submitting = ref(false)
  const savingKeyFrame = ref(false)
  const notice = ref<string | null>(null)
  const error = ref<string | null>(null)
  const busy = ref(false)

  const summary = computed(() => view.value?.set ?? null)
  const clip = computed<RatingClip | null>(() => (view.value?.clip ? toRatingClip(view.value.clip) : null))

  async function call<T>(op: () => Promise<Result<T>>): Promise<T | null> {
    busy.value = true
    error.value = null
    const result = await op()
    busy.value = false
    if (result.ok) return result.value
    error.value = result.error.message
    return null
  }

  async function chooseRater(id: string | null): Promise<void> {
    raterId.value = id
    sets.value = []
    setId.value = null
    view.value = null
    notice.value = null
    if (id === null) return
    const value = await call(() => api['rater/sets']({ raterId: id }))
    if (value && raterId.value === id) sets.value = value.sets
  }

  async function openSet(id: string | null): Promise<void> {
    setId.value = id
    view.value = null
    notice.value = null
    const rid = raterId.value
    if (id === null || rid === null) return
    const next = await call(() => api['rater/next']({ setId: id, raterId: rid }))
    if (next && setId.value === id) view.value = next
  }

  async function nextUnrated(): Promise<void> {
    const rid = raterId.value
    const sid = setId.value
    if (rid === null || sid === null) return
    const next = await call(() => api['rater/next']({ setId: sid, raterId: rid }))
    if (next) view.value = next
  }

  async function goTo(clipNo: number): Promise<void> {
    const rid = raterId.value
    const sid = setId.value
    if (rid === null || sid === null) return
    const next = await call(() => api['rater/clip']({ setId: sid, raterId: rid, clipNo }))
    if (next) view.value = next
  }

  /** N and P walk the clip numbers, the one order every rater of the set shares. */
  async function step(delta: 1 | -1): Promise<void> {
    const total = summary.value?.total ?? 0
    const current = view.value?.clip?.clipNo
    if (total === 0) return
    if (current === undefined) return goTo(delta === 1 ? 1 : total)
    const target = current + delta
    if (target < 1 || target > total) {
      notice.value = delta === 1 ? 'This is the last clip.' : 'This is the first clip.'
      return
    }
    notice.value = null
    await goTo(target)
  }

  /** Saves the rating; moves on to the next unrated clip unless the set reveals something to look at first. */
  async function submit(draft: RatingDraft): Promise<boolean> {
    const rid = raterId.value
    const c = view.value?.clip
    if (rid === null || !c || draft.confidence === null) return false
    submitting.value = true
    const after = await call(() =>
      api['rater/submit']({
        setId: c.setId,
        raterId: rid,
        clipNo: c.clipNo,
        values: draft.values as RatingValues,
        confidence: draft.confidence ?? 3,
        comment: draft.comment
      })
    )
    submitting.value = false
    if (!after) return false
    view.value = after
    notice.value = `${c.handle}: rating saved. ${after.set.rated} of ${after.set.total} rated.`
    if (after.clip?.revealed === null || after.clip?.revealed === undefined) await nextUnrated()
    return true
  }

  const writeKeyFrames = (op: () => Promise<Result<{ keyFrames: readonly RaterKeyFrame[] }>>): Promise<boolean> =>
    saveKeyFrames(view, savingKeyFrame, () => call(op))

  function markKeyFrame(frame: number, note: string): Promise<boolean> {
    const rid = raterId.value
    const c = view.value?.clip
    if (rid === null || !c) return Promise.resolve(false)
    return writeKeyFrames(() => api['rater/keyFrames/set']({ setId: c.setId, raterId: rid, clipNo: c.clipNo, frame, note }))
  }

  function removeKeyFrame(frame: number): Promise<boolean> {
    const rid = raterId.value
    const c = view.value?.clip
    if (rid === null || !c) return Promise.resolve(false)
    return writeKeyFrames(() => api['rater/keyFrames/remove']({ setId: c.setId, raterId: rid, clipNo: c.clipNo, frame }))
  }

  const session: RatingSession = makeRatingSession(
    { clip, rated: () => summary.value?.rated ?? 0, total: () => summary.value?.total ?? 0, submitting, savingKeyFrame, notice, error },
    { submit, next: () => step(1), previous: () => step(-1), goTo, markKeyFrame, removeKeyFrame }
  )

  return { raterId, sets, setId, view, summary, clip, busy, error, notice, session, chooseRater, openSet, goTo, nextUnrated }
})
