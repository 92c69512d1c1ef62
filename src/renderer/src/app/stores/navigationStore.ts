/**
 * Which view is shown: the catalog, one clip under review, or the
 * statistics. Kept in the URL's hash (`#/review/42`, `#/statistics`) so a
 * reload comes back to the same clip and the browser's Back button works.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'

export type View = 'catalog' | 'review' | 'statistics' | 'ratings' | 'submission' | 'splits'

/** Views addressed by their name alone in the hash (`#/statistics`). */
const PLAIN_VIEWS: readonly View[] = ['statistics', 'ratings', 'submission', 'splits']

interface Location {
  view: View
  entryId: number | null
}

export function parseHash(hash: string): Location {
  const parts = hash.replace(/^#\/?/, '').split('/')
  const plain = PLAIN_VIEWS.find((v) => v === parts[0])
  if (plain) return { view: plain, entryId: null }
  if (parts[0] === 'review') {
    const id = Number(parts[1])
    return { view: 'review', entryId: Number.isSafeInteger(id) && id > 0 ? id : null }
  }
  return { view: 'catalog', entryId: null }
}

function hashOf(location: Location): string {
  if (location.view === 'review') return location.entryId === null ? '#/review' : `#/review/${location.entryId}`
  return PLAIN_VIEWS.includes(location.view) ? `#/${location.view}` : '#/'
}

export const useNavigationStore = defineStore('navigation', () => {
  const initial = parseHash(window.location.hash)
  const view = ref<View>(initial.view)
  /** The clip the review view shows (kept while another view is up, so "Review" returns to it). */
  const reviewEntryId = ref<number | null>(initial.entryId)

  function go(location: Location, replace = false): void {
    view.value = location.view
    if (location.entryId !== null) reviewEntryId.value = location.entryId
    const hash = hashOf({ view: location.view, entryId: location.view === 'review' ? reviewEntryId.value : null })
    if (window.location.hash === hash) return
    if (replace) window.history.replaceState(window.history.state, '', hash)
    else window.history.pushState(window.history.state, '', hash)
  }

  window.addEventListener('popstate', () => {
    const location = parseHash(window.location.hash)
    view.value = location.view
    if (location.entryId !== null) reviewEntryId.value = location.entryId
  })

  const showCatalog = (): void => go({ view: 'catalog', entryId: null })
  const showStatistics = (): void => go({ view: 'statistics', entryId: null })
  /** Any view that needs no clip: statistics, blinded review, submission. */
  const show = (view: View): void => go({ view, entryId: null })
  /** Opens a clip for review; moving between clips replaces the history entry rather than piling them up. */
  const openReview = (entryId: number | null, replace = false): void => go({ view: 'review', entryId }, replace)

  return { view, reviewEntryId, showCatalog, showStatistics, show, openReview }
})
