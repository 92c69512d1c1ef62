import { describe, expect, it } from 'vitest'
import { aucText, spreadText } from '../../../../../src/renderer/src/features/classifier/modelCardText'

describe('model card figures in words', () => {
  it('shows a rate as a percentage with its spread, an AUC as a number, and a missing figure as a dash', () => {
    expect(spreadText({ mean: 0.741, sd: 0.137 })).toBe('74 % ± 14')
    expect(aucText({ mean: 0.8123, sd: 0.0712 })).toBe('0.81 ± 0.07')
    expect(aucText(null)).toBe('—')
    expect(spreadText(null)).toBe('—')
  })
})
