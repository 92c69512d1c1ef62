/**
 * The `entries` table: one row per CSV record or app-added entry, with the
 * columns derived from its cells. Only this class writes it (the import, a
 * contribution, an edit, a link to media); other domains read it through the
 * methods here, named for what they ask, rather than with their own SQL.
 */
import type { MediaStatus } from '../../shared/vocabulary'
import type { EntryRow, EntrySummaryRow, EntryWrite } from './catalogRows'
import type { CatalogDb } from './database'
import type { DerivedColumns } from './entryColumns'
import { preparedOnce } from './preparedOnce'

const SUMMARY_COLUMNS = `id, source_id, row_no, filename, label, label_raw, probe, type, license, source_ref,
  location, title, search_text, media_id, media_status, warnings`

/** An entry's cells as the export reads them: [id, row_no, raw_record, cells or null when raw_record is verbatim]. */
export type ExportRow = [id: number, rowNo: number | null, raw: string | null, cells: string | null]

/** What a re-link needs of each entry of a source: its name and the stem of the file it is linked to now. */
export interface LinkState {
  id: number
  filename: string
  linked_stem: string | null
}

export type EntryOfSource = Pick<EntryRow, 'id' | 'filename' | 'probe' | 'media_status' | 'cells'>

export class EntriesTable {
  private readonly s

