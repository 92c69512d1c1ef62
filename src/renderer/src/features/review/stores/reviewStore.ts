/**
 * The clip under review: its full detail, and its place among the entries
 * the catalog currently shows (filter, search and sort), which is what
 * next / previous walk through.
 */
import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { EntryDetail } from '../../../../../shared/contract'
import { useApi } from '../../../api'
import { useCatalogStore, useEntryDetail } from '../../catalog'
import { useNavigationStore } from '../../../app/stores/navigationStore'

export const useReviewStore = defineStore('review', () => {
  const api = useApi()
  const catalog = useCatalogStore()
  const navigation = useNavigationStore()

  const clip = useEntryDetail(api)
  const { id: entryId, detail, loading, error } = clip

  /** Position in what the catalog shows; -1 when filters hide the clip. */
  const index = computed(() => (entryId.value === null ? -1 : catalog.visible.findIndex((e) => e.id === entryId.value)))
  const count = computed(() => catalog.visible.length)
  const hasPrevious = computed(() => count.value > 0 && index.value !== 0)
  const hasNext = computed(() => count.value > 0 && index.value !== count.value - 1)

  async function open(id: number): Promise<void> {
    if (id === entryId.value && detail.value !== null && error.value === null) return
    const opened = await clip.load(id)
    // Keep the catalog's selection on the clip, so going back lands on it.
    if (opened) catalog.showDetail(opened)
  }

  /** Fetches the open clip again (after an undo or redo touched it). */
  async function reload(): Promise<void> {
    await clip.reload()
  }

  /** Takes an entry's state as main answered it (after a save); ignored if another clip is open by now. */
  function applyDetail(next: EntryDetail): void {
    if (next.summary.id === entryId.value) detail.value = next
  }

  /** Moves to the clip `delta` places away in the catalog's current list, clamped to its ends. */
  function step(delta: number): void {
    const rows = catalog.visible
    if (rows.length === 0) return
    const from = index.value
    const to = from === -1 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, from + delta))
    const target = rows[to]
    if (target && target.id !== entryId.value) navigation.openReview(target.id, true)
  }

  function close(): void {
    clip.show(null)
  }

  return { entryId, detail, loading, error, index, count, hasPrevious, hasNext, open, reload, applyDetail, step, close }
})
