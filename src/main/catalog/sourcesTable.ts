/**
 * The `sources` table: one row per imported dataset folder, holding what an
 * export needs to write its CSV back byte for byte (header, dialect, blank
 * lines). Only this class writes it; imports, contributions and exports call it.
 */
import type { BlankLines, CsvDialect } from '../dataset/csvCodec'
import type { SourceRow } from './catalogRows'
import type { CatalogDb } from './database'
import { preparedOnce } from './preparedOnce'

export interface NewSource {
  root: string
  csvName: string
  csvSha256: string
  headerRaw: string
  dialect: CsvDialect
  blankLines: BlankLines
  importedAt: string
}

/** The dialect a source was imported in, from its row. */
export function dialectOf(source: SourceRow): CsvDialect {
  return { recordDelimiter: source.record_delimiter, finalNewline: source.final_newline === 1, bom: source.bom === 1 }
}

export class SourcesTable {
  private readonly byRootStmt
  private readonly byIdStmt
  private readonly firstStmt
  private readonly firstWithCsvRowsStmt
  private readonly withEntryCountsStmt
  private readonly insertStmt
  private readonly setBlankLinesStmt

  constructor(db: CatalogDb) {
    this.byRootStmt = preparedOnce(() => db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE root = ?'))
    this.byIdStmt = preparedOnce(() => db.prepare<[number], SourceRow>('SELECT * FROM sources WHERE id = ?'))
    this.firstStmt = preparedOnce(() => db.prepare<[], SourceRow>('SELECT * FROM sources ORDER BY id LIMIT 1'))
    this.firstWithCsvRowsStmt = preparedOnce(() =>
      db.prepare<[], SourceRow>(
        'SELECT s.* FROM sources s WHERE EXISTS (SELECT 1 FROM entries e WHERE e.source_id = s.id AND e.row_no IS NOT NULL) ORDER BY s.id LIMIT 1'
      )
    )
    this.withEntryCountsStmt = preparedOnce(() =>
      db.prepare<[], { id: number; root: string; entries: number }>(
        `SELECT s.id, s.root, (SELECT count(*) FROM entries e WHERE e.source_id = s.id) AS entries
         FROM sources s ORDER BY s.id`
      )
    )
    this.insertStmt = preparedOnce(() =>
      db.prepare<[string, string, string, string, string, number, number, string, string]>(
        `INSERT INTO sources (root, csv_name, csv_sha256, header_raw, record_delimiter, final_newline, bom, blank_lines, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
    )
    this.setBlankLinesStmt = preparedOnce(() => db.prepare<[string, number]>('UPDATE sources SET blank_lines = ? WHERE id = ?'))
  }

  byRoot(root: string): SourceRow | undefined {
    return this.byRootStmt().get(root)
  }

  get(id: number): SourceRow | undefined {
    return this.byIdStmt().get(id)
  }

  /** The first source imported: what commands mean when no source is named. */
  first(): SourceRow | undefined {
    return this.firstStmt().get()
  }

  /** The first source with CSV rows (a dataset folder, not only app-added entries). */
  firstWithCsvRows(): SourceRow | undefined {
    return this.firstWithCsvRowsStmt().get()
  }

  withEntryCounts(): { id: number; root: string; entries: number }[] {
    return this.withEntryCountsStmt().all()
  }

  /** Returns the new source's id. */
  insert(s: NewSource): number {
    const { recordDelimiter, finalNewline, bom } = s.dialect
    return Number(
      this.insertStmt().run(
        s.root,
        s.csvName,
        s.csvSha256,
        s.headerRaw,
        recordDelimiter,
        finalNewline ? 1 : 0,
        bom ? 1 : 0,
        JSON.stringify(s.blankLines),
        s.importedAt
      ).lastInsertRowid
    )
  }

  setBlankLines(id: number, blankLines: BlankLines): void {
    this.setBlankLinesStmt().run(JSON.stringify(blankLines), id)
  }
}
