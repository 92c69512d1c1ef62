/**
 * The catalog as the app sees it: entry summaries and details, edits of
 * cells, statistics. It owns `entries`, `media` and `sources` through the
 * table classes it holds (entriesTable.ts, mediaTable.ts, sourcesTable.ts),
 * the only code that writes them; every other domain calls those and keeps
 * its own tables. Every write is one transaction on the single writing
 * connection; statements are prepared once per connection.
 */
import type { CatalogStats, EntryDetail, EntrySummary, MediaInfo, NormalizedFields } from '../../shared/contract'
import { CSV_COLUMNS, LABELS, PATHOLOGIES, PATHOLOGY_STATES, SYMPTOMS, SYMPTOM_STATES, type CsvColumn, type Label, type MediaStatus } from '../../shared/vocabulary'
import { UserError } from '../errors'
import { parseRecord } from '../dataset/csvCodec'
import { columnIndex } from '../dataset/normalize'
import type { EntryRow, EntrySummaryRow, MediaRow } from './catalogRows'
import type { CatalogDb } from './database'
import { catalogTables, type CatalogTables } from './catalogTables'
import type { EntriesTable } from './entriesTable'
import { deriveColumns, searchedCell } from './entryColumns'
import { preparedOnce } from './preparedOnce'
import { FlagTally } from './flagTally'
import { rebuildSourceOf } from '../../shared/rebuildSource'

function toSummary(r: EntrySummaryRow): EntrySummary {
  return {
    id: r.id,
    sourceId: r.source_id,
    row: r.row_no,
    filename: r.filename,
    label: (LABELS as readonly string[]).includes(r.label) ? (r.label as Label) : 'other',
    labelRaw: r.label_raw,
    probe: r.probe,
    type: r.type,
    license: r.license,
    source: r.source_ref,
    location: r.location,
    title: r.title,
    mediaStatus: r.media_status as MediaStatus,
    mediaId: r.media_id,
    rebuildFrom:
      r.media_status === 'missing' ? rebuildSourceOf({ filename: r.filename, location: r.location, url: searchedCell(r.search_text, 'URL (Video Name)') }) : null,
    warningCount: (JSON.parse(r.warnings) as string[]).length,
    searchText: r.search_text
  }
}

export function toMediaInfo(m: MediaRow): MediaInfo {
  return {
    id: m.id,
    relPath: m.rel_path,
    sizeBytes: m.size_bytes,
    kind: m.kind,
    frames: m.frames,
    fps: m.fps,
    width: m.width,
    height: m.height,
    durationS: m.duration_s,
    codec: m.codec,
    error: m.error
  }
}

export class CatalogRepository {
  /** The tables behind the repository, for callers that write or read rows rather than the app's views of them. */
  readonly tables: CatalogTables
  private readonly entries: EntriesTable
  private readonly stmts

  constructor(private readonly db: CatalogDb) {
    this.tables = catalogTables(db)
    this.entries = this.tables.entries
    this.stmts = {
      countByLabelProbeType: preparedOnce(() =>
        db.prepare<[], { label: string; probe: string; type: string; count: number }>(
          `SELECT label, lower(probe) AS probe, lower(type) AS type, count(*) AS count FROM entries
           GROUP BY label, lower(probe), lower(type) ORDER BY label, probe, type`
        )
      ),
      countByMediaStatus: preparedOnce(() =>
        db.prepare<[], { media_status: string; count: number }>(`SELECT media_status, count(*) AS count FROM entries GROUP BY media_status`)
      ),
      labelsAndFields: preparedOnce(() => db.prepare<[], { label: string; normalized: string }>('SELECT label, normalized FROM entries')),
      countByLicense: preparedOnce(() =>
        db.prepare<[], { license: string; count: number }>(
          `SELECT license, count(*) AS count FROM entries GROUP BY license ORDER BY count DESC, license`
        )
      )
    }
  }

  list(): EntrySummary[] {
    return this.entries.summaries().map(toSummary)
  }

