/**
 * Catalog statistics for the charts, computed by main. Kept live: any change
 * to the catalog (an import, an edit, an undo) refetches them while the
 * statistics view is up, and marks them stale otherwise.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import type { CatalogStats } from '../../../../../shared/contract'
import { useApi } from '../../../api'
import { useCatalogStore } from '../../catalog'

const REFRESH_DELAY_MS = 250

export const useStatsStore = defineStore('stats', () => {
  const api = useApi()
  const catalog = useCatalogStore()

  const stats = shallowRef<CatalogStats | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** Whether a view shows the statistics; only then are they refetched on every change. */
  const active = ref(false)
  let stale = true
  let request = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  async function load(): Promise<void> {
    const mine = ++request
    loading.value = true
    const result = await api['catalog/stats']({})
    if (mine !== request) return
    loading.value = false
    if (result.ok) {
      stats.value = result.value
      error.value = null
      stale = false
    } else error.value = result.error.message
  }

  watch(
    () => catalog.revision,
    () => {
      stale = true
      if (!active.value) return
      // Several saves in a row (keyboard labeling) cost one refetch.
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(() => {
        timer = null
        void load()
      }, REFRESH_DELAY_MS)
    }
  )

  function activate(): void {
    active.value = true
    if (stale || stats.value === null) void load()
  }

  function deactivate(): void {
    active.value = false
  }

  return { stats, loading, error, active, load, activate, deactivate }
})
