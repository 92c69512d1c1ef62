/** The reader workstation rates one study through reader/* only; these pin who rates (and the remembered choice), the study's queue order, submission and the final export. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { FakeApi } from '../../../helpers/fakeApi'
import { stubWindow, type FakeWindow } from '../../../helpers/fakeWindow'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useReaderStore } from '../../../../../../src/renderer/src/features/reader/stores/readerStore'
import type { ReaderClip, ReaderStudy, ReaderView } from '../../../../../../src/shared/readerContract'

const STUDY = '33333333-3333-4333-8333-333333333333'
const ADA = '44444444-4444-4444-8444-444444444444'
const BO = '55555555-5555-4555-8555-555555555555'
const RATER_KEY = `lus-review.reader.${STUDY}.rater`

let fake: FakeApi
let win: FakeWindow

const study = (raters = [{ id: ADA, name: 'Ada' }, { id: BO, name: 'Bo' }]): ReaderStudy => ({ studyId: STUDY, name: 'Pilot', fields: ['label'], raters, total: 3, createdAt: '2026-01-01T00:00:00Z' })
const clip = (clipNo: number, over: Partial<ReaderClip> = {}): ReaderClip => ({ clipNo, handle: `Clip ${clipNo} of 3`, kind: 'video', fields: ['label'], myRating: null, keyFrames: [], canEdit: true, ...over })
/** The queue is 3, 1, 2: the study's own order, not the clip numbers. */
const view = (c: ReaderClip | null, rated = 0, over: Partial<ReaderView> = {}): ReaderView => ({
  rated,
  total: 3,
  finalizedAt: null,
  queue: [3, 1, 2].map((n) => ({ clipNo: n, rated: false })),
  clip: c,
  ...over
})

beforeEach(() => {
  setActivePinia(createPinia())
  win = stubWindow()
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('reader/study', study())
  fake.ok('reader/open', ({ clipNo }) => view(clip(clipNo ?? 3)))
})

describe('reader store: who rates', () => {
  it('waits for the rater to say who they are when the study is for several', async () => {
    const store = useReaderStore()
    await store.load()
    expect(store.study?.name).toBe('Pilot')
    expect(store.raterId).toBeNull()
    expect(fake.sent('reader/open')).toEqual([])
    await store.chooseRater(BO)
    expect(fake.sent('reader/open')).toEqual([{ raterId: BO }])
    expect(win.storage.get(RATER_KEY)).toBe(BO)
    expect(store.rater?.name).toBe('Bo')
  })

  it('picks the only rater, or the one remembered for this study', async () => {
    fake.ok('reader/study', study([{ id: ADA, name: 'Ada' }]))
    await useReaderStore().load()
    expect(useReaderStore().raterId).toBe(ADA)

    setActivePinia(createPinia())
    fake.ok('reader/study', study())
    win.storage.set(RATER_KEY, BO)
    await useReaderStore().load()
    expect(useReaderStore().raterId).toBe(BO)
    expect(useReaderStore().session.clip?.media).toEqual({ studyClipNo: 3 })
  })

  it('shows why the study could not be read', async () => {
    fake.fail('reader/study', 'internal', 'The study store is damaged.')
    const store = useReaderStore()
    await store.load()
    expect(store.loadError).toBe('The study store is damaged.')
  })
})

describe('reader store: rating', () => {
  async function ratingAsBo(): Promise<ReturnType<typeof useReaderStore>> {
    const store = useReaderStore()
    await store.load()
    await store.chooseRater(BO)
    return store
  }

  it('walks the rater’s queue in the study’s order', async () => {
    const store = await ratingAsBo()
    expect(store.session.clip?.clipNo).toBe(3)
    await store.session.next()
    expect(fake.sent('reader/open').at(-1)).toEqual({ raterId: BO, clipNo: 1 })
    await store.session.previous()
    await store.session.previous()
    expect(store.session.notice).toBe('This is the first clip of your list.')
  })

  it('submits, then opens the next unrated clip, and says when all are rated', async () => {
    const store = await ratingAsBo()
    fake.ok('reader/submit', view(clip(3), 3))
    fake.ok('reader/open', view(null, 3))
    expect(await store.session.submit({ values: { label: 'covid' }, confidence: 5, comment: '' })).toBe(true)
    expect(fake.sent('reader/submit')).toEqual([{ raterId: BO, clipNo: 3, values: { label: 'covid' }, confidence: 5, comment: '' }])
    expect(store.session.clip).toBeNull()
    expect(store.allRated).toBe(true)
    expect(store.session.notice).toBe('Clip 3 of 3: rating saved. 3 of 3 rated. Every clip is rated: export your ratings when you are ready.')
  })

  it('exports the ratings, final or not, and fetches the clip again so it shows as locked', async () => {
    const store = await ratingAsBo()
    fake.ok('reader/exportRatings', { path: '/out/ratings.zip', bytes: 10, ratings: 3, total: 3, finalizedAt: '2026-01-02T00:00:00Z' })
    fake.ok('reader/open', view(clip(3, { canEdit: false }), 3, { finalizedAt: '2026-01-02T00:00:00Z' }))
    expect(await store.exportRatings(true, '/out/ratings.zip')).toBe(true)
    expect(fake.sent('reader/exportRatings')).toEqual([{ raterId: BO, final: true, outPath: '/out/ratings.zip' }])
    expect(fake.sent('reader/open').at(-1)).toEqual({ raterId: BO, clipNo: 3 })
    expect(store.finalized).toBe('2026-01-02T00:00:00Z')
    expect(store.session.clip?.lockedReason).toMatch(/exported your ratings as final/)

    fake.fail('reader/exportRatings', 'bad_input', 'The folder is not writable.')
    expect(await store.exportRatings(false, null)).toBe(false)
    expect(fake.sent('reader/exportRatings').at(-1)).toEqual({ raterId: BO, final: false })
    expect(store.error).toBe('The folder is not writable.')
  })

  it('marks key frames on the clip on screen', async () => {
    const store = await ratingAsBo()
    fake.ok('reader/keyFrames/set', ({ frame, note }) => ({ keyFrames: [{ frame, note }] }))
    expect(await store.session.markKeyFrame(2, 'B-lines')).toBe(true)
    expect(fake.sent('reader/keyFrames/set')).toEqual([{ raterId: BO, clipNo: 3, frame: 2, note: 'B-lines' }])
    expect(store.session.clip?.keyFrames).toEqual([{ frame: 2, note: 'B-lines' }])
  })
})
