/** The view lives in the URL's hash so reloads and Back work; these pin how hashes are read and written. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { stubWindow } from '../../helpers/fakeWindow'
import { parseHash, useNavigationStore } from '../../../../../src/renderer/src/app/stores/navigationStore'

beforeEach(() => setActivePinia(createPinia()))

describe('navigation: the view lives in the URL’s hash', () => {
  it('reads views and clips from the hash, and falls back to the catalog', () => {
    expect(parseHash('#/review/42')).toEqual({ view: 'review', entryId: 42 })
    expect(parseHash('#/review/abc')).toEqual({ view: 'review', entryId: null })
    expect(parseHash('#/review/-3')).toEqual({ view: 'review', entryId: null })
    expect(parseHash('#/statistics')).toEqual({ view: 'statistics', entryId: null })
    expect(parseHash('#/splits')).toEqual({ view: 'splits', entryId: null })
    expect(parseHash('#/nonsense')).toEqual({ view: 'catalog', entryId: null })
    expect(parseHash('')).toEqual({ view: 'catalog', entryId: null })
  })

  it('starts where the hash points, and keeps the reviewed clip while another view is up', () => {
    const win = stubWindow('#/review/7')
    const navigation = useNavigationStore()
    expect(navigation.view).toBe('review')
    expect(navigation.reviewEntryId).toBe(7)
    navigation.showStatistics()
    expect(win.hash).toBe('#/statistics')
    expect(navigation.reviewEntryId).toBe(7)
    navigation.openReview(null)
    expect(win.hash).toBe('#/review/7')
    navigation.showCatalog()
    expect(win.hash).toBe('#/')
    navigation.show('submission')
    expect(win.hash).toBe('#/submission')
  })
})
