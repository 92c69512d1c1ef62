/** Rater mode may talk to main only through rater/*; these pin that, the N/P walk, submission and the handling of key-frame answers for a clip left behind. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { deferred, FakeApi } from '../../../helpers/fakeApi'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useRaterModeStore } from '../../../../../../src/renderer/src/features/ratings/stores/raterModeStore'
import type { RaterClip, RaterView } from '../../../../../../src/shared/ratingsContract'
import type { Result } from '../../../../../../src/shared/result'

const SET = '11111111-1111-4111-8111-111111111111'
const RATER = '22222222-2222-4222-8222-222222222222'
let fake: FakeApi

function clip(clipNo: number, over: Partial<RaterClip> = {}): RaterClip {
  return { setId: SET, clipNo, handle: `Clip ${clipNo} of 3`, total: 3, mediaId: clipNo * 10, mediaKind: 'video', fields: ['label'], myRating: null, keyFrames: [], canEdit: true, revealed: null, ...over }
}
function view(c: RaterClip | null, rated = 0): RaterView {
  return { set: { id: SET, name: 'Pilot', blinded: true, fields: ['label'], total: 3, rated }, clip: c }
}

beforeEach(() => {
  setActivePinia(createPinia())
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('rater/sets', { sets: [view(null).set] })
  fake.ok('rater/next', view(clip(1)))
  fake.ok('rater/clip', ({ clipNo }) => view(clip(clipNo)))
})

async function rating(): Promise<ReturnType<typeof useRaterModeStore>> {
  const store = useRaterModeStore()
  await store.chooseRater(RATER)
  await store.openSet(SET)
  return store
}

describe('rater mode', () => {
  it('lists the rater’s sets and opens the next unrated clip, asking main only through rater/*', async () => {
    const store = await rating()
    expect(store.sets.map((s) => s.name)).toEqual(['Pilot'])
    expect(store.session.clip?.handle).toBe('Clip 1 of 3')
    expect(store.session.clip?.media).toEqual({ mediaId: 10 })
    expect(fake.sent('rater/next')).toEqual([{ setId: SET, raterId: RATER }])
    expect(fake.ops().every((op) => op.startsWith('rater/'))).toBe(true)
  })

  it('locks a clip without media here, saying why', async () => {
    fake.ok('rater/next', view(clip(1, { mediaId: null, mediaKind: null })))
    const store = await rating()
    expect(store.session.clip?.canEdit).toBe(false)
    expect(store.session.clip?.media).toBeNull()
    expect(store.session.clip?.lockedReason).toMatch(/no media file on this machine/)
  })

  it('walks clip numbers with N and P, and says where the set ends', async () => {
    const store = await rating()
    await store.session.previous()
    expect(store.session.notice).toBe('This is the first clip.')
    expect(fake.sent('rater/clip')).toEqual([])
    await store.session.next()
    expect(fake.sent('rater/clip')).toEqual([{ setId: SET, raterId: RATER, clipNo: 2 }])
    await store.session.goTo(3)
    await store.session.next()
    expect(store.session.notice).toBe('This is the last clip.')
  })

  it('submits a rating, confirms it, and moves on to the next unrated clip', async () => {
    const store = await rating()
    fake.ok('rater/submit', view(clip(1), 1))
    fake.ok('rater/next', view(clip(2), 1))
    expect(await store.session.submit({ values: { label: 'covid' }, confidence: 4, comment: 'clear' })).toBe(true)
    expect(fake.sent('rater/submit')).toEqual([{ setId: SET, raterId: RATER, clipNo: 1, values: { label: 'covid' }, confidence: 4, comment: 'clear' }])
    expect(store.session.notice).toBe('Clip 1 of 3: rating saved. 1 of 3 rated.')
    expect(store.session.clip?.clipNo).toBe(2)
  })

  it('stays on a clip whose submission reveals the others’ answers', async () => {
    const store = await rating()
    const revealed = { reference: { label: 'covid' as const }, others: [], predictions: [] }
    fake.ok('rater/submit', view(clip(1, { revealed, canEdit: false }), 1))
    await store.session.submit({ values: { label: 'covid' }, confidence: 3, comment: '' })
    expect(store.session.clip?.clipNo).toBe(1)
    expect(store.session.clip?.revealed?.reference).toEqual({ label: 'covid' })
    expect(store.session.clip?.lockedReason).toMatch(/revealed/)
  })

  it('sends no rating without a confidence, and shows a refused one', async () => {
    const store = await rating()
    expect(await store.session.submit({ values: {}, confidence: null, comment: '' })).toBe(false)
    expect(fake.sent('rater/submit')).toEqual([])
    fake.fail('rater/submit', 'bad_input', 'Label is required.')
    expect(await store.session.submit({ values: {}, confidence: 2, comment: '' })).toBe(false)
    expect(store.session.error).toBe('Label is required.')
    expect(store.session.submitting).toBe(false)
  })

  it('marks key frames on the clip on screen, and drops the answer once the rater moved on', async () => {
    const store = await rating()
    fake.ok('rater/keyFrames/set', ({ frame, note }) => ({ keyFrames: [{ frame, note }] }))
    expect(await store.session.markKeyFrame(4, 'gap')).toBe(true)
    expect(fake.sent('rater/keyFrames/set')).toEqual([{ setId: SET, raterId: RATER, clipNo: 1, frame: 4, note: 'gap' }])
    expect(store.session.clip?.keyFrames).toEqual([{ frame: 4, note: 'gap' }])

    const late = deferred<Result<{ keyFrames: { frame: number; note: string }[] }>>()
    fake.on('rater/keyFrames/remove', () => late.promise)
    const removing = store.session.removeKeyFrame(4)
    await store.session.goTo(2)
    late.resolve({ ok: true, value: { keyFrames: [] } })
    expect(await removing).toBe(false)
    expect(store.session.clip?.clipNo).toBe(2)
  })

  it('forgets the last rater’s sets and clip when another rater is chosen', async () => {
    const store = await rating()
    await store.chooseRater(null)
    expect(store.sets).toEqual([])
    expect(store.session.clip).toBeNull()
    expect(store.setId).toBeNull()
  })
})
