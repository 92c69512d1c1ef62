/** Undo and redo must only ever change the clip on screen; these pin the two-press rule for an edit on another clip, the blinded-review refusal and the expectation sent to main. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeApi } from '../../../helpers/fakeApi'
import { stubWindow, type FakeWindow } from '../../../helpers/fakeWindow'
import { detail, historyStatus, summary, target } from '../../../helpers/fixtures'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useCatalogStore } from '../../../../../../src/renderer/src/features/catalog/stores/catalogStore'
import { useHistoryStore } from '../../../../../../src/renderer/src/features/review/stores/historyStore'
import { useNavigationStore } from '../../../../../../src/renderer/src/app/stores/navigationStore'
import { useReviewStore } from '../../../../../../src/renderer/src/features/review/stores/reviewStore'
import type { Change } from '../../../../../../src/shared/contract'

let fake: FakeApi
let win: FakeWindow

const change = (id: number, entryId: number): Change => ({
  id,
  actionId: id,
  entryId,
  at: '2026-01-01T00:00:00Z',
  user: 'Ada',
  field: 'Label',
  fieldText: 'Label',
  oldValue: 'COVID-19',
  newValue: 'regular',
  kind: 'edit'
})

/** The catalog with clips 1–3, clip `open` under review. */
async function reviewing(open: number): Promise<void> {
  fake.ok('app/info', { version: '0.1.0', transport: 'ipc', catalogPath: '/c.db', schemaVersion: 9, sources: [] })
  fake.ok('catalog/list', { entries: [summary(1), summary(2), summary(3)] })
  fake.ok('catalog/get', ({ id }) => detail(id))
  await useCatalogStore().load()
  useNavigationStore().openReview(open)
  await useReviewStore().open(open)
  fake.calls.length = 0
}

beforeEach(() => {
  setActivePinia(createPinia())
  win = stubWindow()
  fake = new FakeApi()
  provideApi(fake.api)
})
afterEach(() => vi.useRealTimers())

describe('history store: undo on the clip on screen', () => {
  it('undoes the edit main names as next, naming it, and refreshes that clip', async () => {
    await reviewing(2)
    const next = target(11, 2)
    fake.ok('history/status', historyStatus(next))
    fake.ok('history/undo', { target: next, description: 'Undid Label of clip-2.mp4', status: historyStatus(null, next) })
    fake.ok('history/list', { changes: [] })
    const history = useHistoryStore()
    await history.loadList(2)
    await history.undo()
    expect(fake.sent('history/undo')).toEqual([{ entryId: 2, actionId: 11 }])
    expect(history.status.canRedo).toBe(true)
    expect(history.lastStep).toBe('Undid Label of clip-2.mp4')
    expect(history.noticeFor(2)?.kind).toBe('done')
    expect(fake.sent('catalog/get')).toEqual([{ id: 2 }])
    expect(fake.sent('history/list')).toEqual([{ entryId: 2 }, { entryId: 2 }])
  })

  it('says there is nothing to undo without asking main to undo', async () => {
    await reviewing(2)
    fake.ok('history/status', historyStatus(null))
    const history = useHistoryStore()
    await history.undo()
    expect(fake.sent('history/undo')).toEqual([])
    expect(history.lastStep).toBe('Nothing to undo.')
  })

  it('shows main’s refusal and asks for the stack again', async () => {
    await reviewing(2)
    fake.ok('history/status', historyStatus(target(11, 2)))
    fake.fail('history/undo', 'conflict', 'The cell was changed since.')
    const history = useHistoryStore()
    await history.undo()
    expect(history.error).toBe('The cell was changed since.')
    expect(fake.sent('history/status')).toHaveLength(2)
  })
})

describe('history store: an edit on another clip', () => {
  it('first brings that clip up with a notice; only a second press undoes it', async () => {
    await reviewing(1)
    const elsewhere = target(12, 3, 'Age (40 → 41)')
    fake.ok('history/status', historyStatus(elsewhere))
    fake.ok('history/undo', { target: elsewhere, description: 'Undid Age of clip-3.mp4', status: historyStatus(null, elsewhere) })
    const history = useHistoryStore()
    expect(history.undoHint.ariaLabel).toBe('Undo')
    await history.refreshStatus()
    expect(history.undoHint.ariaLabel).toBe('Show clip-3.mp4 to undo Age (40 → 41)')

    const first = history.undo()
    // The clip is brought up; the store waits for it to be on screen.
    await vi.waitFor(() => expect(win.hash).toBe('#/review/3'))
    await useReviewStore().open(3)
    await first
    expect(fake.sent('history/undo')).toEqual([])
    expect(history.noticeFor(3)).toMatchObject({ kind: 'shown', direction: 'undo', actionId: 12 })
    expect(history.noticeFor(3)?.text).toContain('Age (40 → 41)')

    await history.undo()
    expect(fake.sent('history/undo')).toEqual([{ entryId: 3, actionId: 12 }])
  })

  it('acts on nothing in blinded review', async () => {
    await reviewing(1)
    fake.ok('history/status', historyStatus(target(12, 3)))
    useNavigationStore().show('ratings')
    const history = useHistoryStore()
    await history.undo()
    expect(fake.sent('history/undo')).toEqual([])
    expect(win.hash).toBe('#/ratings')
    expect(history.lastStep).toMatch(/^Undo and redo work in the catalog and the review/)
  })
})

describe('history store: the change list', () => {
  it('lists a clip’s changes, keeps only the latest request, and reports errors', async () => {
    fake.ok('history/list', ({ entryId }) => ({ changes: [change(entryId * 10, entryId)] }))
    const history = useHistoryStore()
    await history.loadList(2)
    expect(history.changes.map((c) => c.entryId)).toEqual([2])
    fake.fail('history/list', 'internal', 'database is locked')
    await history.loadList(2)
    expect(history.error).toBe('database is locked')
    await history.loadList(null)
    expect(history.changes).toEqual([])
    expect(history.entryId).toBeNull()
  })

  it('after an edit, refreshes the stack and the list of that clip only', async () => {
    fake.ok('history/status', historyStatus(target(5, 2)))
    fake.ok('history/list', { changes: [] })
    const history = useHistoryStore()
    await history.loadList(2)
    fake.calls.length = 0
    await history.afterEdit(3)
    expect(fake.ops()).toEqual(['history/status'])
    await history.afterEdit(2)
    expect(fake.ops().sort()).toEqual(['history/list', 'history/status', 'history/status'])
    expect(history.status.undo?.actionId).toBe(5)
  })
})
