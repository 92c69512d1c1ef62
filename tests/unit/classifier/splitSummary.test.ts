/**
 * The Splits view's reading of a classifier/split answer
 * (src/shared/splitSummary.ts): the fold table and
 * its totals, and the checks it makes itself rather than trusting the answer.
 */
import { describe, expect, it } from 'vitest'
import { stratifiedGroupKFold, type SplitItem } from '../../../src/main/classifier/splits'
import {
  countMismatches,
  foldTable,
  groupText,
  groupsInSeveralFolds,
  sourceStemGroups,
  type SplitResult
} from '../../../src/shared/splitSummary'

const ITEMS: SplitItem[] = [
  { entryId: 1, filename: 'Cov_a_vid1', mediaName: 'Cov_a_vid1.mp4', lusClass: 'covid', patientId: 'p1', sourceRef: '1' },
  { entryId: 2, filename: 'Cov_a_vid2', mediaName: 'Cov_a_vid2.mp4', lusClass: 'covid', patientId: 'p1', sourceRef: '1' },
  { entryId: 3, filename: 'Pneu_b', mediaName: 'Pneu_b.mp4', lusClass: 'pneumonia', patientId: 'p2', sourceRef: '1' },
  { entryId: 4, filename: 'Reg_c', mediaName: 'Reg_c.mp4', lusClass: 'healthy', patientId: 'p3', sourceRef: '2' },
  { entryId: 5, filename: 'Cov_siemens_1', mediaName: 'Cov_siemens_1.png', lusClass: 'covid', patientId: '', sourceRef: '42' },
  { entryId: 6, filename: 'Cov_siemens_2', mediaName: 'Cov_siemens_2.png', lusClass: 'covid', patientId: '', sourceRef: '42' },
  { entryId: 7, filename: 'Other_d', mediaName: 'Other_d.mp4', lusClass: null, patientId: 'p4', sourceRef: '3' },
  { entryId: 8, filename: 'Reg_e', mediaName: 'Reg_e.mp4', lusClass: 'healthy', patientId: 'p5', sourceRef: '2' }
]

/** What the classifier/split handler returns for these items. */
function answer(folds: number, seed: number): SplitResult {
  const s = stratifiedGroupKFold(ITEMS, folds, seed)
  return {
    folds: s.folds,
    seed: s.seed,
    assignments: s.assignments.map(({ entryId, filename, label, group, basis, fold }) => ({ entryId, filename, label, group, basis, fold })),
    perFold: s.perFold,
    groupedBySourceStem: s.groupedBySourceStem,
    files: []
  }
}

describe('split summary', () => {
  it('tabulates the folds with a totals row that adds up to every assigned entry and group', () => {
    const split = answer(3, 42)
    const { rows, totals } = foldTable(split)
    expect(rows.map((r) => r.fold)).toEqual([0, 1, 2])
    for (const r of rows) expect(r.total).toBe(r.counts.covid + r.counts.pneumonia + r.counts.healthy + r.counts.other)
    expect(totals.total).toBe(ITEMS.length)
    expect(totals.counts).toEqual({ covid: 4, pneumonia: 1, healthy: 2, other: 1 })
    expect(totals.groups).toBe(new Set(split.assignments.map((a) => a.group)).size)
    expect(groupsInSeveralFolds(split)).toEqual([])
    expect(countMismatches(split)).toEqual([])
  })

  it('finds a group put in two folds, and counts that disagree with the assignments', () => {
    const split = answer(3, 42)
    const moved = split.assignments.find((a) => a.filename === 'Cov_a_vid2')!
    const other = (moved.fold + 1) % 3
    const broken: SplitResult = { ...split, assignments: split.assignments.map((a) => (a === moved ? { ...a, fold: other } : a)) }
    const violations = groupsInSeveralFolds(broken)
    expect(violations).toEqual([{ group: 'patient:p1', folds: [moved.fold, other].sort((x, y) => x - y), filenames: ['Cov_a_vid1', 'Cov_a_vid2'] }])
    expect(countMismatches(broken).length).toBeGreaterThan(0)
  })

  it('lists the entries without a Patient ID by their source + stem group', () => {
    const split = answer(3, 42)
    const groups = sourceStemGroups(split)
    expect(groups).toHaveLength(1)
    expect(groups[0]!.group).toBe('source:42/stem:cov_siemens')
    expect(groups[0]!.filenames).toEqual(['Cov_siemens_1', 'Cov_siemens_2'])
    expect(groups[0]!.fold).toBe(split.assignments.find((a) => a.filename === 'Cov_siemens_1')!.fold)
    expect(groupText(groups[0]!.group)).toBe('source 42 · stem cov_siemens')
    expect(groupText('patient:184+patient:185')).toBe('patient 184 + patient 185')
    expect(groupText('patient:A+B')).toBe('patient A+B')
  })
})
