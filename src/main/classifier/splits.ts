/**
 * Cross-validation folds stratified by label and grouped by patient: every
 * clip of a patient lands in the same fold, so a model is never tested on a
 * patient it was trained on (clips of one patient look alike far more than
 * clips of one disease do, and mixing them inflates accuracy).
 *
 * Pure: the same items and seed give the same folds on every machine.
 */
import { LUS_CLASSES, type LusClass } from '../../shared/classifierPreprocess'
import { seededShuffle } from '../agreement/random'

export type SplitLabel = LusClass | 'other'
export const SPLIT_LABELS: readonly SplitLabel[] = [...LUS_CLASSES, 'other']

export interface SplitItem {
  entryId: number
  filename: string
  mediaName: string
  lusClass: LusClass | null
  patientId: string
  sourceRef: string
}

export type GroupBasis = 'patient' | 'source+stem'

export interface FoldAssignment {
  entryId: number
  filename: string
  mediaName: string
  label: SplitLabel
  group: string
  basis: GroupBasis
  fold: number
}

export interface SplitResult {
  folds: number
  seed: number
  assignments: FoldAssignment[]
  perFold: { fold: number; counts: Record<SplitLabel, number>; groups: number }[]
  /** Entries without a Patient ID, grouped by source and file-name stem instead. */
  groupedBySourceStem: string[]
}

/**
 * A file name without extension and without its trailing clip number
 * ("…_vid3", "…-clip12", "…v4", "…(44)"), so numbered clips of one recording
 * session fall into one group when no patient is named. Coarse on purpose:
 * a group that is too big costs balance; one that is too small leaks.
 */
export function fileStem(name: string): string {
  const base = name.replace(/\.[A-Za-z0-9]{2,4}$/, '')
  // One number only: stripping again would fold "pat1Image_132943" into "pat", merging patients.
  const s = base.replace(/[\s_\-+.()]*(?:vid|video|clip|img|image|mov|file|fig|v|part|case)?[\s_\-+.()]*\d+[A-Za-z]?[)\s]*$/i, '')
  return (s === '' ? base : s).toLowerCase()
}

export function groupOf(item: SplitItem): { group: string; basis: GroupBasis } {
  if (item.patientId !== '') return { group: `patient:${item.patientId}`, basis: 'patient' }
  return { group: `source:${item.sourceRef || '?'}/stem:${fileStem(item.mediaName || item.filename)}`, basis: 'source+stem' }
}

function emptyCounts(): Record<SplitLabel, number> {
  return { covid: 0, pneumonia: 0, healthy: 0, other: 0 }
}

/**
 * Stratified group k-fold (the greedy scheme of scikit-learn's
 * StratifiedGroupKFold): groups in seeded random order, then the ones with
 * the most lopsided label mix first; each goes to the fold where the spread
 * of per-label shares across folds grows least, ties to the smaller fold.
 */
