import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { columnIndex } from '../../../src/main/dataset/normalize'
import type { HistoryExpectation, HistoryTarget } from '../../../src/shared/contract'
import type { CsvColumn } from '../../../src/shared/vocabulary'
import { UserError } from '../../../src/main/errors'
import { exportCsv } from '../../../src/main/export/csvExport'
import { ReviewService } from '../../../src/main/review/reviewService'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

const probe = async () => ({ frames: 10, fps: 10, width: 64, height: 48, durationS: 1, codec: 'stub' })

let dir: ReturnType<typeof tempDir>
let dbFile: string
let db: CatalogDb
let repo: CatalogRepository
let review: ReviewService
let a: number
let b: number
let originalCsv: Buffer

beforeEach(async () => {
  dir = tempDir()
  const root = join(dir.path, 'ds')
  makeDataset(root, [row('clip-a', { 'B-lines': '0', Fever: 'n/A' }), row('clip-b')], {})
  originalCsv = readFileSync(join(root, 'dataset_metadata.csv'))
  dbFile = join(dir.path, 'c.db')
  db = openCatalog(dbFile)
  await importDataset(db, root, { probe })
  repo = new CatalogRepository(db)
  review = new ReviewService(db, repo)
  ;[a, b] = repo.list().map((e) => e.id) as [number, number]
})
afterEach(() => {
  db.close()
  dir.cleanup()
})

const cell = (id: number, column: CsvColumn): string => repo.get(id).cells[columnIndex(column)]!

describe('review edits are attributed and audited', () => {
  it('refuses to edit before a user name is set, changing nothing', () => {
    const before = snapshotCatalog(db)
    expect(() => review.editCells(a, { 'B-lines': '1' })).toThrow(/Set your name first/)
    expect(() => review.setKeyFrame(a, 3, 'x')).toThrow(UserError)
    expect(snapshotCatalog(db)).toBe(before)
  })

  it('records who, when, field, old and new value for each changed cell, newest first', () => {
    review.settings.setUserName('  Dr. Rossi ')
    expect(review.settings.userName()).toBe('Dr. Rossi')
    review.editCells(a, { 'B-lines': '1', Fever: '1', Label: 'COVID-19' }) // Label unchanged: not recorded
    review.editCells(a, { Age: '64' })
    const h = review.history(a)
    expect(h.map((c) => [c.field, c.oldValue, c.newValue, c.kind, c.user])).toEqual([
      ['Age', '', '64', 'edit', 'Dr. Rossi'],
      ['Fever', 'n/A', '1', 'edit', 'Dr. Rossi'],
      ['B-lines', '0', '1', 'edit', 'Dr. Rossi']
    ])
    expect(Date.parse(h[0]!.at)).not.toBeNaN()
    expect(h[1]!.actionId).toBe(h[2]!.actionId)
    expect(review.history(b)).toEqual([])
  })

  it('an edit that changes nothing is not an action', () => {
    review.settings.setUserName('r')
    review.editCells(a, { Label: 'COVID-19' })
    expect(review.history(a)).toEqual([])
    expect(review.status().undo).toBeNull()
  })
})

