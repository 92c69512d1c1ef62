import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dialectOf } from '../../../src/main/catalog/sourcesTable'
import { addSource, entryRow, openTables, type TableFixture } from './tableFixtures'

let t: TableFixture
beforeEach(() => (t = openTables()))
afterEach(() => t.close())

describe('the sources table', () => {
  it('inserts a source with its dialect and blank lines, and reads it back by id, root and order', () => {
    const id = t.tables.sources.insert({
      root: '/data/one',
      csvName: 'dataset_metadata.csv',
      csvSha256: 'b'.repeat(64),
      headerRaw: 'h',
      dialect: { recordDelimiter: '\n', finalNewline: true, bom: true },
      blankLines: [[2, 1]],
      importedAt: 'now'
    })
    const row = t.tables.sources.get(id)!
    expect(row).toMatchObject({ id, root: '/data/one', csv_sha256: 'b'.repeat(64), header_raw: 'h', blank_lines: '[[2,1]]', imported_at: 'now' })
    expect(dialectOf(row)).toEqual({ recordDelimiter: '\n', finalNewline: true, bom: true })
    expect(t.tables.sources.byRoot('/data/one')?.id).toBe(id)
    expect(t.tables.sources.byRoot('/elsewhere')).toBeUndefined()
    expect(t.tables.sources.first()?.id).toBe(id)
  })

  it('refuses a second source for the same folder', () => {
    addSource(t.tables, '/data/same')
    expect(() => addSource(t.tables, '/data/same')).toThrow(/UNIQUE/)
  })

  it('rewrites the blank-line layout', () => {
    const id = addSource(t.tables)
    t.tables.sources.setBlankLines(id, [[1, 2]])
    expect(t.tables.sources.get(id)?.blank_lines).toBe('[[1,2]]')
  })

  it('finds the first source with CSV rows, and counts each source’s entries', () => {
    const appOnly = addSource(t.tables, '/data/contributions')
    const dataset = addSource(t.tables, '/data/ds')
    t.tables.entries.insert(entryRow(appOnly, 'added'))
    t.tables.entries.insert(entryRow(dataset, 'csv-row', { row_no: 1, line: 2, raw_record: 'x', edited: 0 }))
    expect(t.tables.sources.firstWithCsvRows()?.id).toBe(dataset)
    expect(t.tables.sources.withEntryCounts()).toEqual([
      { id: appOnly, root: '/data/contributions', entries: 1 },
      { id: dataset, root: '/data/ds', entries: 1 }
    ])
  })
})
