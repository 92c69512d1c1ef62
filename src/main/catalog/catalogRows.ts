/**
 * The rows of the catalog's shared tables, as SQLite hands them back, defined
 * once: every domain that reads `entries`, `media` or `sources` gets these
 * types from the table classes instead of restating the columns it needs.
 */
import type { MediaStatus } from '../../shared/vocabulary'
import type { CsvDialect } from '../dataset/csvCodec'
import type { DerivedColumns } from './entryColumns'

export type MediaKind = 'video' | 'image'

/** `sources`: one imported dataset folder. */
export interface SourceRow {
  id: number
  root: string
  csv_name: string
  csv_sha256: string
  header_raw: string
  record_delimiter: CsvDialect['recordDelimiter']
  final_newline: number
  bom: number
  imported_at: string
  /** JSON BlankLines (migration 007); absent only in a catalog opened with an older migration list. */
  blank_lines?: string
}

/** What ffprobe said about a file; all null when it could not read it. */
export interface MediaProbeColumns {
  frames: number | null
  fps: number | null
  width: number | null
  height: number | null
  duration_s: number | null
  codec: string | null
}

/** `media`: one file under a source's folder. */
export interface MediaRow extends MediaProbeColumns {
  id: number
  source_id: number
  rel_path: string
  stem: string
  kind: MediaKind
  size_bytes: number
  mtime_ms: number
  error: string | null
  /** Content hash (migration 002); null until known. */
  sha256: string | null
}

/** A media row as written: everything but its id. */
export type MediaWrite = Omit<MediaRow, 'id'>

/** The columns of `entries` that catalog/list reads for a summary: the derived columns (entryColumns.ts) but the normalized JSON, and the links. */
export interface EntrySummaryRow extends Omit<DerivedColumns, 'normalized'> {
  id: number
  source_id: number
  row_no: number | null
  media_id: number | null
  media_status: string
}

/** `entries`: one CSV record (or an app-added entry), with its derived columns. */
export interface EntryRow extends EntrySummaryRow {
  line: number | null
  sort_key: number
  cells: string
  normalized: string
  raw_record: string | null
  edited: number
  updated_at: string
}

/** A new entry: its place, its cells (JSON) and the columns derived from them, and its link. */
export interface EntryWrite extends DerivedColumns {
  source_id: number
  row_no: number | null
  line: number | null
  sort_key: number
  raw_record: string | null
  edited: 0 | 1
  cells: string
  media_id: number | null
  media_status: MediaStatus
  updated_at: string
}
