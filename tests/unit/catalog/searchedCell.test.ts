import { describe, expect, it } from 'vitest'
import { deriveColumns, searchedCell } from '../../../src/main/catalog/entryColumns'
import { CSV_COLUMNS } from '../../../src/shared/vocabulary'

describe('the URL read back from an entry’s search text', () => {
  it('is the third searched field, empty when absent', () => {
    const cells = CSV_COLUMNS.map((c) => (c === 'URL (Video Name)' ? 'https://Example.org/clip' : c === 'Filename' ? 'Cov-x' : c === 'Title' ? 'A title' : ''))
    const { columns } = deriveColumns(cells)
    expect(searchedCell(columns.search_text, 'URL (Video Name)')).toBe('https://example.org/clip')
    expect(searchedCell(columns.search_text, 'Filename')).toBe('cov-x')
    expect(searchedCell(columns.search_text, 'Preconditions / Comments about patient')).toBe('')
    expect(searchedCell('only-one-field', 'URL (Video Name)')).toBe('')
  })
})
