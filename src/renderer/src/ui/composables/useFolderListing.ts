/**
 * The folder browser's one folder at a time (files/list): a listing is kept
 * until the next one arrives, so a folder that cannot be opened leaves the
 * one shown in place, with the error beside it.
 */
import { ref } from 'vue'
import type { FolderListing, ListedFiles } from '../../../../shared/filesContract'
import { useApi } from '../../api'

export function useFolderListing(files: () => ListedFiles, showHidden: () => boolean) {
  const api = useApi()
  const listing = ref<FolderListing | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)

  /** Lists `path` (null: the places one may browse); false when it could not be listed. */
  async function list(path: string | null): Promise<boolean> {
    loading.value = true
    const result = await api['files/list']({
      ...(path !== null ? { path } : {}),
      files: files(),
      ...(showHidden() ? { showHidden: true } : {})
    })
    loading.value = false
    if (!result.ok) {
      error.value = result.error.message
      return false
    }
    error.value = null
    listing.value = result.value
    return true
  }

  return { listing, loading, error, list }
}
