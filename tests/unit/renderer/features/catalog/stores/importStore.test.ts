/** An import is a job in main that the store polls; these pin its phases, its report, and the catalog reload that must follow even a failed job. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeApi } from '../../../helpers/fakeApi'
import { stubWindow } from '../../../helpers/fakeWindow'
import { summary } from '../../../helpers/fixtures'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useCatalogStore } from '../../../../../../src/renderer/src/features/catalog/stores/catalogStore'
import { useImportStore } from '../../../../../../src/renderer/src/features/catalog/stores/importStore'
import type { ImportReport, Job } from '../../../../../../src/shared/contract'

let fake: FakeApi

const report = (orphans: string[] = []): ImportReport => ({
  sourceId: 1,
  folder: '/data/lus',
  rows: 2,
  entriesAdded: 2,
  entriesKept: 0,
  orphansAdded: 0,
  mediaFiles: 2 + orphans.length,
  linked: 2,
  rowsWithoutMedia: 0,
  unreadable: [],
  orphans,
  duplicateStems: [],
  duplicateFilenames: [],
  warnings: [],
  durationMs: 10
})
const job = (state: Job['state'], over: Partial<Job> = {}): Job => ({ id: 'j1', kind: 'import', state, done: 1, total: 2, message: 'Probing media', report: null, error: null, ...over })

beforeEach(() => {
  vi.useFakeTimers()
  setActivePinia(createPinia())
  stubWindow()
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('app/info', { version: '0.1.0', transport: 'ipc', catalogPath: '/c.db', schemaVersion: 9, sources: [] })
  fake.ok('catalog/list', { entries: [summary(1), summary(2)] })
  fake.ok('media/proxyQueue', { total: 0, done: 0, failed: 0, running: 0, pending: 0 })
})
afterEach(() => vi.useRealTimers())

describe('import store', () => {
  it('starts the import, shows its progress, then reloads the catalog and its report', async () => {
    fake.ok('dataset/import', { jobId: 'j1' })
    let polls = 0
    fake.ok('jobs/get', () => (++polls < 2 ? job('running') : job('done', { done: 2, report: report(['extra.mp4']) })))
    const importer = useImportStore()
    const run = importer.start('/data/lus')
    await vi.advanceTimersByTimeAsync(0)
    expect(importer.running).toBe(true)
    expect(importer.progress).toEqual({ done: 1, total: 2, message: 'Probing media' })
    await vi.advanceTimersByTimeAsync(250)
    await run
    expect(fake.sent('dataset/import')).toEqual([{ folder: '/data/lus' }])
    expect(importer.phase).toBe('done')
    expect(importer.report?.entriesAdded).toBe(2)
    expect(useCatalogStore().entries).toHaveLength(2)
    // The import may have queued proxies: the status bar's queue is asked at once.
    expect(fake.ops()).toContain('media/proxyQueue')
    expect(importer.orphansToOffer).toBe(1)
  })

  it('adds the unmatched media on request, from the same folder, and offers them only once', async () => {
    fake.ok('dataset/import', { jobId: 'j1' })
    fake.ok('jobs/get', job('done', { report: report(['extra.mp4']) }))
    const importer = useImportStore()
    await importer.start('/data/lus')
    await importer.addOrphans()
    expect(fake.sent('dataset/import')).toEqual([{ folder: '/data/lus' }, { folder: '/data/lus', includeOrphans: true }])
    expect(importer.orphansToOffer).toBe(0)
  })

  it('reports a refused start without reloading anything', async () => {
    fake.fail('dataset/import', 'bad_input', 'No dataset_metadata.csv in /tmp.')
    const importer = useImportStore()
    await importer.start('/tmp')
    expect(importer.phase).toBe('failed')
    expect(importer.error).toBe('No dataset_metadata.csv in /tmp.')
    expect(fake.sent('catalog/list')).toEqual([])
  })

  it('reloads the catalog after a failed job too, and says why it failed', async () => {
    fake.ok('dataset/import', { jobId: 'j1' })
    fake.ok('jobs/get', job('failed', { error: 'The CSV has no Filename column.' }))
    const importer = useImportStore()
    await importer.start('/data/lus')
    expect(importer.error).toBe('The CSV has no Filename column.')
    expect(fake.sent('catalog/list')).toHaveLength(1)
    importer.reset()
    expect(importer.phase).toBe('idle')
    expect(importer.folder).toBe('/data/lus')
  })

  it('says so when it loses track of the job', async () => {
    fake.ok('dataset/import', { jobId: 'j1' })
    fake.fail('jobs/get', 'not_found', 'No job j1.')
    const importer = useImportStore()
    await importer.start('/data/lus')
    expect(importer.error).toBe('Lost track of the import: No job j1.')
    expect(importer.phase).toBe('failed')
  })
})