describe('undo and redo', () => {
  beforeEach(() => review.settings.setUserName('Dr. Rossi'))

  it('undoes a multi-cell action at once, then redoes it', () => {
    review.editCells(a, { 'B-lines': '1', Fever: '1' })
    const u = review.undo()
    expect(u.target?.entryId).toBe(a)
    expect(u.description).toBe('Undid B-lines (Absent → Present), Fever (Not applicable → Yes) of clip-a')
    expect([cell(a, 'B-lines'), cell(a, 'Fever')]).toEqual(['0', 'n/A'])
    expect(u.status).toMatchObject({ undo: null, redo: { entryId: a } })
    const r = review.redo()
    expect(r.description).toMatch(/^Redid/)
    expect([cell(a, 'B-lines'), cell(a, 'Fever')]).toEqual(['1', '1'])
    expect(review.history(a).map((c) => c.kind)).toEqual(['redo', 'redo', 'undo', 'undo', 'edit', 'edit'])
  })

  it('follows stack order across entries, and a new edit drops the redo stack', () => {
    review.editCells(a, { Age: '50' })
    review.editCells(b, { Age: '60' })
    review.editCells(a, { Age: '51' })
    review.undo() // a 51 -> 50
    review.undo() // b 60 -> ''
    expect([cell(a, 'Age'), cell(b, 'Age')]).toEqual(['50', ''])
    review.redo() // b -> 60
    expect(cell(b, 'Age')).toBe('60')
    review.editCells(b, { Age: '61' })
    expect(review.status().redo).toBeNull()
    expect(review.redo().target).toBeNull()
    review.undo()
    review.undo()
    review.undo()
    expect([cell(a, 'Age'), cell(b, 'Age')]).toEqual(['', ''])
    expect(review.undo()).toMatchObject({ target: null, description: 'Nothing to undo.' })
  })

  it('survives closing and reopening the catalog', () => {
    review.editCells(a, { 'B-lines': '1' })
    review.editCells(a, { Fever: '0' })
    review.undo()
    db.close()
    db = openCatalog(dbFile)
    repo = new CatalogRepository(db)
    review = new ReviewService(db, repo)
    expect(review.status()).toMatchObject({
      undo: { entryId: a, filename: 'clip-a', change: 'B-lines (Absent → Present)' },
      redo: { entryId: a, filename: 'clip-a', change: 'Fever (Not applicable → No)' }
    })
    review.undo()
    expect(cell(a, 'B-lines')).toBe('0')
  })

  it('undoing every edit makes the CSV export byte-identical again', () => {
    review.editCells(a, { 'B-lines': '1', Label: 'regular' })
    review.editCells(b, { Fever: '1' })
    expect(exportCsv(db).bytes.equals(originalCsv)).toBe(false)
    review.undo()
    review.undo()
    expect(exportCsv(db).bytes.equals(originalCsv)).toBe(true)
  })

  it('refuses to undo over a change made outside the history, changing nothing', () => {
    review.editCells(a, { Age: '40' })
    repo.update(a, { Age: '41' })
    const before = snapshotCatalog(db)
    expect(() => review.undo()).toThrow(/Cannot undo: Age of clip-a was changed since \(it is now "41"\)/)
    expect(snapshotCatalog(db)).toBe(before)
  })
})

describe('key frames', () => {
  beforeEach(() => review.settings.setUserName('Dr. Rossi'))

  it('are set, re-noted and removed as audited, undoable changes', () => {
    review.setKeyFrame(a, 37, 'most B-lines')
    review.setKeyFrame(a, 5, 'pleural line')
    expect(review.listKeyFrames(a).map((k) => [k.frame, k.note, k.user])).toEqual([
      [5, 'pleural line', 'Dr. Rossi'],
      [37, 'most B-lines', 'Dr. Rossi']
    ])
    review.setKeyFrame(a, 37, 'confluent B-lines')
    review.removeKeyFrame(a, 5)
    expect(review.listKeyFrames(a).map((k) => k.note)).toEqual(['confluent B-lines'])
    // Stored with the 0-based frame index (the key_frames table's), named 1-based as the player shows it.
    expect(review.history(a).map((c) => [c.field, c.fieldText, c.oldValue, c.newValue])).toEqual([
      ['key frame 5', 'Key frame 6', 'pleural line', null],
      ['key frame 37', 'Key frame 38', 'most B-lines', 'confluent B-lines'],
      ['key frame 5', 'Key frame 6', null, 'pleural line'],
      ['key frame 37', 'Key frame 38', null, 'most B-lines']
    ])
    review.undo()
    review.undo()
    expect(review.listKeyFrames(a).map((k) => [k.frame, k.note])).toEqual([
      [5, 'pleural line'],
      [37, 'most B-lines']
    ])
  })

  it('removing a frame that is not a key frame is a clear error, naming the frame as the player numbers it', () => {
    expect(() => review.removeKeyFrame(a, 9)).toThrow(/^Frame 10 is not a key frame of this clip\.$/)
  })

  it('are named as the player numbers them (1-based) in undo, redo and conflict texts', () => {
    review.setKeyFrame(a, 4, 'pleural line') // the frame the player shows as 5
    expect(review.status().undo).toMatchObject({ entryId: a, change: 'Key frame 5 (marked: "pleural line")' })
    review.setKeyFrame(a, 4, 'B-lines')
    expect(review.status().undo?.change).toBe('Key frame 5 (note "pleural line" → "B-lines")')
    review.removeKeyFrame(a, 4)
    expect(review.status().undo?.change).toBe('Key frame 5 (removed)')
    expect(review.undo().description).toBe('Undid Key frame 5 (removed) of clip-a')
    expect(review.status().redo?.change).toBe('Key frame 5 (removed)')
    // Changed outside the history: the refusal names the frame as shown too.
    db.prepare("UPDATE key_frames SET note = 'moved' WHERE entry_id = ? AND frame = 4").run(a)
    expect(() => review.undo()).toThrow(/^Cannot undo: Key frame 5 of clip-a was changed since \(it is now "moved"\)\.$/)
  })

  it('refer to existing entries only', () => {
    expect(() => review.setKeyFrame(9999, 1, 'x')).toThrow(/No catalog entry with id 9999/)
    expect(() => review.history(9999)).toThrow(UserError)
  })
})

