import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { columnIndex } from '../../../src/main/dataset/normalize'
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
    expect(review.status().canUndo).toBe(false)
  })
})

describe('undo and redo', () => {
  beforeEach(() => review.settings.setUserName('Dr. Rossi'))

  it('undoes a multi-cell action at once, then redoes it', () => {
    review.editCells(a, { 'B-lines': '1', Fever: '1' })
    const u = review.undo()
    expect(u.entryId).toBe(a)
    expect(u.description).toMatch(/^Undid B-lines, Fever of clip-a/)
    expect([cell(a, 'B-lines'), cell(a, 'Fever')]).toEqual(['0', 'n/A'])
    expect(u.status).toMatchObject({ canUndo: false, canRedo: true })
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
    expect(review.status().canRedo).toBe(false)
    expect(review.redo().entryId).toBeNull()
    review.undo()
    review.undo()
    review.undo()
    expect([cell(a, 'Age'), cell(b, 'Age')]).toEqual(['', ''])
    expect(review.undo()).toMatchObject({ entryId: null, description: 'Nothing to undo.' })
  })

  it('survives closing and reopening the catalog', () => {
    review.editCells(a, { 'B-lines': '1' })
    review.editCells(a, { Fever: '0' })
    review.undo()
    db.close()
    db = openCatalog(dbFile)
    repo = new CatalogRepository(db)
    review = new ReviewService(db, repo)
    expect(review.status()).toMatchObject({ canUndo: true, canRedo: true })
    expect(review.status().redoLabel).toBe('Fever of clip-a')
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
    expect(review.history(a).map((c) => [c.field, c.oldValue, c.newValue])).toEqual([
      ['key frame 5', 'pleural line', null],
      ['key frame 37', 'most B-lines', 'confluent B-lines'],
      ['key frame 5', null, 'pleural line'],
      ['key frame 37', null, 'most B-lines']
    ])
    review.undo()
    review.undo()
    expect(review.listKeyFrames(a).map((k) => [k.frame, k.note])).toEqual([
      [5, 'pleural line'],
      [37, 'most B-lines']
    ])
  })

  it('removing a frame that is not a key frame is a clear error', () => {
    expect(() => review.removeKeyFrame(a, 9)).toThrow(/Frame 9 is not a key frame/)
  })

  it('refer to existing entries only', () => {
    expect(() => review.setKeyFrame(9999, 1, 'x')).toThrow(/No catalog entry with id 9999/)
    expect(() => review.history(9999)).toThrow(UserError)
  })
})
