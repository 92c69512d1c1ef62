import { describe, expect, it } from 'vitest'
import { agreementCsv } from '../../../../../src/renderer/src/features/ratings/agreementExport'
import type { ReviewSet, SetAgreement } from '../../../../../src/shared/ratingsContract'

const SET_ID = '00000000-0000-4000-8000-000000000001'

function setWithRaters(names: string[]): ReviewSet {
  return {
    id: SET_ID,
    name: 'Linear',
    query: {},
    fields: ['label'],
    raters: names.map((name, i) => ({ id: `00000000-0000-4000-8000-00000000001${i}`, name, role: 'rater', position: i + 1, rated: 0 })),
    blinded: true,
    revealAfterSubmit: false,
    order: 'catalog',
    seed: 1,
    createdAt: '2026-12-03T00:00:00.000Z',
    clips: 3,
    clipsWithoutMedia: 0,
    complete: 0
  } as ReviewSet
}

const NO_FIELDS: SetAgreement = { setId: SET_ID, fields: [], skippedFields: [] }

/** The rater-name cell of each missing_ratings row, as written. */
const raterCells = (csv: string): string[] =>
  csv
    .split('\r\n')
    .filter((line) => line.includes('missing_ratings'))
    .map((line) => line.split(',')[2]!)

describe('agreementCsv', () => {
  it('neutralises rater names a spreadsheet would run, by the same rule as the dataset export', () => {
    // These three passed the old renderer-only check (`^[=+\-@\t\r]`): a leading space, NBSP and fullwidth ＝.
    const cells = raterCells(agreementCsv(NO_FIELDS, setWithRaters([' =1+1', '\u00a0=1+1', '＝1+1', '@SUM(A1)', 'Dr. Rossi'])))
    expect(cells).toEqual(["' =1+1", "'\u00a0=1+1", "'＝1+1", "'@SUM(A1)", 'Dr. Rossi'])
  })

  it('leaves numbers, negative ones included, as numbers', () => {
    const csv = agreementCsv(NO_FIELDS, setWithRaters(['A']))
    const row = csv.split('\r\n').find((l) => l.includes('missing_ratings'))!
    expect(row.split(',')[4]).toBe('3')
  })
})
