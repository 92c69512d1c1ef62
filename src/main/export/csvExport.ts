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

export function exportCsv(db: CatalogDb, sourceId?: number): { bytes: Buffer; rows: number } {
  const source = sourceId
    ? db.prepare<[number], SourceRow>('SELECT * FROM sources WHERE id = ?').get(sourceId)
    : db.prepare<[], SourceRow>('SELECT * FROM sources ORDER BY id LIMIT 1').get()
  if (!source) throw new UserError('not_found', sourceId ? `No dataset with id ${sourceId} in this catalog.` : 'The catalog is empty: import a dataset folder first.')

  const rows = db
    .prepare<[number], { raw_record: string | null; edited: number; cells: string }>(
      'SELECT raw_record, edited, cells FROM entries WHERE source_id = ? ORDER BY sort_key'
    )
    .iterate(source.id)
  let count = 0
  function* records(): Generator<string> {
    for (const r of rows) {
      count++
      yield r.edited === 0 && r.raw_record !== null ? r.raw_record : serializeRecord(JSON.parse(r.cells) as string[])
    }
  }
  const bytes = writeDatasetCsv({
    dialect: { recordDelimiter: source.record_delimiter, finalNewline: source.final_newline === 1, bom: source.bom === 1 },
    headerRaw: source.header_raw,
    records: records()
  })
  return { bytes, rows: count }
}
