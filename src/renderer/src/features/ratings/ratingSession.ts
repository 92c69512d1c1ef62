/**
 * What the rating workspace needs of whoever holds the ratings: the reader
 * workstation's store (a study opened from a reader bundle) and the catalog
 * app's rater mode (a review set in the local catalog) both provide it, so a
 * rater meets one form, one player and one set of keys in either.
 *
 * A clip is named by its handle only ("Clip 7 of 45"); nothing here can carry
 * a file name, a reference value or another rater's answer.
 */
import { computed, proxyRefs, type Ref, type ShallowRef } from 'vue'
import type { RaterKeyFrame } from '../../../../shared/readerContract'
import type { Rating, RatingField, RatingValue, RatingValues } from '../../../../shared/ratingsContract'
import type { Result } from '../../../../shared/result'
import { PATHOLOGY_STATES, SYMPTOM_STATES } from '../../../../shared/vocabulary'
import type { ApiCall } from './composables/useApiCall'

/** What main tells of a clip in either place (`RaterClip`, `ReaderClip`) that the workspace shows as it is. */
export interface RaterClipBase {
  clipNo: number
  handle: string
  fields: readonly RatingField[]
  myRating: Rating | null
  keyFrames: readonly RaterKeyFrame[]
}

export interface RatingClip extends RaterClipBase {
  canEdit: boolean
  /** Why the rating cannot be changed, when it cannot. */
  lockedReason: string | null
  /** What the player plays: a reader-study clip, a catalog media file, or nothing (no media here). */
  media: { studyClipNo: number } | { mediaId: number } | null
  /** Reference values and other raters' answers, only where the set reveals them after submitting. */
  revealed: { reference: RatingValues; others: readonly { rater: string; values: RatingValues }[] } | null
}

export interface RatingDraft {
  values: Partial<Record<RatingField, RatingValue>>
  confidence: number | null
  comment: string
}

export interface RatingSession {
  readonly clip: RatingClip | null
  readonly rated: number
  readonly total: number
  readonly submitting: boolean
  readonly savingKeyFrame: boolean
  /** The confirmation of the last submission (or what a key did), shown until the next action. */
  readonly notice: string | null
  readonly error: string | null
  /** Saves the rating of the clip on screen and, when it was saved, moves on to the next unrated clip. */
  submit(draft: RatingDraft): Promise<boolean>
  next(): Promise<void>
  previous(): Promise<void>
  goTo(clipNo: number): Promise<void>
  markKeyFrame(frame: number, note: string): Promise<boolean>
  removeKeyFrame(frame: number): Promise<boolean>
  say(message: string): void
}

const cycle = <T>(states: readonly T[], current: T | undefined): T => {
  const i = current === undefined ? -1 : states.indexOf(current)
  return states[(i + 1) % states.length]!
}

/** A finding key cycles not assessed → present → absent, as in the review workspace. */
export function nextPathologyState(current: RatingValue | undefined): RatingValue {
  const order = ['not_assessed', 'present', 'absent'] as const satisfies readonly (typeof PATHOLOGY_STATES)[number][]
  return cycle(order, current as (typeof order)[number] | undefined)
}

/** A symptom key cycles n/A → yes → no. */
export function nextSymptomState(current: RatingValue | undefined): RatingValue {
  const order = ['n/A', 'yes', 'no'] as const satisfies readonly (typeof SYMPTOM_STATES)[number][]
  return cycle(order, current as (typeof order)[number] | undefined)
}

/** Main's answer about the rater's place: the clip on screen (none once all are rated) and more the store reads. */
export interface RaterViewBase {
  clip: RaterClipBase | null
}

type ClipOf<V extends RaterViewBase> = NonNullable<V['clip']>

/** A draft as the submit operations take it: complete, with its confidence. */
export interface SubmittedRating {
  values: RatingValues
  confidence: number
  comment: string
}

type KeyFrameAnswer = Promise<Result<{ keyFrames: readonly RaterKeyFrame[] }>>

/** What a store keeps for the workspace; the session reads it live, so the workspace stays reactive. */
export interface RatingSessionState<V extends RaterViewBase> {
  view: ShallowRef<V | null>
  raterId: Readonly<Ref<string | null>>
  rated: () => number
  total: () => number
  submitting: Ref<boolean>
  savingKeyFrame: Ref<boolean>
  notice: Ref<string | null>
  error: Ref<string | null>
}

