/**
 * The full agreement report for one rated field (or one CLI file): percent
 * agreement, Fleiss' κ, Cohen's κ and a confusion matrix for every rater
 * pair, specific agreement per category, each with a bootstrap 95% CI, and
 * counts of how complete the ratings are.
 */
import type { AgreementReport } from '../../shared/ratingsContract'
import { bootstrapEstimate, type BootstrapOptions } from './bootstrap'
import type { RatingTable } from './ratingTable'
import {
  categoryCounts,
  cohenKappa,
  confusionMatrix,
  fleissKappa,
  observedAgreement,
  pairCodes,
  pairwiseAgreement,
  range,
  specificAgreement,
  unanimousAgreement
} from './statistics'

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { replicates: 2000, seed: 1 }

export function analyzeAgreement(table: RatingTable, options: Partial<BootstrapOptions> = {}): AgreementReport {
  const boot: BootstrapOptions = { ...DEFAULT_BOOTSTRAP, ...options }
  const c = categoryCounts(table)
  const rated = [...c.n].filter((n) => n >= 1).length
  const multi = Int32Array.from([...c.n.keys()].filter((i) => c.n[i]! >= 2))

  const cohen: AgreementReport['cohenKappa'] = []
  for (let a = 0; a < table.raters.length; a++) {
    for (let b = a + 1; b < table.raters.length; b++) {
      const p = pairCodes(table, a, b)
      const all = range(p.a.length)
      cohen.push({
        raters: [table.raters[a]!, table.raters[b]!],
        ...bootstrapEstimate(all, (items) => cohenKappa(p, c.k, items), boot),
        observedAgreement: observedAgreement(p, all),
        confusion: confusionMatrix(p, c.k)
      })
    }
  }

  return {
    raters: table.raters,
    categories: table.categories,
    items: rated,
    ratings: c.n.reduce((a, b) => a + b, 0),
    itemsWithOneRating: [...c.n].filter((n) => n === 1).length,
    itemsWithTwoOrMoreRatings: multi.length,
    completeItems: [...c.n].filter((n) => n === table.raters.length).length,
    percentAgreement: bootstrapEstimate(multi, (items) => unanimousAgreement(c, items), boot),
    pairwiseAgreement: bootstrapEstimate(multi, (items) => pairwiseAgreement(c, items), boot),
    fleissKappa: bootstrapEstimate(multi, (items) => fleissKappa(c, items), boot),
    cohenKappa: cohen,
    specificAgreement: table.categories.map((category, j) => ({
      category,
      ...bootstrapEstimate(multi, (items) => specificAgreement(c, items, j), boot)
    })),
    bootstrap: { replicates: boot.replicates, seed: boot.seed, ci: 'percentile', resampling: 'items' }
  }
}