  constructor(db: CatalogDb) {
    this.s = {
      summaries: preparedOnce(() => db.prepare<[], EntrySummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM entries ORDER BY source_id, sort_key`)),
      get: preparedOnce(() => db.prepare<[number], EntryRow>('SELECT * FROM entries WHERE id = ?')),
      withDelimiter: preparedOnce(() =>
        db.prepare<[number], EntryRow & { record_delimiter: string }>(
          'SELECT e.*, s.record_delimiter FROM entries e JOIN sources s ON s.id = e.source_id WHERE e.id = ?'
        )
      ),
      filename: preparedOnce(() => db.prepare<[number], { filename: string }>('SELECT filename FROM entries WHERE id = ?')),
      rowNo: preparedOnce(() => db.prepare<[number], { row_no: number | null }>('SELECT row_no FROM entries WHERE id = ?')),
      cells: preparedOnce(() => db.prepare<[number], { cells: string }>('SELECT cells FROM entries WHERE id = ?')),
      labels: preparedOnce(() => db.prepare<[], { id: number; label: string }>('SELECT id, label FROM entries')),
      hasMedia: preparedOnce(() => db.prepare<[number], { linked: 0 | 1 }>('SELECT media_id IS NOT NULL AS linked FROM entries WHERE id = ?')),
      linkedOfSource: preparedOnce(() =>
        db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM entries WHERE source_id = ? AND media_status = 'linked'")
      ),
      count: preparedOnce(() => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM entries')),
      countOfSource: preparedOnce(() => db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM entries WHERE source_id = ?')),
      linkCounts: preparedOnce(() =>
        db.prepare<[number], { linked: number | null; missing: number | null }>(
          `SELECT sum(media_status = 'linked') AS linked, sum(media_status = 'missing') AS missing FROM entries WHERE source_id = ?`
        )
      ),
      maxSortKey: preparedOnce(() => db.prepare<[number], { k: number | null }>('SELECT max(sort_key) AS k FROM entries WHERE source_id = ?')),
      idByFilename: preparedOnce(() => db.prepare<[number, string], { id: number }>('SELECT id FROM entries WHERE source_id = ? AND filename = ?')),
      byFilenameAndRow: preparedOnce(() =>
        db.prepare<[string, number | null], Pick<EntryRow, 'id' | 'filename' | 'row_no'>>(
          'SELECT id, filename, row_no FROM entries WHERE filename = ? AND row_no IS ? ORDER BY id'
        )
      ),
      ofSource: preparedOnce(() =>
        db.prepare<[number], EntryOfSource>('SELECT id, filename, probe, media_status, cells FROM entries WHERE source_id = ? ORDER BY sort_key')
      ),
      forExport: preparedOnce(() =>
        db
          .prepare<[number], ExportRow>(
            `SELECT id, row_no, raw_record, CASE WHEN edited = 0 AND raw_record IS NOT NULL THEN NULL ELSE cells END AS cells
               FROM entries WHERE source_id = ? ORDER BY sort_key`
          )
          .raw()
      ),
      normalized: preparedOnce(() => db.prepare<[], { id: number; normalized: string }>('SELECT id, normalized FROM entries')),
      linkedMediaIds: preparedOnce(() =>
        db.prepare<[], { id: number }>(
          `SELECT DISTINCT media_id AS id FROM entries WHERE media_status = 'linked' AND media_id IS NOT NULL ORDER BY media_id`
        )
      ),
      linkStates: preparedOnce(() =>
        db.prepare<[number], LinkState>(
          'SELECT e.id, e.filename, m.stem AS linked_stem FROM entries e LEFT JOIN media m ON m.id = e.media_id WHERE e.source_id = ?'
        )
      ),
      relinkedRelPaths: preparedOnce(() =>
        db.prepare<[number], { rel_path: string }>(
          'SELECT m.rel_path FROM entries e JOIN media m ON m.id = e.media_id WHERE e.source_id = ? AND m.stem != e.filename'
        )
      ),
      insert: preparedOnce(() =>
        db.prepare<[EntryWrite]>(
          `INSERT INTO entries (source_id, row_no, line, sort_key, raw_record, edited, cells, filename, label, label_raw,
             probe, type, license, source_ref, location, title, search_text, normalized, warnings, media_id, media_status, updated_at)
           VALUES (@source_id, @row_no, @line, @sort_key, @raw_record, @edited, @cells, @filename, @label, @label_raw,
             @probe, @type, @license, @source_ref, @location, @title, @search_text, @normalized, @warnings, @media_id, @media_status, @updated_at)`
        )
      ),
      updateCells: preparedOnce(() =>
        db.prepare<[DerivedColumns & { id: number; cells: string; edited: 0 | 1; updated_at: string }]>(
          `UPDATE entries SET cells = @cells, edited = @edited, filename = @filename, label = @label,
             label_raw = @label_raw, probe = @probe, type = @type, license = @license, source_ref = @source_ref,
             location = @location, title = @title, search_text = @search_text, normalized = @normalized,
             warnings = @warnings, updated_at = @updated_at
           WHERE id = @id`
        )
      ),
      link: preparedOnce(() => db.prepare<[number | null, MediaStatus, number]>('UPDATE entries SET media_id = ?, media_status = ? WHERE id = ?'))
    }
  }

  /** Every entry's summary columns, in catalog order. */
  summaries(): EntrySummaryRow[] {
    return this.s.summaries().all()
  }

  get(id: number): EntryRow | undefined {
    return this.s.get().get(id)
  }

  /** The entry with its source's record delimiter, to parse its source text again. */
  withRecordDelimiter(id: number): (EntryRow & { record_delimiter: string }) | undefined {
    return this.s.withDelimiter().get(id)
  }

  /** The entry's Filename cell; undefined when there is no such entry. */
  filename(id: number): string | undefined {
    return this.s.filename().get(id)?.filename
  }

  /** The entry's CSV row (null for an app-added entry); undefined when there is no such entry. */
  rowNo(id: number): number | null | undefined {
    return this.s.rowNo().get(id)?.row_no
  }

  /** The entry's cells as stored (JSON); undefined when there is no such entry. */
  cellsJson(id: number): string | undefined {
    return this.s.cells().get(id)?.cells
  }

  /** Every entry's label (the catalog's normalised one), by entry id. */
  labels(): Map<number, string> {
    return new Map(this.s.labels().all().map((r) => [r.id, r.label]))
  }

  /** Whether the entry is linked to a media file; false for an entry that does not exist. */
  hasMedia(id: number): boolean {
    return this.s.hasMedia().get(id)?.linked === 1
  }

  count(): number {
    return this.s.count().get()!.n
  }

  countOfSource(sourceId: number): number {
    return this.s.countOfSource().get(sourceId)!.n
  }

  linkedCountOfSource(sourceId: number): number {
    return this.s.linkedOfSource().get(sourceId)!.n
  }

  /** How many entries of the source are linked to media and how many have none. */
  linkCounts(sourceId: number): { linked: number; missing: number } {
    const r = this.s.linkCounts().get(sourceId)!
    return { linked: r.linked ?? 0, missing: r.missing ?? 0 }
  }

  /** The largest sort key of the source (0 when it has none): app-added entries go after it. */
  maxSortKey(sourceId: number): number {
    return this.s.maxSortKey().get(sourceId)!.k ?? 0
  }

  hasFilename(sourceId: number, filename: string): boolean {
    return this.s.idByFilename().get(sourceId, filename) !== undefined
  }

  byFilenameAndRow(filename: string, rowNo: number | null): Pick<EntryRow, 'id' | 'filename' | 'row_no'>[] {
    return this.s.byFilenameAndRow().all(filename, rowNo)
  }

  ofSource(sourceId: number): EntryOfSource[] {
    return this.s.ofSource().all(sourceId)
  }

  /** The source's records in file order, as arrays (100k row objects are a measurable share of an export). */
  forExport(sourceId: number): IterableIterator<ExportRow> {
    return this.s.forExport().iterate(sourceId)
  }

  /** Every entry's normalized fields (JSON), by id. */
  normalizedFields(): { id: number; normalized: string }[] {
    return this.s.normalized().all()
  }

  linkedMediaIds(): number[] {
    return this.s.linkedMediaIds().all().map((r) => r.id)
  }

  linkStates(sourceId: number): LinkState[] {
    return this.s.linkStates().all(sourceId)
  }

  /** Files linked by hand to an entry of another name. */
  relinkedRelPaths(sourceId: number): string[] {
    return this.s.relinkedRelPaths().all(sourceId).map((r) => r.rel_path)
  }

  /** Returns the new entry's id. */
  insert(e: EntryWrite): number {
    return Number(this.s.insert().run(e).lastInsertRowid)
  }

  /** Writes new cells and their derived columns; callers hold the transaction. */
  updateCells(id: number, cells: readonly string[], edited: boolean, columns: DerivedColumns, updatedAt: string): void {
    this.s.updateCells().run({ id, cells: JSON.stringify(cells), edited: edited ? 1 : 0, ...columns, updated_at: updatedAt })
  }

  /** Points the entry at a media row (or none); false when there is no such entry. */
  link(id: number, mediaId: number | null, status: MediaStatus): boolean {
    return this.s.link().run(mediaId, status, id).changes === 1
  }
}
