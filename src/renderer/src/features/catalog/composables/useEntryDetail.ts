/**
 * One entry's full detail, fetched from main: which entry, its detail, whether
 * it is loading and why it failed. The newest request wins, so a slow answer
 * for an entry the user has already left never replaces the one on screen.
 * The catalog's selection and the clip under review each hold one.
 */
import { ref, shallowRef } from 'vue'
import type { EntryDetail, LusApi } from '../../../../../shared/contract'

export function useEntryDetail(api: LusApi) {
  const id = ref<number | null>(null)
  const detail = shallowRef<EntryDetail | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  let request = 0

  /** Shows `entryId`, fetched now; resolves with its detail, or null when it failed or was overtaken. */
  async function load(entryId: number): Promise<EntryDetail | null> {
    const mine = ++request
    id.value = entryId
    loading.value = true
    error.value = null
    const result = await api['catalog/get']({ id: entryId })
    if (mine !== request) return null
    loading.value = false
    detail.value = result.ok ? result.value : null
    error.value = result.ok ? null : result.error.message
    return detail.value
  }

  /** Fetches the entry shown again, keeping what is on screen if that fails. */
  async function reload(): Promise<void> {
    if (id.value === null) return
    const mine = ++request
    const result = await api['catalog/get']({ id: id.value })
    if (mine === request && result.ok) detail.value = result.value
  }

  /** Shows a detail main already answered with; any request still out is dropped. */
  function show(next: EntryDetail | null): void {
    request++
    id.value = next?.summary.id ?? null
    detail.value = next
    loading.value = false
    error.value = null
  }

  return { id, detail, loading, error, load, reload, show }
}
