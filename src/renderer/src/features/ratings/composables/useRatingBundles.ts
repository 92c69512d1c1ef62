/**
 * Moving ratings between machines: review bundles (a set with its ratings,
 * out and back in with conflicts resolved) and reader bundles (a set's clips,
 * blinded, for a rater's own machine).
 */
import { ref, shallowRef } from 'vue'
import type { BundleExportResult, BundleImportResult } from '../../../../../shared/ratingsContract'
import type { ReaderBundleExportResult } from '../../../../../shared/readerContract'
import { useApi } from '../../../api'
import type { ApiCall } from './useApiCall'

export function useRatingBundles(deps: { run: ApiCall; /** After an applied import: raters and sets changed. */ reload: () => Promise<void> }) {
  const api = useApi()
  const { run } = deps
  const exportResult = shallowRef<BundleExportResult | null>(null)
  const importPreview = shallowRef<BundleImportResult | null>(null)
  const importResult = shallowRef<BundleImportResult | null>(null)
  const importPath = ref('')

  async function exportBundle(setId: string, outPath: string, raterIds: string[] | null): Promise<void> {
    exportResult.value = null
    const value = await run(() => api['bundles/export']({ setId, outPath, ...(raterIds !== null ? { raterIds } : {}) }))
    if (value) exportResult.value = value
  }

  /** A dry run first: it lists the conflicts to resolve before anything is written. */
  async function previewImport(path: string): Promise<void> {
    importPath.value = path
    importPreview.value = null
    importResult.value = null
    const value = await run(() => api['bundles/import']({ path, dryRun: true }))
    if (value) importPreview.value = value
  }

  async function applyImport(resolutions: Record<string, 'mine' | 'theirs'>): Promise<void> {
    const path = importPath.value
    if (path === '') return
    const value = await run(() => api['bundles/import']({ path, resolutions, dryRun: false }))
    if (!value) return
    importResult.value = value
    if (value.applied) {
      importPreview.value = null
      await deps.reload()
    } else importPreview.value = value
  }

  const readerBundleResult = shallowRef<ReaderBundleExportResult | null>(null)
  const readerBundleError = ref<string | null>(null)
  const readerBundleBusy = ref(false)

  /**
   * Writes a reader bundle for the set's raters (all of them when raterIds is
   * null). Its outcome is kept apart from the view's error box: a refusal lists
   * the clips without media, which belongs beside the form that asked for it.
   */
  async function exportReaderBundle(setId: string, outPath: string, raterIds: string[] | null): Promise<boolean> {
    readerBundleResult.value = null
    readerBundleError.value = null
    readerBundleBusy.value = true
    const result = await api['reviewSets/exportReaderBundle']({ setId, outPath, ...(raterIds !== null ? { raterIds } : {}) })
    readerBundleBusy.value = false
    if (!result.ok) {
      readerBundleError.value = result.error.message
      return false
    }
    readerBundleResult.value = result.value
    return true
  }

  return {
    exportResult,
    importPreview,
    importResult,
    exportBundle,
    previewImport,
    applyImport,
    readerBundleResult,
    readerBundleError,
    readerBundleBusy,
    exportReaderBundle
  }
}