export function stratifiedGroupKFold(
  items: readonly SplitItem[],
  folds: number,
  seed: number,
  /** Entry pairs that must share a fold (near-duplicates found by the leakage check): their groups are merged. */
  links: readonly (readonly [number, number])[] = []
): SplitResult {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer ≥ 2 (got ${folds})`)
  const groupName = mergedGroups(items, links)
  const groups = new Map<string, { basis: GroupBasis; counts: Record<SplitLabel, number>; items: SplitItem[] }>()
  for (const item of items) {
    const { basis } = groupOf(item)
    const group = groupName.get(item.entryId)!
    const g = groups.get(group) ?? { basis, counts: emptyCounts(), items: [] }
    g.counts[item.lusClass ?? 'other']++
    g.items.push(item)
    groups.set(group, g)
  }
  if (groups.size < folds) throw new Error(`${groups.size} patient groups cannot fill ${folds} folds`)

  const totals = emptyCounts()
  for (const item of items) totals[item.lusClass ?? 'other']++
  const labels = SPLIT_LABELS.filter((l) => totals[l] > 0)

  // Sorted keys first, so the shuffle's input does not depend on catalog order.
  const keys = seededShuffle([...groups.keys()].sort(), seed)
  const spread = (key: string): number => std(labels.map((l) => groups.get(key)!.counts[l] / totals[l]))
  const order = keys.map((k, i) => ({ k, i, s: spread(k) })).sort((a, b) => b.s - a.s || a.i - b.i)

  const foldCounts = Array.from({ length: folds }, emptyCounts)
  const foldSizes = new Array<number>(folds).fill(0)
  const groupFold = new Map<string, number>()
  for (const { k } of order) {
    const g = groups.get(k)!
    let best = -1
    let bestCost = Infinity
    for (let f = 0; f < folds; f++) {
      const cost = mean(labels.map((l) => std(foldCounts.map((c, i) => (c[l] + (i === f ? g.counts[l] : 0)) / totals[l]))))
      if (cost < bestCost - 1e-12 || (Math.abs(cost - bestCost) <= 1e-12 && foldSizes[f]! < foldSizes[best]!)) {
        best = f
        bestCost = cost
      }
    }
    groupFold.set(k, best)
    for (const l of SPLIT_LABELS) foldCounts[best]![l] += g.counts[l]
    foldSizes[best]! += g.items.length
  }

  const assignments: FoldAssignment[] = items.map((item) => {
    const { basis } = groupOf(item)
    const group = groupName.get(item.entryId)!
    return {
      entryId: item.entryId,
      filename: item.filename,
      mediaName: item.mediaName,
      label: item.lusClass ?? 'other',
      group,
      basis,
      fold: groupFold.get(group)!
    }
  })
  assertNoGroupInTwoFolds(assignments)
  return {
    folds,
    seed,
    assignments,
    perFold: foldCounts.map((counts, fold) => ({
      fold,
      counts,
      groups: [...groupFold.values()].filter((f) => f === fold).length
    })),
    groupedBySourceStem: assignments.filter((a) => a.basis === 'source+stem').map((a) => a.filename)
  }
}

/** Each entry's group name; groups joined by a link become one, named by their members joined with '+'. */
function mergedGroups(items: readonly SplitItem[], links: readonly (readonly [number, number])[]): Map<number, string> {
  const parent = new Map<string, string>()
  const find = (g: string): string => {
    let root = g
    while (parent.get(root) !== root) root = parent.get(root)!
    parent.set(g, root)
    return root
  }
  const own = new Map<number, string>()
  for (const item of items) {
    const g = groupOf(item).group
    own.set(item.entryId, g)
    parent.set(g, g)
  }
  for (const [a, b] of links) {
    const ga = own.get(a)
    const gb = own.get(b)
    if (ga === undefined || gb === undefined) continue
    const ra = find(ga)
    const rb = find(gb)
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb)
  }
  const members = new Map<string, Set<string>>()
  for (const g of own.values()) {
    const r = find(g)
    const set = members.get(r) ?? new Set<string>()
    set.add(g)
    members.set(r, set)
  }
  const name = new Map<string, string>([...members].map(([r, set]) => [r, [...set].sort().join('+')]))
  return new Map([...own].map(([id, g]) => [id, name.get(find(g))!]))
}

/** Throws when any group (patient) has clips in two folds: the property every evaluation rests on. */
export function assertNoGroupInTwoFolds(assignments: readonly Pick<FoldAssignment, 'group' | 'fold' | 'filename'>[]): void {
  const seen = new Map<string, { fold: number; filename: string }>()
  for (const a of assignments) {
    const before = seen.get(a.group)
    if (before && before.fold !== a.fold)
      throw new Error(`${a.group} is in fold ${before.fold} (${before.filename}) and fold ${a.fold} (${a.filename})`)
    seen.set(a.group, { fold: a.fold, filename: a.filename })
  }
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}

function std(xs: readonly number[]): number {
  const m = mean(xs)
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)))
}
