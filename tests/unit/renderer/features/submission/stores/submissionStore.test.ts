/** The contributor's workflow in one store; these pin what each step sends (import metadata, PACS fields, edits, licence cells, bundle selection) and the job polling between them. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeApi } from '../../../helpers/fakeApi'
import { stubWindow } from '../../../helpers/fakeWindow'
import { detail, summary } from '../../../helpers/fixtures'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useCatalogStore } from '../../../../../../src/renderer/src/features/catalog/stores/catalogStore'
import { useReviewStore } from '../../../../../../src/renderer/src/features/review/stores/reviewStore'
import { usePlayerStore } from '../../../../../../src/renderer/src/features/review/stores/playerStore'
import { useSettingsStore } from '../../../../../../src/renderer/src/app/stores/settingsStore'
import { parsePaths, useSubmissionStore } from '../../../../../../src/renderer/src/features/submission/stores/submissionStore'
import type { MediaEditsInfo, SubmissionJob } from '../../../../../../src/shared/submissionContract'

let fake: FakeApi

const job = (state: SubmissionJob['state'], over: Partial<SubmissionJob> = {}): SubmissionJob => ({
  id: 'job-1',
  kind: 'dicom-import',
  state,
  done: state === 'running' ? 0 : 1,
  total: 1,
  message: '',
  error: null,
  imports: [],
  failures: [],
  rebuild: null,
  bundle: null,
  ...over
})

const imported = (entryId: number): SubmissionJob['imports'][number] => ({
  entryId,
  sourceId: 9,
  filename: `Cov_contributor_${entryId}.mp4`,
  mediaRelPath: `contributions/${entryId}.mp4`,
  summaryRelPath: `contributions/${entryId}.deid.json`,
  kind: 'video',
  frames: 10,
  fps: 25,
  width: 640,
  height: 480,
  patientKey: 'p1',
  counts: { removed: 0, 'uid-replaced': 0, kept: 0, retained: 0, 'not-carried': 0 },
  warnings: [],
  durationMs: 5
})

const edits = (entryId: number, over: Partial<MediaEditsInfo> = {}): MediaEditsInfo => ({
  entryId,
  crop: null,
  trim: null,
  masks: [],
  origin: null,
  bakedIn: false,
  media: { kind: 'video', width: 640, height: 480, frames: 10 },
  changesMade: '',
  ...over
})

beforeEach(async () => {
  setActivePinia(createPinia())
  stubWindow('#/submission')
  fake = new FakeApi()
  provideApi(fake.api)
  fake.ok('app/info', { version: '0.1.0', transport: 'ipc', catalogPath: '/data/lus/catalog.db', schemaVersion: 9, sources: [] })
  fake.ok('catalog/list', { entries: [summary(1), summary(41, { sourceId: 9 }), summary(42, { sourceId: 9 })] })
  fake.ok('catalog/get', ({ id }) => detail(id, { License: 'CC BY 4.0', 'URL (Video Name)': 'Data contributed by Ada', Type: 'Video' }, { sourceId: id > 40 ? 9 : 1 }))
  fake.ok('submission/edits/get', ({ entryId }) => edits(entryId))
  fake.fail('submission/deidSummary', 'not_found', 'No de-identification summary for this entry.')
  await useCatalogStore().load()
  fake.calls.length = 0
})
afterEach(() => vi.useRealTimers())

describe('submission store: import', () => {
  it('reads paths one per line, quotes and blank lines dropped', () => {
    expect(parsePaths(' "/a/b.dcm"\r\n\n/c d.dcm \n\'/e.dcm\'')).toEqual(['/a/b.dcm', '/c d.dcm', '/e.dcm'])
  })

  it('asks for a path before starting anything', async () => {
    const store = useSubmissionStore()
    store.importForm.paths = '  \n '
    await store.importDicom()
    expect(fake.sent('submission/importDicom')).toEqual([])
    expect(store.jobError).toBe('Enter the path of at least one DICOM file (one per line).')
  })

  it('imports with only the metadata that was set, follows the job, then opens the first clip', async () => {
    vi.useFakeTimers()
    const store = useSubmissionStore()
    store.importForm.paths = '/scans/a.dcm\n/scans/b.dcm'
    store.importForm.label = 'covid'
    store.importForm.provenance = '  Data contributed by Ada  '
    fake.ok('submission/importDicom', { jobId: 'job-1' })
    let polls = 0
    fake.ok('submission/job', () => (++polls < 2 ? job('running') : job('done', { imports: [imported(41), imported(42)], failures: [{ item: '/scans/c.dcm', error: 'not DICOM' }] })))
    const importing = store.importDicom()
    await vi.advanceTimersByTimeAsync(1_000)
    await importing
    expect(fake.sent('submission/importDicom')).toEqual([{ paths: ['/scans/a.dcm', '/scans/b.dcm'], label: 'covid', provenance: 'Data contributed by Ada' }])
    expect(polls).toBe(2)
    expect(store.importedIds).toEqual([41, 42])
    expect(store.failures).toEqual([{ item: '/scans/c.dcm', error: 'not DICOM' }])
    expect(fake.ops()).toContain('catalog/list')
    expect(store.entryId).toBe(41)
    expect(store.summaryErrors.get(41)).toBe('No de-identification summary for this entry.')
    // Step 3's form is filled from the clip's own cells.
    expect(store.metaForm).toEqual({ license: 'CC BY 4.0', provenance: 'Data contributed by Ada', type: 'video' })
  })

  it('shows a job that failed, and a start that was refused', async () => {
    const store = useSubmissionStore()
    store.importForm.paths = '/scans/a.dcm'
    fake.ok('submission/importDicom', { jobId: 'job-1' })
    fake.ok('submission/job', job('failed', { error: 'The file is not a DICOM file.' }))
    await store.importDicom()
    expect(store.jobError).toBe('The file is not a DICOM file.')
    expect(store.busy).toBe(false)
    fake.fail('submission/importDicom', 'bad_input', 'Paths must be absolute.')
    await store.importDicom()
    expect(store.jobError).toBe('Paths must be absolute.')
    expect(store.job).toBeNull()
  })
})

describe('submission store: PACS', () => {
  it('saves the server, sending a password only when one was typed, and forgets it on request', async () => {
    const store = useSubmissionStore()
    const config = { url: 'http://pacs.local/dicom-web', username: 'ada', hasPassword: true, storage: 'encrypted' }
    fake.ok('pacs/config/set', config)
    store.pacsForm.url = ' http://pacs.local/dicom-web '
    store.pacsForm.username = ' '
    await store.savePacsConfig()
    store.pacsForm.password = 's3cret'
    await store.savePacsConfig()
    expect(store.pacsForm.password).toBe('')
    store.pacsForm.forgetPassword = true
    await store.savePacsConfig()
    expect(fake.sent('pacs/config/set')).toEqual([
      { url: 'http://pacs.local/dicom-web', username: null },
      { url: 'http://pacs.local/dicom-web', username: null, password: 's3cret' },
      { url: 'http://pacs.local/dicom-web', username: null, password: null }
    ])
    expect(store.pacsConfigSaved).toBe(true)
  })

  it('searches with the filled fields only, dates as YYYYMMDD, and clears results on a refusal', async () => {
    const store = useSubmissionStore()
    const study = { studyUid: '1.2.3', date: '20260101', description: null, modalities: ['US'], patientName: null, patientId: null, seriesCount: 1, instanceCount: 3 }
    fake.ok('pacs/search', { studies: [study] })
    store.search.patientId = ' 123 '
    store.search.dateFrom = '2026-01-01'
    await store.searchPacs()
    expect(fake.sent('pacs/search')).toEqual([{ patientId: '123', dateFrom: '20260101', modality: 'US', limit: 200 }])
    expect(store.studies).toEqual([study])
    fake.fail('pacs/search', 'internal', 'The PACS did not answer.')
    await store.searchPacs()
    expect(store.searchError).toBe('The PACS did not answer.')
    expect(store.studies).toEqual([])
    expect(store.searched).toBe(true)
    expect(store.searching).toBe(false)
  })
})

describe('submission store: crop, trim and masks', () => {
  it('trims at the player’s frame, keeping the start before the end', async () => {
    const store = useSubmissionStore()
    await store.selectEntry(41)
    const player = usePlayerStore()
    player.frame = 3
    store.setStart()
    expect(store.draft.trim).toEqual({ start: 3, end: 10 })
    player.frame = 6
    store.setEnd()
    expect(store.draft.trim).toEqual({ start: 3, end: 7 })
    // An end set before the start keeps the clip from its first frame.
    player.frame = 1
    store.setEnd()
    expect(store.draft.trim).toEqual({ start: 0, end: 2 })
    expect(store.dirty).toBe(true)
  })

  it('saves the draft and takes main’s answer as the new state', async () => {
    const store = useSubmissionStore()
    await store.selectEntry(41)
    fake.ok('submission/edits/set', ({ entryId, crop, trim, masks }) => edits(entryId, { crop, trim, masks, changesMade: 'cropped' }))
    store.setCrop({ top: 10, left: 20, size: 300 })
    store.addMask({ x: 0, y: 0, width: 50, height: 20 })
    expect(await store.saveEdits()).toBe(true)
    expect(fake.sent('submission/edits/set')).toEqual([{ entryId: 41, crop: { top: 10, left: 20, size: 300 }, trim: null, masks: [{ x: 0, y: 0, width: 50, height: 20 }] }])
    expect(store.dirty).toBe(false)
    expect(store.saveMessage).toBe('Saved. ChangesMade: cropped')
    fake.fail('submission/edits/set', 'bad_input', 'The crop leaves the frame.')
    store.removeMask(0)
    expect(await store.saveEdits()).toBe(false)
    expect(store.editsError).toBe('The crop leaves the frame.')
    expect(store.dirty).toBe(true)
  })
})

describe('submission store: licence and provenance', () => {
  it('writes the licence with its link, the provenance and type, once the contributor has a name', async () => {
    fake.ok('settings/get', { userName: 'Ada' })
    await useSettingsStore().load()
    const store = useSubmissionStore()
    await store.selectEntry(41)
    fake.ok('catalog/update', ({ id }) => detail(id, { License: 'CC BY-NC 4.0' }, { sourceId: 9 }))
    store.metaForm.license = 'CC BY-NC 4.0'
    store.metaForm.provenance = ' Own scans '
    await store.saveMeta()
    expect(fake.sent('catalog/update')).toEqual([
      { id: 41, cells: { 'URL (Video Name)': 'Own scans', License: 'CC BY-NC 4.0', LinkToLicense: 'https://creativecommons.org/licenses/by-nc/4.0/', Type: 'video' } }
    ])
    expect(store.metaSaved).toBe(true)
    expect(useReviewStore().detail?.cells).toContain('CC BY-NC 4.0')
  })

  it('opens the name dialog instead of writing without a name', async () => {
    fake.ok('settings/get', { userName: null })
    await useSettingsStore().load()
    const store = useSubmissionStore()
    await store.selectEntry(41)
    await store.saveMeta()
    expect(fake.sent('catalog/update')).toEqual([])
    expect(useSettingsStore().nameDialogOpen).toBe(true)
  })
})

describe('submission store: bundle', () => {
  it('bundles the contributions source’s entries, and validates before exporting', async () => {
    const store = useSubmissionStore()
    await store.selectEntry(41)
    expect(store.bundleIds).toEqual([41, 42])
    fake.ok('submission/bundle/validate', { ok: false, errors: [{ entryId: 42, filename: 'x', field: 'License', message: 'missing' }], warnings: [] })
    store.bundleForm.outPath = '/out/bundle.zip'
    await store.exportBundle()
    expect(fake.sent('submission/bundle/validate')).toEqual([{ entryIds: [41, 42], sourceName: 'contributor' }])
    expect(fake.sent('submission/bundle/export')).toEqual([])
    expect(store.validation?.ok).toBe(false)

    fake.ok('submission/bundle/validate', { ok: true, errors: [], warnings: [] })
    fake.ok('submission/bundle/export', { jobId: 'job-2' })
    fake.ok('submission/job', job('done', { kind: 'bundle' }))
    await store.exportBundle()
    expect(fake.sent('submission/bundle/export')).toEqual([{ entryIds: [41, 42], sourceName: 'contributor', outPath: '/out/bundle.zip' }])
  })

  it('says there is nothing to bundle before asking main', async () => {
    const store = useSubmissionStore()
    expect(await store.validateBundle()).toBeNull()
    expect(store.bundleError).toBe('No entries to bundle: import DICOM files first.')
    expect(fake.sent('submission/bundle/validate')).toEqual([])
  })

  it('suggests a bundle beside the catalog, never over a path already typed', () => {
    const store = useSubmissionStore()
    store.suggestOutPath()
    expect(store.bundleForm.outPath).toBe('/data/lus/submission-bundle.zip')
    store.bundleForm.outPath = '/mine.zip'
    store.suggestOutPath()
    expect(store.bundleForm.outPath).toBe('/mine.zip')
  })
})