  get(id: number): EntryDetail {
    const r = this.entry(id)
    const media = r.media_id === null ? null : this.tables.media.get(r.media_id)
    return {
      summary: toSummary(r),
      cells: JSON.parse(r.cells) as string[],
      normalized: JSON.parse(r.normalized) as EntryDetail['normalized'],
      warnings: JSON.parse(r.warnings) as string[],
      media: media ? toMediaInfo(media) : null,
      edited: r.edited === 1
    }
  }

  /** The entry's current cells, one per CSV column. */
  cells(id: number): string[] {
    return JSON.parse(this.entry(id).cells) as string[]
  }

  /** How many entries the catalog holds. */
  countEntries(): number {
    return this.entries.count()
  }

  private entry(id: number): EntryRow {
    const r = this.entries.get(id)
    if (!r) throw new UserError('not_found', `No catalog entry with id ${id}.`)
    return r
  }

  /**
   * Sets the given cells, leaving every other cell of the record as it was.
   * Not audited: the app's edits go through ReviewService, which calls this.
   */
  update(id: number, changes: Partial<Record<CsvColumn, string>>): EntryDetail {
    this.db.transaction(() => this.writeCells(id, changes))()
    return this.get(id)
  }

  /** The write itself; callers hold the transaction. */
  writeCells(id: number, changes: Partial<Record<CsvColumn, string>>): void {
    const r = this.entries.withRecordDelimiter(id)
    if (!r) throw new UserError('not_found', `No catalog entry with id ${id}.`)
    const cells = JSON.parse(r.cells) as string[]
    for (const [column, value] of Object.entries(changes)) {
      if (value === undefined) continue
      if (!isCsvColumn(column)) throw new UserError('invalid_request', `Unknown CSV column "${column}".`)
      cells[columnIndex(column)] = value
    }
    const { columns } = deriveColumns(cells)
    const edited = r.raw_record === null || !sameCells(cells, parseRecord(r.raw_record, r.record_delimiter))
    this.entries.updateCells(id, cells, edited, columns, new Date().toISOString())
  }

  stats(): CatalogStats {
    const byMediaStatus: Record<string, number> = {}
    for (const r of this.stmts.countByMediaStatus().all()) byMediaStatus[r.media_status] = r.count
    const byLabelProbeType = this.stmts.countByLabelProbeType().all().map((r) => ({
      ...r,
      label: (LABELS as readonly string[]).includes(r.label) ? (r.label as Label) : ('other' as const)
    }))
    const pathologies = new FlagTally(PATHOLOGIES, PATHOLOGY_STATES, 'not_assessed')
    const symptoms = new FlagTally(SYMPTOMS, SYMPTOM_STATES, 'n/A')
    for (const r of this.stmts.labelsAndFields().all()) {
      const label = (LABELS as readonly string[]).includes(r.label) ? (r.label as Label) : 'other'
      const n = JSON.parse(r.normalized) as NormalizedFields
      pathologies.add(label, n.pathologies)
      symptoms.add(label, n.symptoms)
    }
    return {
      total: byLabelProbeType.reduce((n, r) => n + r.count, 0),
      withMedia: byMediaStatus['linked'] ?? 0,
      byLabelProbeType,
      byMediaStatus,
      pathologiesByLabel: pathologies.rows().map(({ label, flag, counts }) => ({ label, pathology: flag, present: counts.present, absent: counts.absent, notAssessed: counts.not_assessed })),
      symptomsByLabel: symptoms.rows().map(({ label, flag, counts }) => ({ label, symptom: flag, yes: counts.yes, no: counts.no, notAvailable: counts['n/A'] })),
      byLicense: this.stmts.countByLicense().all()
    }
  }

  sources(): { id: number; root: string; entries: number }[] {
    return this.tables.sources.withEntryCounts()
  }

  /** Absolute path of a media file, for the media protocol; null when unknown. */
  mediaLocation(mediaId: number): { root: string; relPath: string } | null {
    const m = this.tables.media.withRoot(mediaId)
    return m ? { root: m.root, relPath: m.rel_path } : null
  }
}

export function isCsvColumn(column: string): column is CsvColumn {
  return (CSV_COLUMNS as readonly string[]).includes(column)
}

function sameCells(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}
