import { describe, expect, it } from 'vitest'
import { analyzeAgreement } from '../../../src/main/agreement/agreementReport'
import { bootstrapEstimate, quantile } from '../../../src/main/agreement/bootstrap'
import { seededRandom, seededShuffle } from '../../../src/main/agreement/random'
import { buildRatingTable, type RatingTriple } from '../../../src/main/agreement/ratingTable'
import {
  categoryCounts,
  cohenKappa,
  fleissKappa,
  pairCodes,
  range,
  specificAgreement
} from '../../../src/main/agreement/statistics'

/** Ratings for two raters from a 2×2 table of counts (rater A's value, rater B's value). */
function twoRaters(cells: [string, string, number][]): RatingTriple[] {
  const out: RatingTriple[] = []
  let item = 0
  for (const [a, b, n] of cells) {
    for (let k = 0; k < n; k++) {
      item++
      out.push({ item: `i${item}`, rater: 'A', value: a }, { item: `i${item}`, rater: 'B', value: b })
    }
  }
  return out
}

/**
 * Fleiss (1971) as worked in Wikipedia's "Fleiss' kappa" article: 10 subjects,
 * 14 raters, 5 categories; each row is n_ij for categories 1..5.
 * Published: P̄ = 0.378, P_e = 0.213, κ = 0.210.
 */
const FLEISS_TABLE = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7]
]

function fromCounts(table: number[][]): RatingTriple[] {
  const out: RatingTriple[] = []
  table.forEach((row, i) => {
    let rater = 0
    row.forEach((n, j) => {
      for (let k = 0; k < n; k++) out.push({ item: `s${i + 1}`, rater: `r${++rater}`, value: String(j + 1) })
    })
  })
  return out
}

describe("Fleiss' κ", () => {
  it('reproduces the Fleiss (1971) / Wikipedia worked example: κ ≈ 0.210', () => {
    const table = buildRatingTable(fromCounts(FLEISS_TABLE))
    expect(table.raters).toHaveLength(14)
    const c = categoryCounts(table)
    const kappa = fleissKappa(c, range(10))!
    expect(kappa).toBeCloseTo(0.21, 3)
    // The article's intermediate values: P̄ = 0.378, P_e = 0.213 (so κ = (0.378 − 0.213)/(1 − 0.213)).
    const report = analyzeAgreement(table, { replicates: 0 })
    expect(report.pairwiseAgreement.value).toBeCloseTo(0.378, 3)
    expect(report.fleissKappa.value).toBeCloseTo(0.2099, 4)
    expect(report.completeItems).toBe(10)
    // Subject 1 is the only unanimous one.
    expect(report.percentAgreement.value).toBeCloseTo(0.1, 10)
  })

  it('for two raters equals Scott’s π (pooled marginals), not Cohen’s κ', () => {
    // Cohen's 50-item example below: p_o = 0.7; pooled p_yes = 55/100, so P_e = 0.505 and π = 0.195/0.495.
    const table = buildRatingTable(twoRaters([['yes', 'yes', 20], ['yes', 'no', 5], ['no', 'yes', 10], ['no', 'no', 15]]))
    expect(fleissKappa(categoryCounts(table), range(50))).toBeCloseTo(0.195 / 0.495, 10)
  })

  it('uses items with at least two ratings, each with its own number of ratings', () => {
    // Item 1: a,a,a (3 raters); item 2: a,b (2 raters); item 3: b (1 rating, ignored).
    const triples: RatingTriple[] = [
      { item: '1', rater: 'x', value: 'a' },
      { item: '1', rater: 'y', value: 'a' },
      { item: '1', rater: 'z', value: 'a' },
      { item: '2', rater: 'x', value: 'a' },
      { item: '2', rater: 'y', value: 'b' },
      { item: '3', rater: 'z', value: 'b' }
    ]
    const table = buildRatingTable(triples)
    // P_1 = 1, P_2 = 0 → P̄ = 0.5; pooled over items 1-2: p_a = 4/5, p_b = 1/5 → P_e = 0.68.
    const expected = (0.5 - 0.68) / (1 - 0.68)
    const report = analyzeAgreement(table, { replicates: 0 })
    expect(report.fleissKappa.value).toBeCloseTo(expected, 12)
    expect(report.fleissKappa.n).toBe(2)
    expect(report).toMatchObject({ items: 3, ratings: 6, itemsWithOneRating: 1, itemsWithTwoOrMoreRatings: 2, completeItems: 1 })
    expect(report.percentAgreement.value).toBe(0.5)
  })

  it('is undefined when every rating falls in one category', () => {
    const table = buildRatingTable(twoRaters([['no', 'no', 10]]))
    const report = analyzeAgreement(table, { replicates: 100 })
    expect(report.fleissKappa).toEqual({ value: null, ci95: null, n: 10, droppedReplicates: 0 })
    expect(report.cohenKappa[0]!.value).toBeNull()
    expect(report.percentAgreement.value).toBe(1)
  })
})

