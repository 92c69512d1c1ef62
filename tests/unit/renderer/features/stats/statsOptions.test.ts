import { describe, expect, it } from 'vitest'
import { BLANK_COLOR, GROUP_COLORS, LABEL_COLORS, groupColor, labelProbeTypeOption, pathologiesOption } from '../../../../../src/renderer/src/features/stats/statsOptions'
import type { CatalogStats } from '../../../../../src/shared/contract'

function stats(rows: CatalogStats['byLabelProbeType'], pathologies: CatalogStats['pathologiesByLabel'] = []): CatalogStats {
  return { total: 0, withMedia: 0, byLabelProbeType: rows, byMediaStatus: {}, pathologiesByLabel: pathologies, symptomsByLabel: [], byLicense: [] }
}

type Series = { name: string; itemStyle: { color: string }; label: { show: boolean; formatter: (p: { value?: unknown }) => string } }
const seriesOf = (option: ReturnType<typeof labelProbeTypeOption>): Series[] => option.series as unknown as Series[]

describe('statistics colours', () => {
  it('keep each probe × type colour when a new category appears', () => {
    const before = seriesOf(
      labelProbeTypeOption(
        stats([
          { label: 'covid', probe: 'convex', type: 'video', count: 3 },
          { label: 'healthy', probe: 'linear', type: 'Image', count: 2 }
        ])
      )
    )
    const after = seriesOf(
      labelProbeTypeOption(
        stats([
          { label: 'covid', probe: '', type: 'video', count: 1 },
          { label: 'covid', probe: 'convex', type: 'video', count: 3 },
          { label: 'other', probe: 'phased', type: 'video', count: 1 },
          { label: 'healthy', probe: 'linear', type: 'Image', count: 2 }
        ])
      )
    )
    const colours = (s: Series[]) => Object.fromEntries(s.map((x) => [x.name, x.itemStyle.color]))
    expect(colours(before)).toEqual({ 'Convex · Video': GROUP_COLORS['convex · video'], 'Linear · Image': GROUP_COLORS['linear · image'] })
    expect(colours(after)).toMatchObject(colours(before))
    expect(colours(after)['(blank) · Video']).toBe(BLANK_COLOR)
    expect(groupColor('phased · video')).not.toBe(BLANK_COLOR)
  })

  it('colour findings by label, whichever labels are present', () => {
    const row = (label: 'covid' | 'healthy') => ({ label, pathology: 'B-lines', present: 2, absent: 1, notAssessed: 0 })
    const only = pathologiesOption(stats([{ label: 'healthy', probe: 'convex', type: 'video', count: 1 }], [row('healthy')]))
    const both = pathologiesOption(
      stats(
        [
          { label: 'covid', probe: 'convex', type: 'video', count: 1 },
          { label: 'healthy', probe: 'convex', type: 'video', count: 1 }
        ],
        [row('covid'), row('healthy')]
      )
    )
    const healthy = (o: typeof only) => (o.series as unknown as Series[]).find((s) => s.name === 'Healthy')!.itemStyle.color
    expect(healthy(only)).toBe(LABEL_COLORS.healthy)
    expect(healthy(both)).toBe(LABEL_COLORS.healthy)
  })

  it('write the count on each non-empty bar', () => {
    const [s] = seriesOf(labelProbeTypeOption(stats([{ label: 'covid', probe: 'convex', type: 'video', count: 3 }])))
    expect(s!.label.show).toBe(true)
    expect(s!.label.formatter({ value: 3 })).toBe('3')
    expect(s!.label.formatter({ value: 0 })).toBe('')
  })
})
