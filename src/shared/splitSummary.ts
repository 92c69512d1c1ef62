/**
 * What the Splits view shows of a `classifier/split` answer, worked out from
 * the answer itself: the per-fold table with its totals row, the check that no
 * patient (or source + stem group) sits in two folds, and the entries grouped
 * by source + file-name stem because their Patient ID is empty. Pure, so it is
 * unit-tested without a browser.
 */
import type { OpResult } from './contract'

export type SplitResult = OpResult<'classifier/split'>
export type SplitLabel = keyof SplitResult['perFold'][number]['counts']
export const SPLIT_LABELS: readonly SplitLabel[] = ['covid', 'pneumonia', 'healthy', 'other']
export const SPLIT_LABEL_NAMES: Record<SplitLabel, string> = { covid: 'COVID-19', pneumonia: 'Pneumonia', healthy: 'Healthy', other: 'Other' }

export interface FoldRow {
  fold: number
  counts: Record<SplitLabel, number>
  groups: number
  total: number
}

/** One row per fold (as the API counts them) and the totals row. */
export function foldTable(split: SplitResult): { rows: FoldRow[]; totals: FoldRow } {
  const rows = split.perFold.map((f) => ({
    fold: f.fold,
    counts: { ...f.counts },
    groups: f.groups,
    total: SPLIT_LABELS.reduce((sum, l) => sum + f.counts[l], 0)
  }))
  const totals: FoldRow = { fold: -1, counts: { covid: 0, pneumonia: 0, healthy: 0, other: 0 }, groups: 0, total: 0 }
  for (const r of rows) {
    for (const l of SPLIT_LABELS) totals.counts[l] += r.counts[l]
    totals.groups += r.groups
    totals.total += r.total
  }
  return { rows, totals }
}

export interface GroupViolation {
  group: string
  folds: number[]
  filenames: string[]
}

/** Groups whose entries were assigned to more than one fold (there should be none). */
export function groupsInSeveralFolds(split: SplitResult): GroupViolation[] {
  const byGroup = new Map<string, { folds: Set<number>; filenames: string[] }>()
  for (const a of split.assignments) {
    const g = byGroup.get(a.group) ?? { folds: new Set<number>(), filenames: [] }
    g.folds.add(a.fold)
    g.filenames.push(a.filename)
    byGroup.set(a.group, g)
  }
  const out: GroupViolation[] = []
  for (const [group, g] of byGroup) {
    if (g.folds.size > 1) out.push({ group, folds: [...g.folds].sort((x, y) => x - y), filenames: g.filenames })
  }
  return out.sort((x, y) => x.group.localeCompare(y.group))
}

/**
 * Where the per-fold counts disagree with the assignments (entries and groups
 * per fold and label): a second check that the table describes the split.
 */
export function countMismatches(split: SplitResult): string[] {
  const problems: string[] = []
  const counts = new Map<number, Record<SplitLabel, number>>()
  const groups = new Map<number, Set<string>>()
  for (const a of split.assignments) {
    const c = counts.get(a.fold) ?? { covid: 0, pneumonia: 0, healthy: 0, other: 0 }
    c[a.label]++
    counts.set(a.fold, c)
    const g = groups.get(a.fold) ?? new Set<string>()
    g.add(a.group)
    groups.set(a.fold, g)
  }
  const listed = new Set(split.perFold.map((f) => f.fold))
  for (const fold of counts.keys()) if (!listed.has(fold)) problems.push(`entries are assigned to fold ${fold}, which the table does not list`)
  for (const f of split.perFold) {
    const c = counts.get(f.fold) ?? { covid: 0, pneumonia: 0, healthy: 0, other: 0 }
    for (const l of SPLIT_LABELS) {
      if (c[l] !== f.counts[l]) problems.push(`fold ${f.fold}: ${f.counts[l]} ${SPLIT_LABEL_NAMES[l]} in the table, ${c[l]} assigned`)
    }
    const g = groups.get(f.fold)?.size ?? 0
    if (g !== f.groups) problems.push(`fold ${f.fold}: ${f.groups} groups in the table, ${g} assigned`)
  }
  return problems
}

export interface SourceStemGroup {
  group: string
  filenames: string[]
  fold: number | null
}

/** The entries without a Patient ID, by the source + stem group they were put in. */
export function sourceStemGroups(split: SplitResult): SourceStemGroup[] {
  const byFilename = new Map(split.assignments.map((a) => [a.filename, a]))
  const groups = new Map<string, SourceStemGroup>()
  for (const filename of split.groupedBySourceStem) {
    const a = byFilename.get(filename)
    const key = a?.group ?? '?'
    const g = groups.get(key) ?? { group: key, filenames: [], fold: a?.fold ?? null }
    g.filenames.push(filename)
    groups.set(key, g)
  }
  return [...groups.values()].sort((x, y) => x.group.localeCompare(y.group))
}

/** "source:41/stem:cov_bolzano" → "source 41 · stem cov_bolzano"; patient groups → "patient 184"; merged groups keep their parts. */
export function groupText(group: string): string {
  return group
    .split(/\+(?=patient:|source:)/)
    .map((part) => part.replace(/^patient:/, 'patient ').replace(/^source:(.*?)\/stem:/, 'source $1 · stem '))
    .join(' + ')
}