describe("Cohen's κ", () => {
  it("reproduces Wikipedia's 50-item example: yes/yes 20, yes/no 5, no/yes 10, no/no 15 → κ = 0.4", () => {
    const table = buildRatingTable(twoRaters([['yes', 'yes', 20], ['yes', 'no', 5], ['no', 'yes', 10], ['no', 'no', 15]]))
    const report = analyzeAgreement(table, { replicates: 0 })
    const pair = report.cohenKappa[0]!
    expect(pair.raters).toEqual(['A', 'B'])
    expect(pair.value).toBeCloseTo(0.4, 12)
    expect(pair.observedAgreement).toBeCloseTo(0.7, 12)
    expect(pair.n).toBe(50)
    // Categories sort as no, yes; rows are rater A.
    expect(report.categories).toEqual(['no', 'yes'])
    expect(pair.confusion).toEqual([[15, 10], [5, 20]])
    expect(report.percentAgreement.value).toBeCloseTo(0.7, 12)
  })

  it("reproduces Wikipedia's two tables with equal p_o = 0.6 but κ = 0.1304 and 0.2593", () => {
    const t1 = buildRatingTable(twoRaters([['yes', 'yes', 45], ['yes', 'no', 15], ['no', 'yes', 25], ['no', 'no', 15]]))
    const t2 = buildRatingTable(twoRaters([['yes', 'yes', 25], ['yes', 'no', 35], ['no', 'yes', 5], ['no', 'no', 35]]))
    expect(cohenKappa(pairCodes(t1, 0, 1), 2, range(100))).toBeCloseTo(0.1304, 4)
    expect(cohenKappa(pairCodes(t2, 0, 1), 2, range(100))).toBeCloseTo(0.2593, 4)
  })

  it('uses the items both raters rated, for every pair', () => {
    const triples: RatingTriple[] = [
      ...twoRaters([['yes', 'yes', 20], ['yes', 'no', 5], ['no', 'yes', 10], ['no', 'no', 15]]),
      // C rated only the first 10 items, agreeing with A.
      ...Array.from({ length: 10 }, (_, i) => ({ item: `i${i + 1}`, rater: 'C', value: 'yes' }))
    ]
    const report = analyzeAgreement(buildRatingTable(triples), { replicates: 0 })
    expect(report.cohenKappa.map((p) => [p.raters.join('-'), p.n])).toEqual([
      ['A-B', 50],
      ['A-C', 10],
      ['B-C', 10]
    ])
    expect(report.cohenKappa[0]!.value).toBeCloseTo(0.4, 12)
    expect(report).toMatchObject({ items: 50, completeItems: 10, itemsWithTwoOrMoreRatings: 50 })
  })
})

