/**
 * Agreement statistics over a rating table. Each takes the items to use as a
 * list of item indices, which may repeat: the bootstrap passes resamples.
 *
 * Definitions (n_ij: ratings of item i in category j; n_i = Σ_j n_ij):
 * - Cohen's κ (two raters, items both rated): (p_o − p_e) / (1 − p_e),
 *   p_e from each rater's own marginal proportions.
 * - Fleiss' κ over items with n_i ≥ 2, allowing n_i to vary by item:
 *   P_i = Σ_j n_ij(n_ij − 1) / (n_i(n_i − 1)), P̄ = mean P_i,
 *   p_j = Σ_i n_ij / Σ_i n_i (pooled over those items), P_e = Σ_j p_j²,
 *   κ = (P̄ − P_e) / (1 − P_e). With the same n for every item this is Fleiss (1971).
 * - Specific agreement for category j: Σ_i n_ij(n_ij − 1) / Σ_i n_ij(n_i − 1),
 *   which for two raters is 2a / (2a + b + c).
 * A statistic is undefined (null) when its denominator is 0, e.g. κ when every
 * rating falls in one category (P_e = 1).
 */
import type { RatingTable } from './ratingTable'

export interface CategoryCounts {
  k: number
  /** counts[i][j] = n_ij */
  counts: Int32Array[]
  /** n[i] = n_i */
  n: Int32Array
}

export function categoryCounts(table: RatingTable): CategoryCounts {
  const k = table.categories.length
  const counts = table.codes.map((row) => {
    const c = new Int32Array(k)
    for (const code of row) if (code >= 0) c[code]!++
    return c
  })
  return { k, counts, n: Int32Array.from(counts, (c) => c.reduce((a, b) => a + b, 0)) }
}

/** Chance agreement this close to 1 makes κ numerically meaningless. */
const EPSILON = 1e-12

/** Calls `visit` with the counts of each listed item rated at least twice (n_i ≥ 2); returns how many there were. */
function forItemsRatedTwice(c: CategoryCounts, items: ArrayLike<number>, visit: (row: Int32Array, ni: number) => void): number {
  let used = 0
  for (let t = 0; t < items.length; t++) {
    const i = items[t]!
    const ni = c.n[i]!
    if (ni < 2) continue
    visit(c.counts[i]!, ni)
    used++
  }
  return used
}

/** P_i: the share of the item's rater pairs that agree. */
function itemAgreement(row: Int32Array, ni: number): number {
  let agreeing = 0
  for (let j = 0; j < row.length; j++) agreeing += row[j]! * (row[j]! - 1)
  return agreeing / (ni * (ni - 1))
}

export function fleissKappa(c: CategoryCounts, items: ArrayLike<number>): number | null {
  const totals = new Float64Array(c.k)
  let sumP = 0
  let ratings = 0
  const used = forItemsRatedTwice(c, items, (row, ni) => {
    sumP += itemAgreement(row, ni)
    for (let j = 0; j < c.k; j++) totals[j]! += row[j]!
    ratings += ni
  })
  if (used === 0) return null
  const pBar = sumP / used
  let pe = 0
  for (let j = 0; j < c.k; j++) pe += (totals[j]! / ratings) ** 2
  if (pe > 1 - EPSILON) return null
  return (pBar - pe) / (1 - pe)
}

/** P̄: the mean share of agreeing rater pairs per item (items with n_i ≥ 2). */
export function pairwiseAgreement(c: CategoryCounts, items: ArrayLike<number>): number | null {
  let sum = 0
  const used = forItemsRatedTwice(c, items, (row, ni) => (sum += itemAgreement(row, ni)))
  return used === 0 ? null : sum / used
}

/** Share of items (n_i ≥ 2) on which every rating is the same. */
export function unanimousAgreement(c: CategoryCounts, items: ArrayLike<number>): number | null {
  let agree = 0
  const used = forItemsRatedTwice(c, items, (row, ni) => {
    if (row.includes(ni)) agree++
  })
  return used === 0 ? null : agree / used
}

export function specificAgreement(c: CategoryCounts, items: ArrayLike<number>, category: number): number | null {
  let num = 0
  let den = 0
  forItemsRatedTwice(c, items, (row, ni) => {
    const nij = row[category]!
    num += nij * (nij - 1)
    den += nij * (ni - 1)
  })
  return den === 0 ? null : num / den
}

/** The two raters' codes on the items both rated, aligned. */
export interface PairCodes {
  a: Int32Array
  b: Int32Array
}

export function pairCodes(table: RatingTable, raterA: number, raterB: number): PairCodes {
  const a: number[] = []
  const b: number[] = []
  for (const row of table.codes) {
    if (row[raterA]! >= 0 && row[raterB]! >= 0) {
      a.push(row[raterA]!)
      b.push(row[raterB]!)
    }
  }
  return { a: Int32Array.from(a), b: Int32Array.from(b) }
}

/** `items` index into the pair's aligned codes. */
export function cohenKappa(p: PairCodes, k: number, items: ArrayLike<number>): number | null {
  const n = items.length
  if (n === 0) return null
  const rowTotals = new Float64Array(k)
  const colTotals = new Float64Array(k)
  let agree = 0
  for (let t = 0; t < n; t++) {
    const x = p.a[items[t]!]!
    const y = p.b[items[t]!]!
    rowTotals[x]!++
    colTotals[y]!++
    if (x === y) agree++
  }
  let pe = 0
  for (let j = 0; j < k; j++) pe += (rowTotals[j]! / n) * (colTotals[j]! / n)
  if (pe > 1 - EPSILON) return null
  return (agree / n - pe) / (1 - pe)
}

export function observedAgreement(p: PairCodes, items: ArrayLike<number>): number | null {
  if (items.length === 0) return null
  let agree = 0
  for (let t = 0; t < items.length; t++) if (p.a[items[t]!] === p.b[items[t]!]) agree++
  return agree / items.length
}

export function confusionMatrix(p: PairCodes, k: number): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0))
  for (let t = 0; t < p.a.length; t++) m[p.a[t]!]![p.b[t]!]!++
  return m
}

export function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i)
}
