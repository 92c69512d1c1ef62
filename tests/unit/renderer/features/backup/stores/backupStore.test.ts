/** A restore replaces the catalog under every store; these pin the confirmation step, the messages and the reload that follows only a successful restore. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeApi } from '../../../helpers/fakeApi'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useBackupStore } from '../../../../../../src/renderer/src/features/backup/stores/backupStore'
import type { BackupSummary } from '../../../../../../src/shared/contract'

let fake: FakeApi
let reloads = 0
const backup = (name: string, reason = 'manual'): BackupSummary => ({ name, createdAt: '2026-01-01T00:00:00Z', reason, sizeBytes: 4096 })

beforeEach(() => {
  vi.useFakeTimers()
  setActivePinia(createPinia())
  reloads = 0
  vi.stubGlobal('window', { location: { reload: () => void reloads++ } })
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('backup/list', { folder: '/data/backups', backups: [backup('catalog-1.db')] })
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('backup store', () => {
  it('lists the backups when the dialog opens', async () => {
    const store = useBackupStore()
    store.open()
    await vi.advanceTimersByTimeAsync(0)
    expect(store.dialogOpen).toBe(true)
    expect(store.folder).toBe('/data/backups')
    expect(store.backups.map((b) => b.name)).toEqual(['catalog-1.db'])
  })

  it('makes a backup now and lists it', async () => {
    fake.ok('backup/create', backup('catalog-2.db'))
    const store = useBackupStore()
    await store.create()
    expect(store.notice).toBe('Backed up the catalog (catalog-2.db).')
    expect(fake.ops()).toEqual(['backup/create', 'backup/list'])
    fake.fail('backup/create', 'internal', 'disk full')
    await store.create()
    expect(store.error).toBe('The backup failed: disk full')
  })

  it('restores only the backup confirmed, names the safety copy, then reloads the app', async () => {
    fake.ok('backup/restore', { restored: 'catalog-1.db', safetyCopy: 'catalog-before-restore.db' })
    const store = useBackupStore()
    store.open()
    await store.restore()
    expect(fake.sent('backup/restore')).toEqual([])
    store.askRestore(backup('catalog-1.db'))
    await store.restore()
    expect(fake.sent('backup/restore')).toEqual([{ name: 'catalog-1.db' }])
    expect(store.notice).toBe('Restored catalog-1.db. The catalog it replaced is kept as catalog-before-restore.db. Reloading…')
    // Until the reload, the dialog cannot be closed.
    store.close()
    expect(store.dialogOpen).toBe(true)
    expect(reloads).toBe(0)
    await vi.advanceTimersByTimeAsync(1_200)
    expect(reloads).toBe(1)
  })

  it('keeps the dialog usable after a refused restore', async () => {
    fake.fail('backup/restore', 'conflict', 'An import is running.')
    const store = useBackupStore()
    store.askRestore(backup('catalog-1.db'))
    await store.restore()
    expect(store.error).toBe('The backup was not restored: An import is running.')
    expect(store.restoring).toBe(false)
    expect(store.confirming).toBeNull()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(reloads).toBe(0)
  })
})
