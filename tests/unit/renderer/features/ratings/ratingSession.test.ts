/**
 * The session both rating stores hand the workspace: these pin what of main's
 * clip reaches it (the shared fields and what the store grants, nothing else),
 * the order of a submission's steps, and key frames for the clip on screen only.
 */
import { describe, expect, it } from 'vitest'
import { ref, shallowRef } from 'vue'
import { deferred } from '../../helpers/fakeApi'
import { makeRatingSession, type RatingEndpoints, type RaterClipBase } from '../../../../../src/renderer/src/features/ratings/ratingSession'
import type { Result } from '../../../../../src/shared/result'

/** A clip as main might answer it, with something the workspace must never see. */
type Clip = RaterClipBase & { filename: string }
type View = { clip: Clip | null; rated: number }

const clip = (clipNo: number): Clip => ({ clipNo, handle: `Clip ${clipNo} of 2`, fields: ['label'], myRating: null, keyFrames: [], filename: `secret-${clipNo}.mp4` })
const ok = <T>(value: T): Result<T> => ({ ok: true, value })

function setup(over: Partial<RatingEndpoints<View>> = {}) {
  const view = shallowRef<View | null>({ clip: clip(1), rated: 0 })
  const state = { view, raterId: ref<string | null>('ada'), submitting: ref(false), savingKeyFrame: ref(false), notice: ref<string | null>(null), error: ref<string | null>(null) }
  const steps: string[] = []
  const endpoints: RatingEndpoints<View> = {
    call: async (op) => {
      const r = await op()
      return r.ok ? r.value : null
    },
    access: () => ({ canEdit: true, lockedReason: null, media: null, revealed: null }),
    submit: async (_rater, c) => ok({ clip: c, rated: 1 }),
    showSaved: (saved) => {
      steps.push(`show (submitting: ${state.submitting.value})`)
      view.value = saved
    },
    afterSaved: async () => void steps.push(`after (submitting: ${state.submitting.value})`),
    setKeyFrame: async (_rater, _clip, frame, note) => ok({ keyFrames: [{ frame, note }] }),
    removeKeyFrame: async () => ok({ keyFrames: [] }),
    ...over
  }
  const noMove = async (): Promise<void> => undefined
  const session = makeRatingSession(
    { ...state, rated: () => view.value?.rated ?? 0, total: () => 2 },
    endpoints,
    { next: noMove, previous: noMove, goTo: noMove }
  )
  return { session, view, state, steps }
}

describe('makeRatingSession', () => {
  it('gives the workspace the shared fields of the clip and what the store grants, never the rest', () => {
    const { session } = setup()
    expect(session.clip).toEqual({ clipNo: 1, handle: 'Clip 1 of 2', fields: ['label'], myRating: null, keyFrames: [], canEdit: true, lockedReason: null, media: null, revealed: null })
    expect(JSON.stringify(session.clip)).not.toContain('secret')
  })

  it('follows the store’s view live', () => {
    const { session, view } = setup()
    view.value = { clip: null, rated: 2 }
    expect(session.clip).toBeNull()
    expect(session.rated).toBe(2)
    session.say('Done.')
    expect(session.notice).toBe('Done.')
  })

  it('shows a saved rating with the form still disabled, and moves on once it is enabled again', async () => {
    const sent: unknown[] = []
    const { session, steps } = setup({
      submit: async (rater, c, rating) => {
        sent.push({ rater, clipNo: c.clipNo, ...rating })
        return ok({ clip: c, rated: 1 })
      }
    })
    expect(await session.submit({ values: { label: 'covid' }, confidence: 4, comment: 'clear' })).toBe(true)
    expect(sent).toEqual([{ rater: 'ada', clipNo: 1, values: { label: 'covid' }, confidence: 4, comment: 'clear' }])
    expect(steps).toEqual(['show (submitting: true)', 'after (submitting: false)'])
    expect(session.submitting).toBe(false)
  })

  it('sends nothing without a confidence, and shows nothing of a refused rating', async () => {
    const { session, steps } = setup({ submit: async () => ({ ok: false, error: { code: 'bad_input', message: 'Label is required.' } }) })
    expect(await session.submit({ values: {}, confidence: null, comment: '' })).toBe(false)
    expect(await session.submit({ values: {}, confidence: 2, comment: '' })).toBe(false)
    expect(steps).toEqual([])
    expect(session.submitting).toBe(false)
  })

  it('writes key frames for the clip on screen, and drops an answer for a clip left behind', async () => {
    const late = deferred<Result<{ keyFrames: [] }>>()
    const { session, view } = setup({ removeKeyFrame: () => late.promise })
    expect(await session.markKeyFrame(3, 'gap')).toBe(true)
    expect(session.clip?.keyFrames).toEqual([{ frame: 3, note: 'gap' }])

    const removing = session.removeKeyFrame(3)
    expect(session.savingKeyFrame).toBe(true)
    view.value = { clip: clip(2), rated: 0 }
    late.resolve(ok({ keyFrames: [] }))
    expect(await removing).toBe(false)
    expect(session.savingKeyFrame).toBe(false)
    expect(session.clip?.clipNo).toBe(2)
  })
})
