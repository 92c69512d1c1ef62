/** The columns of `entries` that are derived from its cells, recomputed on every write. */
import { cell, normalizeRecord, type NormalizationWarning } from '../dataset/normalize'
import type { NormalizedFields } from '../../shared/contract'

export interface DerivedColumns {
  filename: string
  label: string
  label_raw: string
  probe: string
  type: string
  license: string
  source_ref: string
  location: string
  title: string
  search_text: string
  normalized: string
  warnings: string
}

const SEARCHED = [
  'Filename',
  'Title',
  'URL (Video Name)',
  'Current location',
  'Comments from web site',
  'Comments first medical doctor (MD1)',
  'MD2',
  'MD3',
  'Preconditions / Comments about patient'
] as const

/** One searched cell back out of an entry's search text (lower-cased, as stored). */
export function searchedCell(searchText: string, column: (typeof SEARCHED)[number]): string {
  // Walks to the field rather than splitting the whole text: catalog/list does this for every row without media.
  let start = 0
  for (let k = SEARCHED.indexOf(column); k > 0; k--) {
    const sep = searchText.indexOf('\u0001', start)
    if (sep === -1) return ''
    start = sep + 1
  }
  const end = searchText.indexOf('\u0001', start)
  return searchText.slice(start, end === -1 ? undefined : end)
}

export function deriveColumns(cells: readonly string[]): {
  columns: DerivedColumns
  fields: NormalizedFields
  warnings: NormalizationWarning[]
} {
  const { fields, warnings } = normalizeRecord(cells)
  return {
    fields,
    warnings,
    columns: {
      filename: cell(cells, 'Filename'),
      label: fields.label,
      label_raw: cell(cells, 'Label'),
      probe: cell(cells, 'Probe'),
      type: cell(cells, 'Type'),
      license: cell(cells, 'License'),
      source_ref: cell(cells, 'Source ID'),
      location: cell(cells, 'Current location'),
      title: cell(cells, 'Title'),
      search_text: SEARCHED.map((c) => cell(cells, c)).join('\u0001').toLowerCase(),
      normalized: JSON.stringify(fields),
      warnings: JSON.stringify(warnings.map((w) => `${w.column || '(unnamed column)'}: ${w.message}`))
    }
  }
}
