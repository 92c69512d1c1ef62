import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { lusClassForLabel } from '../../../src/shared/classifierPreprocess'
import { normalizeLabel } from '../../../src/main/dataset/normalize'
import { assertNoGroupInTwoFolds, fileStem, groupOf, stratifiedGroupKFold, type SplitItem } from '../../../src/main/classifier/splits'
import { crossValJson, foldsCsv } from '../../../src/main/classifier/splitFiles'
import { SHARED_CSV } from '../../helpers/paths'

/** Every record of the real dataset CSV as a split item (the split itself needs no media). */
function realItems(): SplitItem[] {
  const rows = parse(readFileSync(SHARED_CSV), { columns: true, bom: true }) as Record<string, string>[]
  return rows.map((r, i) => ({
    entryId: i + 1,
    filename: r['Filename']!,
    mediaName: r['Filename']!,
    lusClass: lusClassForLabel(normalizeLabel(r['Label']!).label),
    patientId: (r['Patient ID / Name'] ?? '').trim(),
    sourceRef: (r['Source ID'] ?? '').trim()
  }))
}

describe('patient-grouped stratified folds', () => {
  const items = realItems()

  it('on the real CSV, no patient is in two folds (multi-clip patients included)', () => {
    const split = stratifiedGroupKFold(items, 5, 42)
    expect(split.assignments).toHaveLength(375)
    const foldsOf = new Map<string, Set<number>>()
    for (const a of split.assignments) foldsOf.set(a.group, (foldsOf.get(a.group) ?? new Set()).add(a.fold))
    const multiClip = [...foldsOf.keys()].filter((g) => split.assignments.filter((a) => a.group === g).length > 1)
    expect(multiClip.length).toBeGreaterThan(20)
    for (const [group, folds] of foldsOf) expect(folds.size, group).toBe(1)
    // Patient "137" has several clips: all of them share one fold.
    const p137 = split.assignments.filter((a) => a.group === 'patient:137')
    expect(p137.length).toBeGreaterThan(1)
    expect(new Set(p137.map((a) => a.fold)).size).toBe(1)
  })

  it('groups entries without a Patient ID by source and file-name stem, and says which', () => {
    const split = stratifiedGroupKFold(items, 5, 42)
    const noId = items.filter((i) => i.patientId === '')
    expect(noId.length).toBe(68)
    expect(split.groupedBySourceStem.sort()).toEqual(noId.map((i) => i.filename).sort())
    for (const a of split.assignments.filter((x) => x.basis === 'source+stem')) expect(a.group).toMatch(/^source:[^/]+\/stem:/)
  })

  it('stratifies: every fold holds every class in about its overall share', () => {
    const split = stratifiedGroupKFold(items, 5, 42)
    for (const label of ['covid', 'pneumonia', 'healthy'] as const) {
      const total = split.perFold.reduce((n, f) => n + f.counts[label], 0)
      for (const f of split.perFold) expect(f.counts[label], `${label} in fold ${f.fold}`).toBeGreaterThan(total / 5 / 2.5)
    }
  })

  it('is reproducible for a seed, and another seed gives other folds', () => {
    const a = stratifiedGroupKFold(items, 5, 7)
    const b = stratifiedGroupKFold([...items].reverse(), 5, 7)
    const foldById = (s: typeof a): number[] => [...s.assignments].sort((x, y) => x.entryId - y.entryId).map((x) => x.fold)
    expect(foldById(b)).toEqual(foldById(a))
    expect(foldsCsv(stratifiedGroupKFold(items, 5, 7))).toBe(foldsCsv(a))
    expect(foldById(stratifiedGroupKFold(items, 5, 8))).not.toEqual(foldById(a))
  })

  it('keeps linked (near-duplicate) entries together by merging their groups', () => {
    const x = items.find((i) => i.patientId === '137')!
    const y = items.find((i) => i.patientId !== '' && i.patientId !== '137')!
    const linked = stratifiedGroupKFold(items, 5, 42, [[x.entryId, y.entryId]])
    const ax = linked.assignments.find((a) => a.entryId === x.entryId)!
    const ay = linked.assignments.find((a) => a.entryId === y.entryId)!
    expect(ax.fold).toBe(ay.fold)
    expect(ax.group).toBe(ay.group)
    expect(ax.group).toContain('+')
  })

  it('assertNoGroupInTwoFolds names the offending group', () => {
    expect(() =>
      assertNoGroupInTwoFolds([
        { group: 'patient:1', fold: 0, filename: 'a' },
        { group: 'patient:1', fold: 2, filename: 'b' }
      ])
    ).toThrow(/patient:1 is in fold 0 \(a\) and fold 2 \(b\)/)
  })

  it('refuses more folds than groups', () => {
    expect(() => stratifiedGroupKFold(items.slice(0, 3), 5, 1)).toThrow(/groups cannot fill 5 folds/)
  })

  it('writes folds.csv (one row per entry) and cross_val.json in the dataset scripts’ layout', () => {
    const split = stratifiedGroupKFold(items, 5, 42)
    const csv = parse(foldsCsv(split), { columns: true }) as Record<string, string>[]
    expect(Object.keys(csv[0]!)).toEqual(['Filename', 'fold', 'label', 'group'])
    expect(csv).toHaveLength(375)
    const cv = crossValJson(split)
    expect(Object.keys(cv)).toEqual(['0', '1', '2', '3', '4'])
    const modelled = split.assignments.filter((a) => a.label !== 'other').length
    for (const f of Object.values(cv)) {
      expect(f.test[0].length + f.train[0].length).toBe(modelled)
      expect(new Set([...f.test[1], ...f.train[1]])).toEqual(new Set(['cov', 'pne', 'reg']))
      // No clip is both trained and tested on in one fold.
      expect(f.test[0].filter((n) => f.train[0].includes(n))).toEqual([])
    }
  })
})

describe('file-name stems for grouping without a patient', () => {
  it.each([
    ['Pneu_northumbria_0409_set2_vid3.avi', 'pneu_northumbria_0409_set2'],
    ['Cov_convex_volpecelli_sonographic_v4.mov', 'cov_convex_volpecelli_sonographic'],
    ['Cov-Atlas-Day+2', 'cov-atlas-day'],
    ['Cov-Atlas+(44).gif', 'cov-atlas'],
    ['Reg_liftl_case3_clip2.mp4', 'reg_liftl_case3'],
    ['Reg_pat1Image_132943.mpeg', 'reg_pat1'],
    ['clip', 'clip']
  ])('%s → %s', (name, stem) => expect(fileStem(name)).toBe(stem))

  it('groupOf prefers the patient', () => {
    const base = { entryId: 1, filename: 'a_vid1', mediaName: 'a_vid1.mp4', lusClass: null, sourceRef: '9' }
    expect(groupOf({ ...base, patientId: '12' })).toEqual({ group: 'patient:12', basis: 'patient' })
    expect(groupOf({ ...base, patientId: '' })).toEqual({ group: 'source:9/stem:a', basis: 'source+stem' })
  })
})