describe('specific agreement', () => {
  it('is 2a/(2a+b+c) per category for two raters', () => {
    const table = buildRatingTable(twoRaters([['yes', 'yes', 20], ['yes', 'no', 5], ['no', 'yes', 10], ['no', 'no', 15]]))
    const c = categoryCounts(table)
    const yes = table.categories.indexOf('yes')
    const no = table.categories.indexOf('no')
    expect(specificAgreement(c, range(50), yes)).toBeCloseTo(40 / 55, 12)
    expect(specificAgreement(c, range(50), no)).toBeCloseTo(30 / 45, 12)
  })

  it('lists given categories that nobody used as undefined', () => {
    const table = buildRatingTable(twoRaters([['yes', 'yes', 3], ['no', 'no', 2]]), { categories: ['yes', 'no', 'maybe'] })
    const report = analyzeAgreement(table, { replicates: 0 })
    expect(report.specificAgreement.map((s) => [s.category, s.value])).toEqual([
      ['yes', 1],
      ['no', 1],
      ['maybe', null]
    ])
    expect(report.cohenKappa[0]!.confusion).toEqual([[3, 0, 0], [0, 2, 0], [0, 0, 0]])
  })
})

describe('bootstrap intervals', () => {
  const table = buildRatingTable(twoRaters([['yes', 'yes', 20], ['yes', 'no', 5], ['no', 'yes', 10], ['no', 'no', 15]]))

  it('are reproducible from the seed and change with it', () => {
    const a = analyzeAgreement(table, { replicates: 500, seed: 7 })
    const b = analyzeAgreement(table, { replicates: 500, seed: 7 })
    const c = analyzeAgreement(table, { replicates: 500, seed: 8 })
    expect(a).toEqual(b)
    expect(a.cohenKappa[0]!.ci95).not.toEqual(c.cohenKappa[0]!.ci95)
    expect(a.bootstrap).toEqual({ replicates: 500, seed: 7, ci: 'percentile', resampling: 'items' })
  })

  it('bracket the estimate and are plausible for n = 50 (analytic SE of κ ≈ 0.13)', () => {
    const report = analyzeAgreement(table, { replicates: 2000, seed: 1 })
    const [lo, hi] = report.cohenKappa[0]!.ci95!
    expect(lo).toBeLessThan(0.4)
    expect(hi).toBeGreaterThan(0.4)
    expect(hi - lo).toBeGreaterThan(0.3)
    expect(hi - lo).toBeLessThan(0.7)
    for (const e of [report.percentAgreement, report.fleissKappa, ...report.specificAgreement]) {
      expect(e.ci95![0]).toBeLessThanOrEqual(e.value!)
      expect(e.ci95![1]).toBeGreaterThanOrEqual(e.value!)
    }
  })

  it('drop replicates where the statistic is undefined and say how many', () => {
    // One disagreement in 20 items: some resamples contain only "no/no".
    const rare = buildRatingTable(twoRaters([['no', 'no', 19], ['yes', 'no', 1]]))
    const r = analyzeAgreement(rare, { replicates: 300, seed: 3 })
    expect(r.cohenKappa[0]!.droppedReplicates).toBeGreaterThan(0)
    expect(r.cohenKappa[0]!.droppedReplicates).toBeLessThan(300)
  })

  it('take percentiles by linear interpolation (type 7)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantile([10], 0.975)).toBe(10)
    expect(quantile([0, 10], 0.025)).toBeCloseTo(0.25, 12)
    const e = bootstrapEstimate(range(3), () => 1, { replicates: 10, seed: 1 })
    expect(e).toEqual({ value: 1, ci95: [1, 1], n: 3, droppedReplicates: 0 })
  })
})

describe('seeded randomness', () => {
  it('is the same sequence for the same seed', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const xs = Array.from({ length: 5 }, a)
    expect(Array.from({ length: 5 }, b)).toEqual(xs)
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true)
    expect(seededShuffle([1, 2, 3, 4, 5, 6, 7, 8], 5)).toEqual(seededShuffle([1, 2, 3, 4, 5, 6, 7, 8], 5))
    expect(seededShuffle([1, 2, 3, 4, 5, 6, 7, 8], 5).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })
})

describe('rating tables', () => {
  it('refuses one rater rating one item twice with different values', () => {
    expect(() =>
      buildRatingTable([
        { item: '1', rater: 'A', value: 'x' },
        { item: '1', rater: 'A', value: 'y' }
      ])
    ).toThrow(/twice/)
  })
})
