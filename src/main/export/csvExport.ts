/**
 * Writing `dataset_metadata.csv` back in the source's own dialect: unedited
 * records from their source text (byte-identical), edited and added ones
 * re-serialized in the same dialect, all in the original row order.
 */
import type { CatalogDb } from '../catalog/database'
import { EntriesTable } from '../catalog/entriesTable'
import { dialectOf, SourcesTable } from '../catalog/sourcesTable'
import { serializeRecord, writeDatasetCsv, type BlankLines } from '../dataset/csvCodec'
import { UserError } from '../errors'
import { neutralizeFormula } from '../../shared/spreadsheetFormula'

// Cheap test on a record's source text before parsing it: can any cell start like a formula?
// It must match whenever isFormulaLike would match a cell of the record (a superset), never less.
const MAYBE_FORMULA = /(^|,)"?[\s\u180e\u200b-\u200d\u2060]*[=+@\t\r\-\uff1d\uff0b\uff20\uff0d]/u

/** The source's blank-line layout, by the row it precedes; a layout that is not ours is ignored, not trusted. */
function blankLinesByRow(json: string | undefined): Map<number, number> {
  const out = new Map<number, number>()
  if (!json) return out
  let layout: unknown
  try {
    layout = JSON.parse(json)
  } catch {
    return out
  }
  if (!Array.isArray(layout)) return out
  for (const pair of layout as BlankLines) {
    if (!Array.isArray(pair)) continue
    const [row, count] = pair
    if (Number.isSafeInteger(row) && Number.isSafeInteger(count) && count > 0) out.set(row, (out.get(row) ?? 0) + count)
  }
  return out
}

export interface ExportResult {
  bytes: Buffer
  rows: number
  /** Cells written with a leading quote so spreadsheets do not evaluate them. */
  neutralizedCells: number
}

export function exportCsv(db: CatalogDb, sourceId?: number): ExportResult {
  const sources = new SourcesTable(db)
  const entries = new EntriesTable(db)
  const source = sourceId ? sources.get(sourceId) : sources.first()
  if (!source) throw new UserError('not_found', sourceId ? `No dataset with id ${sourceId} in this catalog.` : 'The catalog is empty: import a dataset folder first.')

  // The cells (JSON) of a record exported verbatim are not needed: not reading them halves the bytes read.
  const rows = entries.forExport(source.id)
  const blankLines = blankLinesByRow(source.blank_lines)
  let count = 0
  let neutralizedCells = 0
  function* records(): Generator<string> {
    for (const [id, rowNo, raw, cellsJson] of rows) {
      count++
      // A blank line is an empty record between two delimiters: written where the source had it.
      const blanks = rowNo === null ? undefined : blankLines.get(rowNo)
      if (blanks !== undefined) {
        for (let i = 0; i < blanks; i++) yield ''
        blankLines.delete(rowNo!)
      }
      const verbatim = cellsJson === null
      if (verbatim && !MAYBE_FORMULA.test(raw!)) {
        yield raw!
        continue
      }
      const cells = JSON.parse(cellsJson ?? entries.cellsJson(id)!) as string[]
      const safe = cells.map(neutralizeFormula)
      const changed = safe.reduce((n, c, i) => n + (c === cells[i] ? 0 : 1), 0)
      neutralizedCells += changed
      // An unedited record stays byte-identical unless it carries a formula.
      yield verbatim && changed === 0 ? raw! : serializeRecord(safe)
    }
    // Blank lines after the last record (and any whose record is gone) end the file, as they ended the source.
    for (const [, blanks] of [...blankLines].sort(([a], [b]) => a - b)) for (let i = 0; i < blanks; i++) yield ''
  }
  const bytes = writeDatasetCsv({
    dialect: dialectOf(source),
    headerRaw: source.header_raw,
    records: records()
  })
  return { bytes, rows: count, neutralizedCells }
}
