/**
 * The contributor's submission workflow: DICOM import (files or PACS) with its
 * de-identification summaries, the crop/trim/mask settings of one clip, its
 * licence and provenance, rebuilding the sources the dataset cannot
 * redistribute, and validating and exporting the bundle. Long work runs as
 * submission jobs, polled until done; one runs at a time.
 */
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef } from 'vue'
import type { EntryDetail } from '../../../../shared/contract'
import {
  KNOWN_LICENSES,
  LICENSE_LINKS,
  type BundleValidation,
  type KnownLicense,
  type MediaEditsInfo,
  type SubmissionJob
} from '../../../../shared/submissionContract'
import { CSV_COLUMNS, type Label, type MediaType, type Probe } from '../../../../shared/vocabulary'
import { useApi } from '../../api'
import { useCatalogStore } from '../../stores/catalog'
import { usePlayerStore } from '../../stores/player'
import { useReviewStore } from '../../stores/review'
import { useSettingsStore } from '../../stores/settings'
import type { Crop, Rect } from './cropGeometry'
import { callSubmission, type SubResult } from './submissionApi'

export type Step = 'import' | 'edit' | 'label' | 'rebuild' | 'bundle'
export const STEPS: { id: Step; text: string }[] = [
  { id: 'import', text: '1. Import' },
  { id: 'edit', text: '2. Crop and trim' },
  { id: 'label', text: '3. Label and licence' },
  { id: 'rebuild', text: '4. Rebuild sources' },
  { id: 'bundle', text: '5. Validate and export' }
]

export type DeidSummary = SubResult<'submission/deidSummary'>
export type DicomImport = SubmissionJob['imports'][number]
export type PacsConfig = SubResult<'pacs/config/get'>
export type PacsStudy = SubResult<'pacs/search'>['studies'][number]
export type PacsSeries = SubResult<'pacs/series'>['series'][number]
export type CropJsonImport = SubResult<'submission/cropJson/import'>
export type CropJsonExport = SubResult<'submission/cropJson/export'>
type JobPurpose = 'import' | 'pacs' | 'butterfly' | 'web' | 'bundle'

const POLL_MS = 300
const CSV_INDEX = new Map<string, number>(CSV_COLUMNS.map((c, i) => [c, i]))

/** Paths typed one per line (or pasted with quotes), empty lines dropped. */
export function parsePaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^["']|["']$/g, ''))
    .filter((l) => l !== '')
}

export interface EditDraft {
  crop: Crop | null
  trim: { start: number; end: number } | null
  masks: Rect[]
}

