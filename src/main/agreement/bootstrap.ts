/**
 * Percentile bootstrap intervals: resample the statistic's items with
 * replacement (same count), recompute, and take the 2.5th and 97.5th
 * percentiles of the replicates (linear interpolation between order
 * statistics, R's type 7). Seeded, so a report can be reproduced exactly.
 */
import type { Estimate } from '../../shared/ratingsContract'
import { seededRandom } from './random'

export interface BootstrapOptions {
  replicates: number
  seed: number
}

/** The p-quantile of sorted values, interpolating linearly (type 7). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('quantile of nothing')
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

/**
 * `domain`: the items the statistic is computed on (indices as `stat`
 * understands them). `stat` receives the full domain once, then each resample.
 */
export function bootstrapEstimate(
  domain: ArrayLike<number>,
  stat: (items: ArrayLike<number>) => number | null,
  options: BootstrapOptions
): Estimate {
  const n = domain.length
  const value = stat(domain)
  if (value === null || n === 0 || options.replicates === 0) return { value, ci95: null, n, droppedReplicates: 0 }
  const random = seededRandom(options.seed)
  const sample = new Int32Array(n)
  const values: number[] = []
  let dropped = 0
  for (let r = 0; r < options.replicates; r++) {
    for (let t = 0; t < n; t++) sample[t] = domain[Math.floor(random() * n)]!
    const v = stat(sample)
    if (v === null || !Number.isFinite(v)) dropped++
    else values.push(v)
  }
  if (values.length === 0) return { value, ci95: null, n, droppedReplicates: dropped }
  values.sort((a, b) => a - b)
  return { value, ci95: [quantile(values, 0.025), quantile(values, 0.975)], n, droppedReplicates: dropped }
}
