/** Key frames are audited edits like cells; these pin what is sent, what is shown while another clip loads, and what a refusal leaves. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { deferred, FakeApi } from '../../../helpers/fakeApi'
import { stubWindow } from '../../../helpers/fakeWindow'
import { historyStatus } from '../../../helpers/fixtures'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useKeyFrameStore } from '../../../../../../src/renderer/src/features/review/stores/keyFrameStore'
import { useSettingsStore } from '../../../../../../src/renderer/src/app/stores/settingsStore'
import type { KeyFrame } from '../../../../../../src/shared/contract'
import type { Result } from '../../../../../../src/shared/result'

let fake: FakeApi
const kf = (frame: number, note = ''): KeyFrame => ({ frame, note, user: 'Ada', at: '2026-01-01T00:00:00Z' })

beforeEach(async () => {
  setActivePinia(createPinia())
  stubWindow('#/review/5')
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('settings/get', { userName: 'Ada' })
  fake.ok('history/status', historyStatus(null))
  await useSettingsStore().load()
})

describe('key-frame store', () => {
  it('lists the clip’s key frames and forgets the last clip’s at once', async () => {
    fake.ok('keyframes/list', ({ entryId }) => ({ keyFrames: entryId === 5 ? [kf(3, 'B-lines')] : [] }))
    const store = useKeyFrameStore()
    await store.load(5)
    expect(store.keyFrames).toEqual([kf(3, 'B-lines')])
    expect(store.at(3)?.note).toBe('B-lines')
    expect(store.at(4)).toBeUndefined()
    const next = deferred<Result<{ keyFrames: KeyFrame[] }>>()
    fake.on('keyframes/list', () => next.promise)
    const loading = store.load(6)
    expect(store.keyFrames).toEqual([])
    next.resolve({ ok: true, value: { keyFrames: [kf(1)] } })
    await loading
    expect(store.keyFrames).toEqual([kf(1)])
  })

  it('says why the list could not be read', async () => {
    fake.fail('keyframes/list', 'not_found', 'Entry 5 does not exist.')
    const store = useKeyFrameStore()
    await store.load(5)
    expect(store.error).toBe('Entry 5 does not exist.')
  })

  it('marks a frame with a trimmed note, takes main’s list, and tells the history', async () => {
    fake.ok('keyframes/list', { keyFrames: [] })
    fake.ok('keyframes/set', ({ frame, note }) => ({ keyFrames: [kf(frame, note)] }))
    const store = useKeyFrameStore()
    await store.load(5)
    expect(await store.mark(7, '  pleural gap ')).toBe(true)
    expect(fake.sent('keyframes/set')).toEqual([{ entryId: 5, frame: 7, note: 'pleural gap' }])
    expect(store.keyFrames).toEqual([kf(7, 'pleural gap')])
    expect(store.saving).toBe(false)
    expect(fake.ops().at(-1)).toBe('history/status')
  })

  it('removes a frame, and keeps the list when main refuses', async () => {
    fake.ok('keyframes/list', { keyFrames: [kf(2)] })
    fake.fail('keyframes/remove', 'conflict', 'Key frame 3 was removed meanwhile.')
    const store = useKeyFrameStore()
    await store.load(5)
    expect(await store.remove(2)).toBe(false)
    expect(fake.sent('keyframes/remove')).toEqual([{ entryId: 5, frame: 2 }])
    expect(store.error).toBe('Key frame 3 was removed meanwhile.')
    expect(store.keyFrames).toEqual([kf(2)])
  })

  it('writes nothing without an open clip', async () => {
    const store = useKeyFrameStore()
    await store.load(null)
    expect(await store.mark(1, 'x')).toBe(false)
    expect(fake.sent('keyframes/set')).toEqual([])
  })
})