export const useSubmissionStore = defineStore('submission', () => {
  const api = useApi()
  const catalog = useCatalogStore()
  const review = useReviewStore()
  const player = usePlayerStore()
  const settings = useSettingsStore()

  const step = ref<Step>('import')

  // ---- jobs ---------------------------------------------------------------
  const job = shallowRef<SubmissionJob | null>(null)
  const jobPurpose = ref<JobPurpose | null>(null)
  const jobError = ref<string | null>(null)
  const busy = computed(() => job.value?.state === 'running')

  /** Starts a job and polls it to its end; resolves with the final job, or null when it could not start. */
  async function runJob(purpose: JobPurpose, start: () => Promise<{ ok: true; value: { jobId: string } } | { ok: false; error: { message: string } }>): Promise<SubmissionJob | null> {
    jobPurpose.value = purpose
    jobError.value = null
    job.value = null
    const started = await start()
    if (!started.ok) {
      jobError.value = started.error.message
      return null
    }
    for (;;) {
      const polled = await callSubmission('submission/job', { jobId: started.value.jobId })
      if (!polled.ok) {
        jobError.value = polled.error.message
        return null
      }
      job.value = polled.value
      if (polled.value.state !== 'running') {
        if (polled.value.state === 'failed') jobError.value = polled.value.error ?? polled.value.message
        return polled.value
      }
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
  }

  // ---- 1. import ------------------------------------------------------------
  const importForm = reactive<{ paths: string; label: Label | ''; probe: Probe | ''; license: KnownLicense | ''; provenance: string }>({
    paths: '',
    label: '',
    probe: '',
    license: '',
    provenance: ''
  })
  const imported = ref<DicomImport[]>([])
  const failures = ref<{ item: string; error: string }[]>([])
  const summaries = reactive(new Map<number, DeidSummary>())
  const summaryErrors = reactive(new Map<number, string>())
  const importedIds = computed(() => imported.value.map((i) => i.entryId))

  function importMetadata(): { label?: Label; probe?: Probe; license?: KnownLicense; provenance?: string } {
    return {
      ...(importForm.label !== '' ? { label: importForm.label } : {}),
      ...(importForm.probe !== '' ? { probe: importForm.probe } : {}),
      ...(importForm.license !== '' ? { license: importForm.license } : {}),
      ...(importForm.provenance.trim() !== '' ? { provenance: importForm.provenance.trim() } : {})
    }
  }

  async function afterImport(done: SubmissionJob | null): Promise<void> {
    if (done === null) return
    failures.value = done.failures
    const known = new Set(imported.value.map((i) => i.entryId))
    imported.value = [...imported.value, ...done.imports.filter((i) => !known.has(i.entryId))]
    await catalog.load()
    await Promise.all(done.imports.map((i) => loadSummary(i.entryId)))
    const first = done.imports[0]
    if (first !== undefined) await selectEntry(first.entryId)
  }

  async function importDicom(): Promise<void> {
    const paths = parsePaths(importForm.paths)
    if (paths.length === 0) {
      jobPurpose.value = 'import'
      jobError.value = 'Enter the path of at least one DICOM file (one per line).'
      return
    }
    await afterImport(await runJob('import', () => callSubmission('submission/importDicom', { paths, ...importMetadata() })))
  }

  async function loadSummary(entryId: number): Promise<void> {
    const result = await callSubmission('submission/deidSummary', { entryId })
    if (result.ok) {
      summaries.set(entryId, result.value)
      summaryErrors.delete(entryId)
    } else summaryErrors.set(entryId, result.error.message)
  }

  // ---- PACS -------------------------------------------------------------------
  const pacsConfig = shallowRef<PacsConfig | null>(null)
  const pacsForm = reactive({ url: '', username: '', password: '', forgetPassword: false })
  const pacsConfigError = ref<string | null>(null)
  const pacsConfigSaved = ref(false)
  const search = reactive({ patientId: '', patientName: '', dateFrom: '', dateTo: '', modality: 'US' })
  const studies = ref<PacsStudy[]>([])
  const searched = ref(false)
  const searching = ref(false)
  const searchError = ref<string | null>(null)
  const series = reactive(new Map<string, PacsSeries[]>())
  const seriesErrors = reactive(new Map<string, string>())

  async function loadPacsConfig(): Promise<void> {
    const result = await callSubmission('pacs/config/get', {})
    if (!result.ok) {
      pacsConfigError.value = result.error.message
      return
    }
    pacsConfigError.value = null
    pacsConfig.value = result.value
    pacsForm.url = result.value.url ?? ''
    pacsForm.username = result.value.username ?? ''
  }

  async function savePacsConfig(): Promise<void> {
    pacsConfigSaved.value = false
    const result = await callSubmission('pacs/config/set', {
      url: pacsForm.url.trim(),
      username: pacsForm.username.trim() === '' ? null : pacsForm.username.trim(),
      ...(pacsForm.forgetPassword ? { password: null } : pacsForm.password !== '' ? { password: pacsForm.password } : {})
    })
    if (!result.ok) {
      pacsConfigError.value = result.error.message
      return
    }
    pacsConfigError.value = null
    pacsConfig.value = result.value
    pacsForm.password = ''
    pacsForm.forgetPassword = false
    pacsConfigSaved.value = true
  }

  /** The form's dates are `YYYY-MM-DD` (date inputs); the operation takes `YYYYMMDD`. */
  const compactDate = (d: string): string | undefined => (d === '' ? undefined : d.replaceAll('-', ''))

  async function searchPacs(): Promise<void> {
    searching.value = true
    searchError.value = null
    const dateFrom = compactDate(search.dateFrom)
    const dateTo = compactDate(search.dateTo)
    const result = await callSubmission('pacs/search', {
      ...(search.patientId.trim() !== '' ? { patientId: search.patientId.trim() } : {}),
      ...(search.patientName.trim() !== '' ? { patientName: search.patientName.trim() } : {}),
      ...(dateFrom !== undefined ? { dateFrom } : {}),
      ...(dateTo !== undefined ? { dateTo } : {}),
      ...(search.modality.trim() !== '' ? { modality: search.modality.trim() } : {}),
      limit: 200
    })
    searching.value = false
    searched.value = true
    if (!result.ok) {
      searchError.value = result.error.message
      studies.value = []
      return
    }
    studies.value = result.value.studies
  }

  async function loadSeries(studyUid: string): Promise<void> {
    const result = await callSubmission('pacs/series', { studyUid })
    if (result.ok) {
      series.set(studyUid, result.value.series)
      seriesErrors.delete(studyUid)
    } else seriesErrors.set(studyUid, result.error.message)
  }

  async function pullPacs(studyUid: string, seriesUid?: string): Promise<void> {
    await afterImport(
      await runJob('pacs', () => callSubmission('pacs/pull', { studyUid, ...(seriesUid !== undefined ? { seriesUid } : {}), ...importMetadata() }))
    )
  }

  // ---- current entry -----------------------------------------------------------
  const entryId = ref<number | null>(null)
  const detail = computed<EntryDetail | null>(() => (review.detail?.summary.id === entryId.value ? review.detail : null))

  async function selectEntry(id: number): Promise<void> {
    entryId.value = id
    editsError.value = null
    saveMessage.value = null
    metaError.value = null
    await Promise.all([review.open(id), loadEdits(id)])
    if (!summaries.has(id)) void loadSummary(id)
    const d = review.detail
    if (d !== null && d.summary.id === id) fillMetaForm(d)
  }

  // ---- 2. crop, trim, masks ----------------------------------------------------
  const edits = shallowRef<MediaEditsInfo | null>(null)
  const draft = reactive<EditDraft>({ crop: null, trim: null, masks: [] })
  const editsError = ref<string | null>(null)
  const saveMessage = ref<string | null>(null)
  const savingEdits = ref(false)
  const dirty = ref(false)

  function takeEdits(info: MediaEditsInfo): void {
    edits.value = info
    draft.crop = info.crop === null ? null : { ...info.crop }
    draft.trim = info.trim === null ? null : { ...info.trim }
    draft.masks = info.masks.map((m) => ({ ...m }))
    dirty.value = false
  }

  async function loadEdits(id: number): Promise<void> {
    const result = await callSubmission('submission/edits/get', { entryId: id })
    if (id !== entryId.value) return
    if (result.ok) takeEdits(result.value)
    else {
      edits.value = null
      editsError.value = result.error.message
    }
  }

  function setCrop(crop: Crop | null): void {
    draft.crop = crop
    dirty.value = true
    saveMessage.value = null
  }
  function addMask(rect: Rect): void {
    draft.masks.push(rect)
    dirty.value = true
  }
  function removeMask(index: number): void {
    draft.masks.splice(index, 1)
    dirty.value = true
  }

  const frameCount = computed(() => edits.value?.media?.frames ?? player.frameCount)

  /** Trim start at the player's frame (inclusive); the end moves past it if needed. */
  function setStart(): void {
    const start = player.frame
    const end = draft.trim !== null && draft.trim.end > start ? draft.trim.end : Math.max(start + 1, frameCount.value)
    draft.trim = { start, end }
    dirty.value = true
  }
  /** Trim end at the player's frame: that frame is the last kept (end = frame + 1, exclusive). */
  function setEnd(): void {
    const end = player.frame + 1
    const start = draft.trim !== null && draft.trim.start < end ? draft.trim.start : 0
    draft.trim = { start: Math.min(start, end - 1), end }
    dirty.value = true
  }
  function clearTrim(): void {
    draft.trim = null
    dirty.value = true
  }

  async function saveEdits(): Promise<boolean> {
    const id = entryId.value
    if (id === null) return false
    savingEdits.value = true
    editsError.value = null
    saveMessage.value = null
    const result = await callSubmission('submission/edits/set', {
      entryId: id,
      crop: draft.crop,
      trim: draft.trim,
      masks: draft.masks.map((m) => ({ ...m }))
    })
    savingEdits.value = false
    if (!result.ok) {
      editsError.value = result.error.message
      return false
    }
    takeEdits(result.value)
    saveMessage.value = `Saved. ChangesMade: ${result.value.changesMade}`
    return true
  }

  // crop.json
  const cropJsonPath = ref('')
  const cropJsonImport = shallowRef<CropJsonImport | null>(null)
  const cropJsonExport = shallowRef<CropJsonExport | null>(null)
  const cropJsonError = ref<string | null>(null)
  const contributionsSourceId = computed(() => imported.value[0]?.sourceId ?? detail.value?.summary.sourceId)

  async function importCropJson(): Promise<void> {
    cropJsonError.value = null
    const sourceId = contributionsSourceId.value
    const result = await callSubmission('submission/cropJson/import', {
      path: cropJsonPath.value.trim(),
      ...(sourceId !== undefined ? { sourceId } : {})
    })
    if (!result.ok) {
      cropJsonError.value = result.error.message
      return
    }
    cropJsonImport.value = result.value
    if (entryId.value !== null) await loadEdits(entryId.value)
  }

  async function exportCropJson(): Promise<CropJsonExport | null> {
    cropJsonError.value = null
    const sourceId = contributionsSourceId.value
    const result = await callSubmission('submission/cropJson/export', sourceId !== undefined ? { sourceId } : {})
    if (!result.ok) {
      cropJsonError.value = result.error.message
      return null
    }
    cropJsonExport.value = result.value
    return result.value
  }

  // ---- 3. licence, provenance, type ----------------------------------------------
  const metaForm = reactive<{ license: KnownLicense | ''; provenance: string; type: MediaType | '' }>({ license: '', provenance: '', type: '' })
  const metaError = ref<string | null>(null)
  const metaSaved = ref(false)
  const savingMeta = ref(false)

  const cellOf = (d: EntryDetail, column: string): string => {
    const i = CSV_INDEX.get(column)
    return i === undefined ? '' : (d.cells[i] ?? '')
  }

  function fillMetaForm(d: EntryDetail): void {
    const license = cellOf(d, 'License')
    metaForm.license = (KNOWN_LICENSES as readonly string[]).includes(license) ? (license as KnownLicense) : ''
    metaForm.provenance = cellOf(d, 'URL (Video Name)')
    const type = cellOf(d, 'Type').toLowerCase()
    metaForm.type = type === 'video' || type === 'image' ? type : ''
    metaSaved.value = false
  }

  async function saveMeta(): Promise<void> {
    const id = entryId.value
    if (id === null) return
    if (!settings.ensureName('edit', () => void saveMeta())) return
    savingMeta.value = true
    metaError.value = null
    metaSaved.value = false
    const cells: Partial<Record<'License' | 'LinkToLicense' | 'URL (Video Name)' | 'Type', string>> = {
      'URL (Video Name)': metaForm.provenance.trim()
    }
    if (metaForm.license !== '') {
      cells.License = metaForm.license
      cells.LinkToLicense = LICENSE_LINKS[metaForm.license]
    }
    if (metaForm.type !== '') cells.Type = metaForm.type
    const result = await api['catalog/update']({ id, cells })
    savingMeta.value = false
    if (!result.ok) {
      metaError.value = result.error.message
      return
    }
    review.applyDetail(result.value)
    catalog.applyDetail(result.value)
    metaSaved.value = true
  }

  // ---- 4. rebuild ------------------------------------------------------------------
  const rebuildForm = reactive({ zipPath: '', folder: '', cropJsonPath: '' })

  async function rebuildButterfly(): Promise<void> {
    const done = await runJob('butterfly', () => callSubmission('submission/rebuild/butterfly', { zipPath: rebuildForm.zipPath.trim() }))
    if (done?.state === 'done') await catalog.load()
  }
  async function rebuildWeb(): Promise<void> {
    const crop = rebuildForm.cropJsonPath.trim()
    const done = await runJob('web', () =>
      callSubmission('submission/rebuild/webVideos', { folder: rebuildForm.folder.trim(), ...(crop !== '' ? { cropJsonPath: crop } : {}) })
    )
    if (done?.state === 'done') await catalog.load()
  }

  // ---- 5. bundle ----------------------------------------------------------------------
  const bundleForm = reactive({ sourceName: 'contributor', outPath: '' })
  /** Entries in the bundle: those imported in this session, else the contributions source's entries. */
  const bundleIds = computed(() => {
    if (importedIds.value.length > 0) return importedIds.value
    const sourceId = contributionsSourceId.value
    return sourceId === undefined ? [] : catalog.entries.filter((e) => e.sourceId === sourceId).map((e) => e.id)
  })
  const validation = shallowRef<BundleValidation | null>(null)
  const validating = ref(false)
  const bundleError = ref<string | null>(null)

  async function validateBundle(): Promise<BundleValidation | null> {
    bundleError.value = null
    validation.value = null
    if (bundleIds.value.length === 0) {
      bundleError.value = 'No entries to bundle: import DICOM files first.'
      return null
    }
    validating.value = true
    const result = await callSubmission('submission/bundle/validate', { entryIds: bundleIds.value, sourceName: bundleForm.sourceName.trim() })
    validating.value = false
    if (!result.ok) {
      bundleError.value = result.error.message
      return null
    }
    validation.value = result.value
    return result.value
  }

  async function exportBundle(): Promise<void> {
    const checked = await validateBundle()
    if (checked === null || !checked.ok) return
    await runJob('bundle', () =>
      callSubmission('submission/bundle/export', { entryIds: bundleIds.value, sourceName: bundleForm.sourceName.trim(), outPath: bundleForm.outPath.trim() })
    )
  }

  function suggestOutPath(): void {
    if (bundleForm.outPath !== '') return
    const catalogPath = catalog.appInfo?.catalogPath
    if (!catalogPath) return
    const dir = catalogPath.replace(/[\\/][^\\/]*$/, '')
    bundleForm.outPath = `${dir}/submission-bundle.zip`
  }

  return {
    step,
    job,
    jobPurpose,
    jobError,
    busy,
    importForm,
    imported,
    importedIds,
    failures,
    summaries,
    summaryErrors,
    importDicom,
    loadSummary,
    pacsConfig,
    pacsForm,
    pacsConfigError,
    pacsConfigSaved,
    search,
    studies,
    searched,
    searching,
    searchError,
    series,
    seriesErrors,
    loadPacsConfig,
    savePacsConfig,
    searchPacs,
    loadSeries,
    pullPacs,
    entryId,
    detail,
    selectEntry,
    edits,
    draft,
    editsError,
    saveMessage,
    savingEdits,
    dirty,
    frameCount,
    setCrop,
    addMask,
    removeMask,
    setStart,
    setEnd,
    clearTrim,
    saveEdits,
    cropJsonPath,
    cropJsonImport,
    cropJsonExport,
    cropJsonError,
    importCropJson,
    exportCropJson,
    metaForm,
    metaError,
    metaSaved,
    savingMeta,
    saveMeta,
    rebuildForm,
    rebuildButterfly,
    rebuildWeb,
    bundleForm,
    bundleIds,
    validation,
    validating,
    bundleError,
    validateBundle,
    exportBundle,
    suggestOutPath
  }
})