describe('undo and redo take back only the edit the page showed', () => {
  beforeEach(() => review.settings.setUserName('Dr. Rossi'))

  /** What a page sends: the edit history/status named as next. */
  const expectation = (target: HistoryTarget | null): HistoryExpectation => {
    if (target === null) throw new Error('history/status named no edit')
    return { entryId: target.entryId, actionId: target.actionId }
  }

  const conflictOf = (step: () => unknown): UserError => {
    try {
      step()
    } catch (e) {
      if (e instanceof UserError) return e
      throw e
    }
    throw new Error('the step was not refused')
  }

  it('status names the clip and the change, in reviewers words, of the next undo and redo', () => {
    review.editCells(a, { Label: 'regular' })
    const undo = review.status().undo
    expect(undo).toEqual({ actionId: expect.any(Number), entryId: a, filename: 'clip-a', change: 'Label (COVID-19 → Healthy)' })
    expect(review.status().redo).toBeNull()
    review.undo(expectation(undo))
    expect(review.status()).toEqual({ canUndo: false, canRedo: true, undo: null, redo: undo })
  })

  it('refuses an undo the page expected on another clip, changing nothing', () => {
    review.editCells(a, { Label: 'regular' })
    const onA = expectation(review.status().undo)
    review.editCells(b, { Age: '60' })
    const before = snapshotCatalog(db)
    const refused = conflictOf(() => review.undo(onA))
    expect(refused.code).toBe('conflict')
    expect(refused.message).toBe(
      'Nothing was undone: the next change to undo is on clip-b (Age (blank → "60")), not on the clip this page expected. Show that clip first.'
    )
    expect(snapshotCatalog(db)).toBe(before)
    // Shown first, then undone: b's edit, then a's.
    expect(review.undo(expectation(review.status().undo)).target).toMatchObject({ entryId: b })
    expect(review.undo(onA).description).toBe('Undid Label (COVID-19 → Healthy) of clip-a')
    expect([cell(a, 'Label'), cell(b, 'Age')]).toEqual(['COVID-19', ''])
  })

  it('refuses an undo of the same clip when a newer edit came from elsewhere', () => {
    review.editCells(a, { Age: '50' })
    const seen = expectation(review.status().undo)
    review.editCells(a, { Age: '51' }) // another window
    const before = snapshotCatalog(db)
    expect(conflictOf(() => review.undo(seen)).message).toBe(
      'Nothing was undone: the next change to undo on clip-a is now Age ("50" → "51"), which this page had not shown (it was made elsewhere, perhaps in another window). Look at the clip again before you undo.'
    )
    expect(snapshotCatalog(db)).toBe(before)
  })

  it('refuses an undo of what was undone already', () => {
    review.editCells(a, { Age: '50' })
    const seen = expectation(review.status().undo)
    review.undo(seen)
    expect(conflictOf(() => review.undo(seen)).message).toMatch(/^Nothing was undone: there is nothing left to undo/)
    expect(cell(a, 'Age')).toBe('')
  })

  it('refuses a redo the page expected on another clip', () => {
    review.editCells(a, { Age: '50' })
    review.editCells(b, { Age: '60' })
    review.undo()
    const onB = expectation(review.status().redo)
    review.undo()
    const before = snapshotCatalog(db)
    expect(conflictOf(() => review.redo(onB)).message).toMatch(/^Nothing was redone: the next change to redo is on clip-a \(Age \(blank → "50"\)\)/)
    expect(snapshotCatalog(db)).toBe(before)
    review.redo(expectation(review.status().redo))
    expect(review.redo(onB).description).toBe('Redid Age (blank → "60") of clip-b')
    expect([cell(a, 'Age'), cell(b, 'Age')]).toEqual(['50', '60'])
  })

  it('three undos on one clip, each expecting what status named, take back three edits', () => {
    review.editCells(a, { 'B-lines': '1' })
    review.editCells(a, { Fever: '1' })
    review.editCells(a, { Age: '70' })
    for (let i = 0; i < 3; i++) review.undo(expectation(review.status().undo))
    expect([cell(a, 'B-lines'), cell(a, 'Fever'), cell(a, 'Age')]).toEqual(['0', 'n/A', ''])
    expect(review.status().undo).toBeNull()
  })
})
