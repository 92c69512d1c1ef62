import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { columnIndex } from '../../../src/main/dataset/normalize'
import type { Rater, RatingValues, ReviewSet } from '../../../src/shared/ratingsContract'
import type { CsvColumn } from '../../../src/shared/vocabulary'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { tempDir } from '../../helpers/paths'
import { error, openEnv, value, writeDataset, type Env } from './fixture'

let dir: ReturnType<typeof tempDir>
let env: Env
let a: Rater
let b: Rater
let c: Rater
let judge: Rater
let set: ReviewSet

const cell = (entryId: number, column: CsvColumn): string => env.repository.get(entryId).cells[columnIndex(column)]!
const entryOf = (clipNo: number): number => env.service.sets.itemByClipNo(set.id, clipNo)!.entryId

async function rate(rater: Rater, clipNo: number, values: RatingValues, comment = ''): Promise<void> {
  value(await env.call('rater/submit', { setId: set.id, raterId: rater.id, clipNo, values, confidence: 3, comment }))
}

beforeEach(async () => {
  dir = tempDir('lus-adjudicate-')
  writeDataset(join(dir.path, 'ds'))
  env = await openEnv(dir.path, join(dir.path, 'ds'))
  a = value(await env.call('raters/create', { name: 'Dr A' }))
  b = value(await env.call('raters/create', { name: 'Dr B' }))
  c = value(await env.call('raters/create', { name: 'Dr C' }))
  judge = value(await env.call('raters/create', { name: 'Prof J', role: 'adjudicator' }))
  // Unblinded and in catalog order so that clip n is row n (Cov_Atlas_1, Pneu_Liver_2, Reg_Normal_3, ...).
  set = value(
    await env.call('reviewSets/create', {
      name: 'adjudicate me',
      query: { labels: ['covid', 'bacterial_pneumonia', 'healthy'] },
      fields: ['label', 'B-lines', 'Fever', 'comments'],
      raterIds: [a.id, b.id, c.id],
      blinded: false,
      order: 'catalog',
      seed: 1
    })
  )
  // Clip 1 (Cov_Atlas_1): label disagreement; clip 2 (Pneu_Liver_2): all agree; clip 3 (Reg_Normal_3): B-lines disagreement, C missing.
  await rate(a, 1, { label: 'covid', 'B-lines': 'present', Fever: 'yes', comments: 'A says covid' }, 'A free')
  await rate(b, 1, { label: 'viral_pneumonia', 'B-lines': 'present', Fever: 'yes', comments: 'B unsure' }, 'B free')
  await rate(c, 1, { label: 'covid', 'B-lines': 'present', Fever: 'yes', comments: '' }, 'C free')
  for (const r of [a, b, c]) await rate(r, 2, { label: 'healthy', 'B-lines': 'absent', Fever: 'no', comments: `${r.name} ok` })
  await rate(a, 3, { label: 'healthy', 'B-lines': 'present', Fever: 'n/A', comments: '' })
  await rate(b, 3, { label: 'healthy', 'B-lines': 'absent', Fever: 'n/A', comments: '' })
})
afterEach(() => {
  env.close()
  dir.cleanup()
})

