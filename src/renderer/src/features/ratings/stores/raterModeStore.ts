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
import type { RaterClip, RaterSetSummary, RaterView } from '../../../../../shared/ratingsContract'
import { useApi } from '../../../api'
import { useApiCall } from '../composables/useApiCall'
import { makeRatingSession, type RatingClip, type RatingSession } from '../ratingSession'

/** A clip without media here cannot be rated: a rating of what one has not seen is no rating. */
const NO_MEDIA = 'This clip has no media file on this machine, so it cannot be rated here.'

function access(c: RaterClip): Pick<RatingClip, 'canEdit' | 'lockedReason' | 'media' | 'revealed'> {
  return {
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
  const call = useApiCall(error, busy)

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

  const session: RatingSession = makeRatingSession(
    { view, raterId, rated: () => summary.value?.rated ?? 0, total: () => summary.value?.total ?? 0, submitting, savingKeyFrame, notice, error },
    {
      call,
      access,
      submit: (rid, c, rating) => api['rater/submit']({ setId: c.setId, raterId: rid, clipNo: c.clipNo, ...rating }),
      showSaved: (after, c) => {
        view.value = after
        notice.value = `${c.handle}: rating saved. ${after.set.rated} of ${after.set.total} rated.`
      },
      // On to the next unrated clip, unless the set reveals something to look at first.
      afterSaved: async (after) => {
        if ((after.clip?.revealed ?? null) === null) await nextUnrated()
      },
      setKeyFrame: (rid, c, frame, note) => api['rater/keyFrames/set']({ setId: c.setId, raterId: rid, clipNo: c.clipNo, frame, note }),
      removeKeyFrame: (rid, c, frame) => api['rater/keyFrames/remove']({ setId: c.setId, raterId: rid, clipNo: c.clipNo, frame })
    },
    { next: () => step(1), previous: () => step(-1), goTo }
  )
  const clip = computed(() => session.clip)

  return { raterId, sets, setId, view, summary, clip, busy, error, notice, session, chooseRater, openSet, goTo, nextUnrated }
})
