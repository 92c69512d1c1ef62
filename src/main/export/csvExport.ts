/**
 * Writing `dataset_metadata.csv` back in the source's own dialect: unedited
 * records from their source text (byte-identical), edited and added ones
 * re-serialized in the same dialect, all in the original row order.
 */
import type { CatalogDb } from '../catalog/database'
import { serializeRecord, writeDatasetCsv, type CsvDialect } from '../dataset/csvCodec'
import { UserError } from '../errors'

interface SourceRow {
  id: number
  header_raw: string
  record_delimiter: CsvDialect['recordDelimiter']
  final_newline: number
  bom: number
}

/**
 * A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd|…`,
 * `@SUM(…)`, `-2+3+cmd|…`, or a leading tab or CR). Plain negative numbers are data.
 */
export function isFormulaLike(cell: string): boolean {
  if (/^[=+@\t\r]/.test(cell)) return true
  return cell.startsWith('-') && !/^-(\d+([.,]\d+)?)?$/.test(cell)
}

/** Prefixing a quote makes spreadsheets show the text instead of evaluating it (OWASP CSV injection). */
export const neutralizeFormula = (cell: string): string => (isFormulaLike(cell) ? `'${cell}` : cell)

// Cheap test on a record's source text before parsing it: can any cell start like a formula?
const MAYBE_FORMULA = /(^|,)"?[=+@\t\r-]/

export interface ExportResult {
  bytes: Buffer
  rows: number
  /** Cells written with a leading quote so spreadsheets do not evaluate them. */
  neutralizedCells: number
}

export function exportCsv(db: CatalogDb, sourceId?: number): ExportResult {
  const source = sourceId
    ? db.prepare<[number], SourceRow>('SELECT * FROM sources WHERE id = ?').get(sourceId)
    : db.prepare<[], SourceRow>('SELECT * FROM sources ORDER BY id LIMIT 1').get()
  if (!source) throw new UserError('not_found', sourceId ? `No dataset with id ${sourceId} in this catalog.` : 'The catalog is empty: import a dataset folder first.')

  // The cells (JSON) of a record exported verbatim are not needed: not reading them halves the bytes read.
  // Rows as arrays ([id, raw_record, cells]): 100k row objects are a measurable share of an export.
  const rows = db
    .prepare<[number], [number, string | null, string | null]>(
      `SELECT id, raw_record, CASE WHEN edited = 0 AND raw_record IS NOT NULL THEN NULL ELSE cells END AS cells
         FROM entries WHERE source_id = ? ORDER BY sort_key`
    )
    .raw()
    .iterate(source.id)
  const cellsOf = db.prepare<[number], { cells: string }>('SELECT cells FROM entries WHERE id = ?')
  let count = 0
  let neutralizedCells = 0
  function* records(): Generator<string> {
    for (const [id, raw, cellsJson] of rows) {
      count++
      const verbatim = cellsJson === null
      if (verbatim && !MAYBE_FORMULA.test(raw!)) {
        yield raw!
        continue
      }
      const cells = JSON.parse(cellsJson ?? cellsOf.get(id)!.cells) as string[]
      const safe = cells.map(neutralizeFormula)
      const changed = safe.reduce((n, c, i) => n + (c === cells[i] ? 0 : 1), 0)
      neutralizedCells += changed
      // An unedited record stays byte-identical unless it carries a formula.
      yield verbatim && changed === 0 ? raw! : serializeRecord(safe)
    }
  }
  const bytes = writeDatasetCsv({
    dialect: { recordDelimiter: source.record_delimiter, finalNewline: source.final_newline === 1, bom: source.bom === 1 },
    headerRaw: source.header_raw,
    records: records()
  })
  return { bytes, rows: count, neutralizedCells }
}