describe('adjudication', () => {
  it('lists the disagreeing clips with every rating side by side, in rater order, and the reference', async () => {
    const list = value(await env.call('adjudication/list', { setId: set.id }))
    expect(list.items.map((i) => [i.clipNo, i.filename])).toEqual([
      [1, 'Cov_Atlas_1'],
      [3, 'Reg_Normal_3']
    ])
    const first = list.items[0]!
    expect(first.ratings.map((r) => [r.rater, r.values.label, r.comment])).toEqual([
      ['Dr A', 'covid', 'A free'],
      ['Dr B', 'viral_pneumonia', 'B free'],
      ['Dr C', 'covid', 'C free']
    ])
    expect(first.reference).toMatchObject({ label: 'covid', 'B-lines': 'present', Fever: 'yes' })
    expect(first.fields.map((f) => [f.field, f.status])).toEqual([
      ['label', 'disagree'],
      ['B-lines', 'agree'],
      ['Fever', 'agree'],
      ['comments', 'text']
    ])
    expect(list.items[1]!.fields.find((f) => f.field === 'B-lines')!.status).toBe('disagree')
    const all = value(await env.call('adjudication/list', { setId: set.id, onlyDisagreements: false }))
    expect(all.items.map((i) => i.clipNo)).toEqual([1, 2, 3, 4, 5, 6])
    expect(all.items[3]!.fields[0]!.status).toBe('none')
  })

  it('sets a consensus per field with a reason, by an adjudicator only, with valid values', async () => {
    const entry = entryOf(1)
    const set1 = (extra: Record<string, unknown>) =>
      env.call('adjudication/setConsensus', { setId: set.id, entryId: entry, adjudicatorId: judge.id, field: 'label', value: 'covid', reason: 'typical B-lines', ...extra })
    expect(error(await set1({ adjudicatorId: a.id }), 'conflict').message).toMatch(/only an adjudicator or coordinator/)
    expect(error(await set1({ value: 'flu' }), 'bad_input').message).toMatch(/not a valid value for label/)
    expect(error(await set1({ field: 'Cough' }), 'bad_input').message).toMatch(/does not rate Cough/)
    expect(error(await set1({ field: 'comments', value: 'x' }), 'bad_input').message).toMatch(/not adjudicated/)
    expect(error(await set1({ reason: '  ' }), 'invalid_request'))
    expect(error(await set1({ entryId: entryOf(1) + 1000 }), 'not_found'))
    const item = value(await set1({}))
    expect(item.fields[0]!.consensus).toMatchObject({ value: 'covid', reason: 'typical B-lines', adjudicator: 'Prof J', appliedAt: null })
  })

  it('writes consensus into the catalog through audited edits, in the dataset’s spellings', async () => {
    const e1 = entryOf(1)
    const e3 = entryOf(3)
    value(await env.call('adjudication/setConsensus', { setId: set.id, entryId: e1, adjudicatorId: judge.id, field: 'label', value: 'viral_pneumonia', reason: 'panel' }))
    value(await env.call('adjudication/setConsensus', { setId: set.id, entryId: e3, adjudicatorId: judge.id, field: 'B-lines', value: 'absent', reason: 'frame 12' }))
    const report = value(await env.call('adjudication/applyConsensus', { setId: set.id }))
    expect(report).toEqual({ entriesChanged: 2, cellsWritten: 2, skipped: [] })
    expect(cell(e1, 'Label')).toBe('Viral pneumonia')
    expect(cell(e3, 'B-lines')).toBe('0')
    // Audited: who, old and new value; undoable like any edit.
    expect(env.review.history(e1).map((h) => [h.field, h.oldValue, h.newValue, h.user])).toEqual([['Label', 'COVID-19', 'Viral pneumonia', 'Coordinator']])
    const applied = value(await env.call('adjudication/list', { setId: set.id }))
    expect(applied.items[0]!.fields[0]!.consensus!.appliedAt).not.toBeNull()
    // Applying again changes nothing.
    expect(value(await env.call('adjudication/applyConsensus', { setId: set.id })).cellsWritten).toBe(0)
  })

  it('with includeUnanimous also writes fields every rater agreed on, and reports what it left out', async () => {
    const report = value(await env.call('adjudication/applyConsensus', { setId: set.id, includeUnanimous: true }))
    const e2 = entryOf(2)
    // Clip 2: everyone said healthy, B-lines absent, no fever.
    expect(cell(e2, 'Label')).toBe('regular')
    expect(cell(e2, 'B-lines')).toBe('0')
    expect(cell(e2, 'Fever')).toBe('0')
    expect(report.skipped).toEqual([
      { clipNo: 1, field: 'label', reason: 'the raters disagree and no consensus was set' },
      { clipNo: 3, field: 'label', reason: 'not every rater rated this clip' },
      { clipNo: 3, field: 'B-lines', reason: 'the raters disagree and no consensus was set' },
      { clipNo: 3, field: 'Fever', reason: 'not every rater rated this clip' }
    ])
    // Clip 1's B-lines and Fever were unanimous and already so in the CSV: nothing changed there.
    expect(env.review.history(entryOf(1))).toEqual([])
  })

  it('changes nothing when the catalog cannot be written (no user name for the audit trail)', async () => {
    value(await env.call('adjudication/setConsensus', { setId: set.id, entryId: entryOf(1), adjudicatorId: judge.id, field: 'label', value: 'other', reason: 'r' }))
    env.db.prepare("DELETE FROM settings WHERE key = 'user.name'").run()
    const before = snapshotCatalog(env.db)
    expect(error(await env.call('adjudication/applyConsensus', { setId: set.id, includeUnanimous: true }), 'conflict').message).toMatch(/Set your name first/)
    expect(snapshotCatalog(env.db)).toBe(before)
  })

  it('exports raters’ comments into MD1–MD3 by rater order, leaving other text unless told to overwrite', async () => {
    const e1 = entryOf(1)
    const e2 = entryOf(2)
    // Clip 1 has empty MD1 and MD2 but MD3 text; clip 2 has text in all three.
    const report = value(await env.call('adjudication/exportComments', { setId: set.id }))
    expect(cell(e1, 'Comments first medical doctor (MD1)')).toBe('A says covid')
    expect(cell(e1, 'MD2')).toBe('B unsure')
    expect(cell(e1, 'MD3')).toBe('MD3-SECRET-1') // C's comment was empty
    expect(cell(e2, 'Comments first medical doctor (MD1)')).toBe('MD1-SECRET-2')
    expect(report.skipped).toEqual([
      { clipNo: 2, field: 'Comments first medical doctor (MD1)', reason: 'the cell already holds other text (overwrite replaces it)' },
      { clipNo: 2, field: 'MD2', reason: 'the cell already holds other text (overwrite replaces it)' },
      { clipNo: 2, field: 'MD3', reason: 'the cell already holds other text (overwrite replaces it)' }
    ])
    expect(report.cellsWritten).toBe(2)
    const over = value(await env.call('adjudication/exportComments', { setId: set.id, overwrite: true }))
    expect(over.cellsWritten).toBe(3)
    expect(cell(e2, 'MD3')).toBe('Dr C ok')
    expect(env.review.history(e2).map((h) => [h.field, h.oldValue, h.newValue])).toContainEqual(['MD2', 'MD2-SECRET-2', 'Dr B ok'])
    // The free comments instead.
    value(await env.call('adjudication/exportComments', { setId: set.id, from: 'comment', overwrite: true }))
    expect(cell(e1, 'MD3')).toBe('C free')
  })

  it('reports raters beyond the third, who have no comment column', async () => {
    const d = value(await env.call('raters/create', { name: 'Dr D' }))
    const four = value(
      await env.call('reviewSets/create', { name: 'four', query: {}, fields: ['label'], raterIds: [a.id, b.id, c.id, d.id], blinded: false, seed: 2 })
    )
    expect(error(await env.call('adjudication/exportComments', { setId: four.id }), 'bad_input').message).toMatch(/does not rate the comments field/)
    const r = value(await env.call('adjudication/exportComments', { setId: four.id, from: 'comment' }))
    expect(r.skipped).toEqual([{ clipNo: null, field: 'Dr D', reason: 'only the first three raters have comment columns (MD1–MD3)' }])
  })
})
