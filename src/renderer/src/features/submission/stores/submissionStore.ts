/**
 * The contributor's submission workflow: DICOM import (files or PACS) with its
 * de-identification summaries, the crop/trim/mask settings of one clip, its
 * licence and provenance, rebuilding the sources the dataset cannot
 * redistribute, and validating and exporting the bundle. Long work runs as
 * submission jobs, polled until done; one runs at a time.
 *
 * One store, because the steps share the job, the clip being worked on and
 * the imported entries; each step's state and actions live in its own
 * composable (../composables/), and this file wires them together.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { EntryDetail } from '../../../../../shared/contract'
import { useCatalogStore } from '../../catalog'
import { usePlayerStore, useReviewStore } from '../../review'
import { useSettingsStore } from '../../../app/stores/settingsStore'
import { useBundleExport, useRebuildSources } from '../composables/useBundleExport'
import { useDicomImport } from '../composables/useDicomImport'
import { useEntryMetadata } from '../composables/useEntryMetadata'
import { useMediaEdits } from '../composables/useMediaEdits'
import { usePacsImport } from '../composables/usePacsImport'
import { useSubmissionJobs } from '../composables/useSubmissionJobs'

export { parsePaths, type DeidSummary, type DicomImport } from '../composables/useDicomImport'
export type { CropJsonExport, CropJsonImport, EditDraft } from '../composables/useMediaEdits'
export type { PacsConfig, PacsSeries, PacsStudy } from '../composables/usePacsImport'

export type Step = 'import' | 'edit' | 'label' | 'rebuild' | 'bundle'
export const STEPS: { id: Step; text: string }[] = [
  { id: 'import', text: '1. Import' },
  { id: 'edit', text: '2. Crop and trim' },
  { id: 'label', text: '3. Label and licence' },
  { id: 'rebuild', text: '4. Rebuild sources' },
  { id: 'bundle', text: '5. Validate and export' }
]

export const useSubmissionStore = defineStore('submission', () => {
  const catalog = useCatalogStore()
  const review = useReviewStore()
  const player = usePlayerStore()
  const settings = useSettingsStore()

  const step = ref<Step>('import')
  const { job, jobPurpose, jobError, busy, runJob } = useSubmissionJobs()
  const reloadCatalog = (): Promise<void> => catalog.load()

  // ---- 1. import (files or PACS) ----------------------------------------------------
  const importing = useDicomImport({ runJob, jobPurpose, jobError, reloadCatalog, selectEntry: (id) => selectEntry(id) })
  const pacs = usePacsImport({ runJob, importMetadata: importing.importMetadata, afterImport: importing.afterImport })

  // ---- the clip being worked on --------------------------------------------------------
  const entryId = ref<number | null>(null)
  const detail = computed<EntryDetail | null>(() => (review.detail?.summary.id === entryId.value ? review.detail : null))
  const contributionsSourceId = computed(() => importing.imported.value[0]?.sourceId ?? detail.value?.summary.sourceId)

  // ---- 2. crop, trim, masks; 3. licence, provenance, type --------------------------------
  const editing = useMediaEdits({ entryId, player, contributionsSourceId })
  const meta = useEntryMetadata({
    entryId,
    ensureName: (retry) => settings.ensureName('edit', retry),
    applyDetail: (d) => {
      review.applyDetail(d)
      catalog.applyDetail(d)
    }
  })

  async function selectEntry(id: number): Promise<void> {
    entryId.value = id
    editing.editsError.value = null
    editing.saveMessage.value = null
    meta.metaError.value = null
    await Promise.all([review.open(id), editing.loadEdits(id)])
    if (!importing.summaries.has(id)) void importing.loadSummary(id)
    const d = review.detail
    if (d !== null && d.summary.id === id) meta.fillMetaForm(d)
  }

  // ---- 4. rebuild; 5. bundle ---------------------------------------------------------------
  const rebuild = useRebuildSources({ runJob, reloadCatalog })
  const bundle = useBundleExport({
    runJob,
    importedIds: importing.importedIds,
    contributionsSourceId,
    catalog: { get entries() { return catalog.entries }, catalogPath: () => catalog.appInfo?.catalogPath }
  })

  return {
    step,
    job,
    jobPurpose,
    jobError,
    busy,
    importForm: importing.importForm,
    imported: importing.imported,
    importedIds: importing.importedIds,
    failures: importing.failures,
    summaries: importing.summaries,
    summaryErrors: importing.summaryErrors,
    importDicom: importing.importDicom,
    loadSummary: importing.loadSummary,
    pacsConfig: pacs.pacsConfig,
    pacsForm: pacs.pacsForm,
    pacsConfigError: pacs.pacsConfigError,
    pacsConfigSaved: pacs.pacsConfigSaved,
    search: pacs.search,
    studies: pacs.studies,
    searched: pacs.searched,
    searching: pacs.searching,
    searchError: pacs.searchError,
    series: pacs.series,
    seriesErrors: pacs.seriesErrors,
    loadPacsConfig: pacs.loadPacsConfig,
    savePacsConfig: pacs.savePacsConfig,
    searchPacs: pacs.searchPacs,
    loadSeries: pacs.loadSeries,
    pullPacs: pacs.pullPacs,
    entryId,
    detail,
    selectEntry,
    edits: editing.edits,
    draft: editing.draft,
    editsError: editing.editsError,
    saveMessage: editing.saveMessage,
    savingEdits: editing.savingEdits,
    dirty: editing.dirty,
    frameCount: editing.frameCount,
    setCrop: editing.setCrop,
    addMask: editing.addMask,
    removeMask: editing.removeMask,
    setStart: editing.setStart,
    setEnd: editing.setEnd,
    clearTrim: editing.clearTrim,
    saveEdits: editing.saveEdits,
    cropJsonPath: editing.cropJsonPath,
    cropJsonImport: editing.cropJsonImport,
    cropJsonExport: editing.cropJsonExport,
    cropJsonError: editing.cropJsonError,
    importCropJson: editing.importCropJson,
    exportCropJson: editing.exportCropJson,
    metaForm: meta.metaForm,
    metaError: meta.metaError,
    metaSaved: meta.metaSaved,
    savingMeta: meta.savingMeta,
    saveMeta: meta.saveMeta,
    rebuildForm: rebuild.rebuildForm,
    rebuildButterfly: rebuild.rebuildButterfly,
    rebuildWeb: rebuild.rebuildWeb,
    bundleForm: bundle.bundleForm,
    bundleIds: bundle.bundleIds,
    validation: bundle.validation,
    validating: bundle.validating,
    bundleError: bundle.bundleError,
    validateBundle: bundle.validateBundle,
    exportBundle: bundle.exportBundle,
    suggestOutPath: bundle.suggestOutPath
  }
})
