/** The player store decides what plays without a <video>: these pin the playback facts asked for, proxy polling, the reader-study route, relinks and the kept preferences. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { FakeApi } from '../../../helpers/fakeApi'
import { stubWindow, type FakeWindow } from '../../../helpers/fakeWindow'
import { detail, playback, summary } from '../../../helpers/fixtures'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useCatalogStore } from '../../../../../../src/renderer/src/features/catalog/stores/catalogStore'
import { usePlayerStore } from '../../../../../../src/renderer/src/features/review/stores/playerStore'
import { useReviewStore } from '../../../../../../src/renderer/src/features/review/stores/reviewStore'

const PREFS_KEY = 'lus-review.player'
let fake: FakeApi
let win: FakeWindow

beforeEach(() => {
  setActivePinia(createPinia())
  win = stubWindow()
  fake = new FakeApi()
  provideApi(fake.api)
})
afterEach(() => vi.useRealTimers())

describe('player store: what plays', () => {
  it('asks main how the media plays and plays its playback route', async () => {
    fake.ok('media/playback', ({ mediaId }) => playback(mediaId))
    const player = usePlayerStore()
    await player.load(40)
    expect(fake.sent('media/playback')).toEqual([{ mediaId: 40 }])
    expect(player.ready).toBe(true)
    expect(player.frameCount).toBe(3)
    expect(player.frameTimes).toEqual([0, 0.04, 0.08])
    expect(player.source).toBe('/media/40/playback')
    // The same media again is not asked for twice; a forced load is.
    await player.load(40)
    expect(fake.sent('media/playback')).toHaveLength(1)
    await player.load(40, true)
    expect(fake.sent('media/playback')).toHaveLength(2)
  })

  it('counts frames from the stream facts when no frame times are known', async () => {
    fake.ok('media/playback', ({ mediaId }) => playback(mediaId, { frameTimes: [], frameCount: 120 }))
    const player = usePlayerStore()
    await player.load(40)
    expect(player.frameCount).toBe(120)
  })

  it('polls while a proxy is being made, until it is ready', async () => {
    vi.useFakeTimers()
    let asked = 0
    fake.ok('media/playback', ({ mediaId }) => (++asked < 3 ? playback(mediaId, { state: 'preparing', progress: asked / 3 }) : playback(mediaId, { source: 'proxy' })))
    const player = usePlayerStore()
    await player.load(40)
    expect(player.ready).toBe(false)
    expect(player.source).toBeNull()
    await vi.advanceTimersByTimeAsync(500)
    expect(player.playback?.progress).toBeCloseTo(2 / 3)
    await vi.advanceTimersByTimeAsync(500)
    expect(player.ready).toBe(true)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(asked).toBe(3)
  })

  it('stops polling for a clip once another is shown', async () => {
    vi.useFakeTimers()
    fake.ok('media/playback', ({ mediaId }) => playback(mediaId, mediaId === 40 ? { state: 'preparing' } : {}))
    const player = usePlayerStore()
    await player.load(40)
    await player.load(50)
    await vi.advanceTimersByTimeAsync(2_000)
    expect(fake.sent('media/playback')).toEqual([{ mediaId: 40 }, { mediaId: 50 }])
    expect(player.mediaId).toBe(50)
  })

  it('says why the media cannot play', async () => {
    fake.fail('media/playback', 'not_found', 'Media 40 does not exist.')
    const player = usePlayerStore()
    await player.load(40)
    expect(player.error).toBe('Media 40 does not exist.')
    expect(player.playback).toBeNull()
    expect(player.loading).toBe(false)
  })

  it('plays a reader-study clip by its number, never a catalog media route', async () => {
    fake.ok('reader/playback', ({ clipNo }) => ({ clipNo, state: 'ready', source: 'original', frameTimes: [0, 0.04], frameCount: 2, fps: 25, width: 640, height: 480, durationS: 0.08, progress: null, error: null }))
    const player = usePlayerStore()
    await player.loadStudyClip(7)
    expect(fake.sent('reader/playback')).toEqual([{ clipNo: 7 }])
    expect(player.mediaId).toBeNull()
    expect(player.source).toBe('/study/clips/7')
  })
})

describe('player store: relink and preferences', () => {
  it('relinks the open entry to a trimmed path and shows the new media', async () => {
    fake.ok('app/info', { version: '0.1.0', transport: 'ipc', catalogPath: '/c.db', schemaVersion: 9, sources: [] })
    fake.ok('catalog/list', { entries: [summary(5, { mediaStatus: 'missing' })] })
    fake.ok('catalog/get', ({ id }) => detail(id, {}, { mediaStatus: 'missing' }))
    fake.ok('media/relink', ({ entryId }) => detail(entryId, {}, { mediaId: 77 }))
    fake.ok('media/playback', ({ mediaId }) => playback(mediaId))
    await useCatalogStore().load()
    await useReviewStore().open(5)
    const player = usePlayerStore()
    expect(await player.relink(5, ' clips/found.mp4 ')).toBe(true)
    expect(fake.sent('media/relink')).toEqual([{ entryId: 5, path: 'clips/found.mp4' }])
    expect(useReviewStore().detail?.summary.mediaId).toBe(77)
    expect(useCatalogStore().entries[0]?.mediaId).toBe(77)
    expect(player.mediaId).toBe(77)
  })

  it('keeps a refused relink’s reason apart from playback errors', async () => {
    fake.fail('media/relink', 'bad_input', 'That file is outside the dataset folder.')
    const player = usePlayerStore()
    expect(await player.relink(5, '/etc/passwd')).toBe(false)
    expect(player.relinkError).toBe('That file is outside the dataset folder.')
    expect(player.error).toBeNull()
    expect(player.relinking).toBe(false)
  })

  it('remembers speed and looping, and ignores stored values it does not know', async () => {
    win.storage.set(PREFS_KEY, JSON.stringify({ rate: 0.25, loop: false }))
    const player = usePlayerStore()
    expect(player.rate).toBe(0.25)
    expect(player.loop).toBe(false)
    player.rate = 2
    await nextTick()
    expect(JSON.parse(win.storage.get(PREFS_KEY) ?? '{}')).toEqual({ rate: 2, loop: false })

    setActivePinia(createPinia())
    win.storage.set(PREFS_KEY, JSON.stringify({ rate: 7, loop: 'yes' }))
    expect(usePlayerStore().rate).toBe(1)
    expect(usePlayerStore().loop).toBe(true)
  })
})
