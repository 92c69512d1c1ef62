/**
 * What the rating workspace needs of whoever holds the ratings: the reader
 * workstation's store (a study opened from a reader bundle) and the catalog
 * app's rater mode (a review set in the local catalog) both provide it, so a
 * rater meets one form, one player and one set of keys in either.
 *
 * A clip is named by its handle only ("Clip 7 of 45"); nothing here can carry
 * a file name, a reference value or another rater's answer.
 */
import type { Ref, ShallowRef } from 'vue'
import type { RaterKeyFrame } from '../../../../shared/readerContract'
import type { Rating, RatingField, RatingValue, RatingValues } from '../../../../shared/ratingsContract'
import { PATHOLOGIES, PATHOLOGY_STATES, SYMPTOMS, SYMPTOM_STATES } from '../../../../shared/vocabulary'

export interface RatingClip {
  clipNo: number
  handle: string
  fields: readonly RatingField[]
  myRating: Rating | null
  keyFrames: readonly RaterKeyFrame[]
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

export const isPathology = (f: string): f is (typeof PATHOLOGIES)[number] => (PATHOLOGIES as readonly string[]).includes(f)
export const isSymptom = (f: string): f is (typeof SYMPTOMS)[number] => (SYMPTOMS as readonly string[]).includes(f)

/** What a store keeps for the workspace; `makeRatingSession` reads it through getters so the workspace stays reactive. */
export interface RatingSessionState {
  clip: Readonly<Ref<RatingClip | null>>
  rated: () => number
  total: () => number
  submitting: Ref<boolean>
  savingKeyFrame: Ref<boolean>
  notice: Ref<string | null>
  error: Ref<string | null>
}

export type RatingSessionActions = Pick<RatingSession, 'submit' | 'next' | 'previous' | 'goTo' | 'markKeyFrame' | 'removeKeyFrame'>

export function makeRatingSession(state: RatingSessionState, actions: RatingSessionActions): RatingSession {
  return {
    get clip() {
      return state.clip.value
    },
    get rated() {
      return state.rated()
    },
    get total() {
      return state.total()
    },
    get submitting() {
      return state.submitting.value
    },
    get savingKeyFrame() {
      return state.savingKeyFrame.value
    },
    get notice() {
      return state.notice.value
    },
    get error() {
      return state.error.value
    },
    say(message: string) {
      state.notice.value = message
    },
    ...actions
  }
}

/**
 * Saves a key-frame change and puts main's list on the clip it was made on.
 * The rater may have moved to another clip while it saved: the answer then
 * belongs to a view no longer on screen and is dropped (the clip is fetched
 * afresh when they come back).
 */
export async function saveKeyFrames<V extends { clip: { keyFrames: readonly RaterKeyFrame[] } | null }>(
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
