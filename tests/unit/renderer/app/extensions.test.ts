import { describe, expect, it, vi } from 'vitest'
import { extensions, NO_PREDICTION_FILTER, openRebuild, register } from '../../../../src/renderer/src/app/extensions'

describe('the extension registry', () => {
  it('shows nothing and does nothing before a feature registers', () => {
    expect(extensions.catalogColumns).toEqual([])
    expect(extensions.catalogFilters).toEqual([])
    expect(extensions.reviewPanels).toEqual([])
    expect(extensions.playerOverlays).toEqual([])
    expect(extensions.playerTimelines).toEqual([])
    expect(extensions.catalogRowFilter()).toBeNull()
    expect(() => openRebuild()).not.toThrow()
    expect(NO_PREDICTION_FILTER).toEqual({ predicted: 'any', maxConfidence: 1, disagreement: 'any', sort: 'none' })
  })

  it('hands the core what features registered, in order', () => {
    const overlay = { name: 'Overlay' }
    const panel = { id: 'classifier', text: 'Classifier', component: { name: 'Panel' } }
    register.playerOverlay(overlay)
    register.reviewPanel(panel)
    register.reviewPanel({ ...panel, id: 'second' })
    expect(extensions.playerOverlays).toEqual([overlay])
    expect(extensions.reviewPanels.map((p) => p.id)).toEqual(['classifier', 'second'])

    const rebuild = vi.fn()
    register.rebuildAction(rebuild)
    openRebuild()
    expect(rebuild).toHaveBeenCalledOnce()

    const filter = { active: () => false, apply: <T>(rows: readonly T[]) => rows, state: () => ({ ...NO_PREDICTION_FILTER }), restore: () => {}, clear: () => {} }
    register.catalogRowFilter(filter)
    expect(extensions.catalogRowFilter()).toBe(filter)
  })
})
