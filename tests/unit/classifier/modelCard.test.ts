import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { modelCardResult, modelCardView } from '../../../src/main/classifier/modelCard'
import { modelCardResultSchema } from '../../../src/shared/classifierContract'

interface Spread {
  mean: number
  sd: number
}
interface ShippedCard {
  name: string
  version: string
  intendedUse: string
  limitations: string[]
  data: { lusClips: Record<string, { clips: number; videos: number; images: number; groups: number }> }
  split: { method: string; folds: number; groups: number; seed: number }
  crossValidation: { summary: { video: { balancedAccuracy: Spread; perClass: Record<string, { sensitivity: Spread; specificity: Spread }> } } }
}
const shipped = JSON.parse(readFileSync('resources/models/lusnet.card.json', 'utf8')) as ShippedCard

describe('model card view', () => {
  it("keeps the shipped card's own figures: data per class, split, per-class rates with spread, limits", () => {
    const view = modelCardView(shipped, 'lusnet')
    expect(view.name).toBe(shipped.name)
    expect(view.version).toBe(shipped.version)
    expect(view.data.map((d) => d.class)).toEqual(['covid', 'pneumonia', 'healthy'])
    const covid = shipped.data.lusClips['covid']!
    expect(view.data[0]).toEqual({ class: 'covid', clips: covid.clips, videos: covid.videos, images: covid.images, groups: covid.groups })
    expect(view.split).toEqual({ method: shipped.split.method, folds: shipped.split.folds, groups: shipped.split.groups, seed: shipped.split.seed })
    const video = view.results.find((r) => r.level === 'video')!
    expect(video.balancedAccuracy).toEqual(shipped.crossValidation.summary.video.balancedAccuracy)
    for (const c of ['covid', 'pneumonia', 'healthy']) {
      const row = video.perClass.find((p) => p.class === c)!
      expect(row.sensitivity).toEqual(shipped.crossValidation.summary.video.perClass[c]!.sensitivity)
      expect(row.specificity).toEqual(shipped.crossValidation.summary.video.perClass[c]!.specificity)
    }
    expect(view.results.map((r) => r.level)).toEqual(['video', 'frame'])
    expect(view.limitations).toEqual(shipped.limitations)
    expect(view.intendedUse).toBe(shipped.intendedUse)
    expect(modelCardResultSchema.safeParse({ card: view, warning: null }).success).toBe(true)
  })

  it('leaves out what the card lacks instead of inventing it', () => {
    const view = modelCardView({ name: 'tiny' }, 'fallback')
    expect(view).toMatchObject({ name: 'tiny', version: 'unknown', data: [], results: [], split: null, findings: [], seeds: null, limitations: [] })
  })

  it('shows per-finding AUC and the spread over training seeds when the card has them', () => {
    const card = {
      ...shipped,
      crossValidation: {
        ...shipped.crossValidation,
        summary: {
          ...shipped.crossValidation.summary,
          findingsAuc: {
            'B-lines': { perFold: { mean: 0.81, sd: 0.07 }, foldsWithAuc: 5, pooled: { auc: 0.8, present: 40, absent: 30 } },
            Effusion: { perFold: null, foldsWithAuc: 0, pooled: { auc: null, present: 2, absent: 0 } }
          }
        }
      },
      seeds: {
        perSeed: [{ seed: 42 }, { seed: 7 }, { seed: 13 }],
        acrossSeeds: { videoBalancedAccuracy: { mean: 0.75, sd: 0.02 }, covidSensitivity: { mean: 0.6, sd: 0.05 } }
      }
    }
    const view = modelCardView(card, 'lusnet')
    expect(view.findings).toEqual([
      { name: 'B-lines', auc: { mean: 0.81, sd: 0.07 }, foldsWithAuc: 5, pooledAuc: 0.8, present: 40, absent: 30 },
      { name: 'Effusion', auc: null, foldsWithAuc: 0, pooledAuc: null, present: 2, absent: 0 }
    ])
    expect(view.seeds).toEqual({ seeds: [42, 7, 13], videoBalancedAccuracy: { mean: 0.75, sd: 0.02 }, covidSensitivity: { mean: 0.6, sd: 0.05 } })
    expect(modelCardResultSchema.safeParse({ card: view, warning: null }).success).toBe(true)
    // One seed is no spread: not shown as one.
    expect(modelCardView({ ...card, seeds: { perSeed: [{ seed: 42 }], acrossSeeds: {} } }, 'lusnet').seeds).toBeNull()
  })

  it('answers a warning, not a card, for a missing or malformed card', () => {
    expect(modelCardResult(null, 'no model card beside lusnet.onnx', 'lusnet')).toEqual({ card: null, warning: 'no model card beside lusnet.onnx' })
    const broken = modelCardResult({ ...shipped, split: { method: 'x', folds: 'five' } }, null, 'lusnet')
    expect(broken.card).toBeNull()
    expect(broken.warning).toMatch(/could not be read \(at split\.folds\)/)
  })

  it('passes on the warning of a card that describes another file', () => {
    const r = modelCardResult(shipped, 'the card describes another file', 'lusnet')
    expect(r.card?.name).toBe('lusnet')
    expect(r.warning).toBe('the card describes another file')
  })
})