/** How a store reaches main for the clip on screen: `rater/*` in rater mode, `reader/*` at the reader workstation. */
export interface RatingEndpoints<V extends RaterViewBase> {
  /** Runs an operation; a refusal shows in the store's error box and answers null. */
  call: ApiCall
  /** Whether the rating can change, what the player plays and what the set reveals: all the workspace gets beyond `RaterClipBase`. */
  access(clip: ClipOf<V>): Pick<RatingClip, 'canEdit' | 'lockedReason' | 'media' | 'revealed'>
  submit(raterId: string, clip: ClipOf<V>, rating: SubmittedRating): Promise<Result<V>>
  /** Puts main's answer to a saved rating on screen; the form stays disabled until it has. */
  showSaved(saved: V, clip: ClipOf<V>, raterId: string): Promise<void> | void
  /** What follows once the form is enabled again, if anything. */
  afterSaved?(saved: V): Promise<void>
  setKeyFrame(raterId: string, clip: ClipOf<V>, frame: number, note: string): KeyFrameAnswer
  removeKeyFrame(raterId: string, clip: ClipOf<V>, frame: number): KeyFrameAnswer
}

export type RatingNavigation = Pick<RatingSession, 'next' | 'previous' | 'goTo'>

/**
 * The session a store hands the workspace: submitting and key frames go the
 * same way in rater mode and at the reader workstation, through `endpoints`;
 * moving between clips follows each one's own order (`navigation`).
 */
export function makeRatingSession<V extends RaterViewBase>(
  state: RatingSessionState<V>,
  endpoints: RatingEndpoints<V>,
  navigation: RatingNavigation
): RatingSession {
  const { view, raterId, submitting, savingKeyFrame, notice } = state

  const clip = computed<RatingClip | null>(() => {
    const c = view.value?.clip
    // Field by field, not a spread: whatever else main's clip carries never reaches the workspace.
    return c ? { clipNo: c.clipNo, handle: c.handle, fields: c.fields, myRating: c.myRating, keyFrames: c.keyFrames, ...endpoints.access(c) } : null
  })

  async function submit(draft: RatingDraft): Promise<boolean> {
    const rid = raterId.value
    const c = view.value?.clip
    if (rid === null || !c || draft.confidence === null) return false
    const rating: SubmittedRating = { values: draft.values as RatingValues, confidence: draft.confidence, comment: draft.comment }
    submitting.value = true
    const saved = await endpoints.call(() => endpoints.submit(rid, c, rating))
    if (saved) await endpoints.showSaved(saved, c, rid)
    submitting.value = false
    if (!saved) return false
    await endpoints.afterSaved?.(saved)
    return true
  }

  function writeKeyFrames(write: (raterId: string, clip: ClipOf<V>) => KeyFrameAnswer): Promise<boolean> {
    const rid = raterId.value
    const c = view.value?.clip
    if (rid === null || !c) return Promise.resolve(false)
    return saveKeyFrames(view, savingKeyFrame, () => endpoints.call(() => write(rid, c)))
  }

  // Refs read as their values (as a component's setup() answer does), so the workspace sees plain, live fields.
  return proxyRefs({
    clip,
    rated: computed(state.rated),
    total: computed(state.total),
    submitting,
    savingKeyFrame,
    notice,
    error: state.error,
    say(message: string) {
      notice.value = message
    },
    submit,
    markKeyFrame: (frame: number, note: string) => writeKeyFrames((rid, c) => endpoints.setKeyFrame(rid, c, frame, note)),
    removeKeyFrame: (frame: number) => writeKeyFrames((rid, c) => endpoints.removeKeyFrame(rid, c, frame)),
    ...navigation
  })
}

/**
 * Saves a key-frame change and puts main's list on the clip it was made on.
 * The rater may have moved to another clip while it saved: the answer then
 * belongs to a view no longer on screen and is dropped (the clip is fetched
 * afresh when they come back).
 */
async function saveKeyFrames<V extends { clip: { keyFrames: readonly RaterKeyFrame[] } | null }>(
  view: ShallowRef<V | null>,
  saving: Ref<boolean>,
  write: () => Promise<{ keyFrames: readonly RaterKeyFrame[] } | null>
): Promise<boolean> {
  const current = view.value
  if (!current?.clip) return false
  saving.value = true
  const value = await write()
  saving.value = false
  if (!value || view.value !== current || !current.clip) return false
  view.value = { ...current, clip: { ...current.clip, keyFrames: value.keyFrames } } as V
  return true
}
