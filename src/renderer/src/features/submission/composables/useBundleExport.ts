/**
 * Steps 4 and 5: rebuilding the sources the dataset cannot redistribute
 * (a Butterfly gallery export, a folder of web videos), then validating and
 * exporting the contribution as one bundle.
 */
import { computed, reactive, ref, shallowRef, type ComputedRef } from 'vue'
import type { EntrySummary } from '../../../../../shared/contract'
import type { BundleValidation } from '../../../../../shared/submissionContract'
import { callSubmission } from '../submissionApi'
import type { RunJob } from './useSubmissionJobs'

export function useRebuildSources(deps: { runJob: RunJob; reloadCatalog: () => Promise<void> }) {
  const rebuildForm = reactive({ zipPath: '', folder: '', cropJsonPath: '' })

  async function rebuildButterfly(): Promise<void> {
    const done = await deps.runJob('butterfly', () => callSubmission('submission/rebuild/butterfly', { zipPath: rebuildForm.zipPath.trim() }))
    if (done?.state === 'done') await deps.reloadCatalog()
  }
  async function rebuildWeb(): Promise<void> {
    const crop = rebuildForm.cropJsonPath.trim()
    const done = await deps.runJob('web', () =>
      callSubmission('submission/rebuild/webVideos', { folder: rebuildForm.folder.trim(), ...(crop !== '' ? { cropJsonPath: crop } : {}) })
    )
    if (done?.state === 'done') await deps.reloadCatalog()
  }

  return { rebuildForm, rebuildButterfly, rebuildWeb }
}

export function useBundleExport(deps: {
  runJob: RunJob
  importedIds: ComputedRef<number[]>
  contributionsSourceId: ComputedRef<number | undefined>
  /** The catalog's entries and the path of its CSV (for the default bundle path). */
  catalog: { entries: readonly EntrySummary[]; catalogPath: () => string | undefined }
}) {
  const bundleForm = reactive({ sourceName: 'contributor', outPath: '' })
  /** Entries in the bundle: those imported in this session, else the contributions source's entries. */
  const bundleIds = computed(() => {
    if (deps.importedIds.value.length > 0) return deps.importedIds.value
    const sourceId = deps.contributionsSourceId.value
    return sourceId === undefined ? [] : deps.catalog.entries.filter((e) => e.sourceId === sourceId).map((e) => e.id)
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
    await deps.runJob('bundle', () =>
      callSubmission('submission/bundle/export', { entryIds: bundleIds.value, sourceName: bundleForm.sourceName.trim(), outPath: bundleForm.outPath.trim() })
    )
  }

  function suggestOutPath(): void {
    if (bundleForm.outPath !== '') return
    const catalogPath = deps.catalog.catalogPath()
    if (!catalogPath) return
    const dir = catalogPath.replace(/[\\/][^\\/]*$/, '')
    bundleForm.outPath = `${dir}/submission-bundle.zip`
  }

  return { bundleForm, bundleIds, validation, validating, bundleError, validateBundle, exportBundle, suggestOutPath }
}
