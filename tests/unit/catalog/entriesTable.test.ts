import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deriveColumns } from '../../../src/main/catalog/entryColumns'
import { addSource, entryRow, mediaRow, openTables, type TableFixture } from './tableFixtures'

let t: TableFixture
let sourceId: number
beforeEach(() => {
  t = openTables()
  sourceId = addSource(t.tables)
})
afterEach(() => t.close())

describe('the entries table', () => {
  it('inserts entries and reads them back as rows, summaries and single columns', () => {
    const a = t.tables.entries.insert(entryRow(sourceId, 'a', { row_no: 1, line: 2, sort_key: 1, raw_record: 'raw', edited: 0 }))
    const b = t.tables.entries.insert(entryRow(sourceId, 'b', { sort_key: 2 }))
    expect(t.tables.entries.get(a)).toMatchObject({ id: a, filename: 'a', row_no: 1, raw_record: 'raw', edited: 0, media_status: 'missing' })
    expect(t.tables.entries.summaries().map((e) => e.filename)).toEqual(['a', 'b'])
    expect(t.tables.entries.filename(b)).toBe('b')
    expect(t.tables.entries.rowNo(a)).toBe(1)
    expect(t.tables.entries.rowNo(b)).toBeNull()
    expect(t.tables.entries.rowNo(999)).toBeUndefined()
    expect(JSON.parse(t.tables.entries.cellsJson(a)!)).toHaveLength(44)
    expect(t.tables.entries.withRecordDelimiter(a)?.record_delimiter).toBe('\r\n')
    expect(t.tables.entries.count()).toBe(2)
    expect(t.tables.entries.countOfSource(sourceId)).toBe(2)
    expect(t.tables.entries.maxSortKey(sourceId)).toBe(2)
    expect(t.tables.entries.maxSortKey(sourceId + 1)).toBe(0)
    expect(t.tables.entries.hasFilename(sourceId, 'b')).toBe(true)
    expect(t.tables.entries.hasFilename(sourceId, 'c')).toBe(false)
    expect(t.tables.entries.byFilenameAndRow('a', 1).map((e) => e.id)).toEqual([a])
    expect(t.tables.entries.byFilenameAndRow('b', null).map((e) => e.id)).toEqual([b])
    expect(t.tables.entries.ofSource(sourceId).map((e) => e.filename)).toEqual(['a', 'b'])
    expect(t.tables.entries.normalizedFields().map((e) => e.id)).toEqual([a, b])
  })

  it('links entries to media and counts the links of a source', () => {
    const mediaId = t.tables.media.insert(mediaRow(sourceId, 'pocus_videos/other.mp4'))
    const a = t.tables.entries.insert(entryRow(sourceId, 'a'))
    t.tables.entries.insert(entryRow(sourceId, 'b', { sort_key: 2 }))
    expect(t.tables.entries.link(a, mediaId, 'linked')).toBe(true)
    expect(t.tables.entries.link(999, mediaId, 'linked')).toBe(false)
    expect(t.tables.entries.linkCounts(sourceId)).toEqual({ linked: 1, missing: 1 })
    expect(t.tables.entries.linkedCountOfSource(sourceId)).toBe(1)
    expect(t.tables.entries.linkedMediaIds()).toEqual([mediaId])
    expect(t.tables.entries.linkStates(sourceId)).toEqual([
      { id: a, filename: 'a', linked_stem: 'other' },
      { id: a + 1, filename: 'b', linked_stem: null }
    ])
    // Linked by hand to a file of another name.
    expect(t.tables.entries.relinkedRelPaths(sourceId)).toEqual(['pocus_videos/other.mp4'])
  })

  it('rewrites cells with their derived columns', () => {
    const a = t.tables.entries.insert(entryRow(sourceId, 'a'))
    const cells = JSON.parse(t.tables.entries.cellsJson(a)!) as string[]
    cells[0] = 'changed'
    t.tables.entries.updateCells(a, cells, false, deriveColumns(cells).columns, 'later')
    expect(t.tables.entries.get(a)).toMatchObject({ edited: 0, updated_at: 'later', cells: JSON.stringify(cells) })
  })

  it('exports rows as arrays, leaving out the cells of a record written verbatim', () => {
    const a = t.tables.entries.insert(entryRow(sourceId, 'a', { row_no: 1, raw_record: 'raw', edited: 0 }))
    const b = t.tables.entries.insert(entryRow(sourceId, 'b', { sort_key: 2 }))
    const rows = [...t.tables.entries.forExport(sourceId)]
    expect(rows[0]).toEqual([a, 1, 'raw', null])
    expect(rows[1]![0]).toBe(b)
    expect(JSON.parse(rows[1]![3]!)).toHaveLength(44)
  })
})
