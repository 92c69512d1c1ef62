/**
 * Reads and edits of the catalog. Every write is one transaction on the
 * single writing connection; statements are prepared once per connection.
 */
import { parse } from 'csv-parse/sync'
import type { CatalogStats, EntryDetail, EntrySummary, MediaInfo, NormalizedFields } from '../../shared/contract'
import { CSV_COLUMNS, LABELS, PATHOLOGIES, SYMPTOMS, type CsvColumn, type Label, type MediaStatus } from '../../shared/vocabulary'
import { UserError } from '../errors'
import { columnIndex } from '../dataset/normalize'
import type { CatalogDb } from './database'
import { deriveColumns, searchedCell } from './entryColumns'
import { rebuildSourceOf } from '../../shared/rebuildSource'

interface EntryRow {
  id: number
  source_id: number
  row_no: number | null
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
  media_id: number | null
  media_status: string
  warnings: string
}

interface EntryFullRow extends EntryRow {
  cells: string
  normalized: string
  raw_record: string | null
  record_delimiter: string
  edited: number
}

interface MediaRow {
  id: number
  rel_path: string
  size_bytes: number
  kind: 'video' | 'image'
  frames: number | null
  fps: number | null
  width: number | null
  height: number | null
  duration_s: number | null
  codec: string | null
  error: string | null
}

const SUMMARY_COLUMNS = `id, source_id, row_no, filename, label, label_raw, probe, type, license, source_ref,
  location, title, search_text, media_id, media_status, warnings`

function toSummary(r: EntryRow): EntrySummary {
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
  private readonly stmts

  constructor(private readonly db: CatalogDb) {
    this.stmts = {
      list: db.prepare<[], EntryRow>(`SELECT ${SUMMARY_COLUMNS} FROM entries ORDER BY source_id, sort_key`),
      get: db.prepare<[number], EntryFullRow>(
        `SELECT e.*, s.record_delimiter FROM entries e JOIN sources s ON s.id = e.source_id WHERE e.id = ?`
      ),
      media: db.prepare<[number], MediaRow>(`SELECT * FROM media WHERE id = ?`),
      update: db.prepare(
        `UPDATE entries SET cells = @cells, edited = @edited, filename = @filename, label = @label,
           label_raw = @label_raw, probe = @probe, type = @type, license = @license, source_ref = @source_ref,
           location = @location, title = @title, search_text = @search_text, normalized = @normalized,
           warnings = @warnings, updated_at = @updated_at
         WHERE id = @id`
      ),
      countByLabelProbeType: db.prepare<[], { label: string; probe: string; type: string; count: number }>(
        `SELECT label, lower(probe) AS probe, lower(type) AS type, count(*) AS count FROM entries
         GROUP BY label, lower(probe), lower(type) ORDER BY label, probe, type`
      ),
      countByMediaStatus: db.prepare<[], { media_status: string; count: number }>(
        `SELECT media_status, count(*) AS count FROM entries GROUP BY media_status`
      ),
      labelsAndFields: db.prepare<[], { label: string; normalized: string }>('SELECT label, normalized FROM entries'),
      countByLicense: db.prepare<[], { license: string; count: number }>(
        `SELECT license, count(*) AS count FROM entries GROUP BY license ORDER BY count DESC, license`
      ),
      mediaLocation: db.prepare<[number], { root: string; relPath: string }>(
        `SELECT s.root AS root, m.rel_path AS relPath FROM media m JOIN sources s ON s.id = m.source_id WHERE m.id = ?`
      ),
      sources: db.prepare<[], { id: number; root: string; entries: number }>(
        `SELECT s.id, s.root, (SELECT count(*) FROM entries e WHERE e.source_id = s.id) AS entries
         FROM sources s ORDER BY s.id`
      )
    }
  }

  list(): EntrySummary[] {
    return this.stmts.list.all().map(toSummary)
  }

  get(id: number): EntryDetail {
    const r = this.stmts.get.get(id)
    if (!r) throw new UserError('not_found', `No catalog entry with id ${id}.`)
    const media = r.media_id === null ? null : this.stmts.media.get(r.media_id)
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
    const r = this.stmts.get.get(id)
    if (!r) throw new UserError('not_found', `No catalog entry with id ${id}.`)
    return JSON.parse(r.cells) as string[]
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
    const r = this.stmts.get.get(id)
    if (!r) throw new UserError('not_found', `No catalog entry with id ${id}.`)
    const cells = JSON.parse(r.cells) as string[]
    for (const [column, value] of Object.entries(changes)) {
      if (value === undefined) continue
      if (!isCsvColumn(column)) throw new UserError('invalid_request', `Unknown CSV column "${column}".`)
      cells[columnIndex(column)] = value
    }
    const { columns } = deriveColumns(cells)
    this.stmts.update.run({
      id,
      cells: JSON.stringify(cells),
      edited: r.raw_record === null || !sameCells(cells, parseRecord(r.raw_record, r.record_delimiter)) ? 1 : 0,
      ...columns,
      updated_at: new Date().toISOString()
    })
  }

  stats(): CatalogStats {
    const byMediaStatus: Record<string, number> = {}
    for (const r of this.stmts.countByMediaStatus.all()) byMediaStatus[r.media_status] = r.count
    const byLabelProbeType = this.stmts.countByLabelProbeType.all().map((r) => ({
      ...r,
      label: (LABELS as readonly string[]).includes(r.label) ? (r.label as Label) : ('other' as const)
    }))
    const pathologies = new Map<string, { label: Label; pathology: string; present: number; absent: number; notAssessed: number }>()
    const symptoms = new Map<string, { label: Label; symptom: string; yes: number; no: number; notAvailable: number }>()
    for (const r of this.stmts.labelsAndFields.all()) {
      const label = (LABELS as readonly string[]).includes(r.label) ? (r.label as Label) : 'other'
      const n = JSON.parse(r.normalized) as NormalizedFields
      for (const p of PATHOLOGIES) {
        const key = `${label}\u0000${p}`
        const row = pathologies.get(key) ?? { label, pathology: p, present: 0, absent: 0, notAssessed: 0 }
        const state = n.pathologies[p]
        if (state === 'present') row.present++
        else if (state === 'absent') row.absent++
        else row.notAssessed++
        pathologies.set(key, row)
      }
      for (const sy of SYMPTOMS) {
        const key = `${label}\u0000${sy}`
        const row = symptoms.get(key) ?? { label, symptom: sy, yes: 0, no: 0, notAvailable: 0 }
        const state = n.symptoms[sy]
        if (state === 'yes') row.yes++
        else if (state === 'no') row.no++
        else row.notAvailable++
        symptoms.set(key, row)
      }
    }
    return {
      total: byLabelProbeType.reduce((n, r) => n + r.count, 0),
      withMedia: byMediaStatus['linked'] ?? 0,
      byLabelProbeType,
      byMediaStatus,
      pathologiesByLabel: [...pathologies.values()],
      symptomsByLabel: [...symptoms.values()],
      byLicense: this.stmts.countByLicense.all()
    }
  }

  sources(): { id: number; root: string; entries: number }[] {
    return this.stmts.sources.all()
  }

  /** Absolute path of a media file, for the media protocol; null when unknown. */
  mediaLocation(mediaId: number): { root: string; relPath: string } | null {
    return this.stmts.mediaLocation.get(mediaId) ?? null
  }
}

export function isCsvColumn(column: string): column is CsvColumn {
  return (CSV_COLUMNS as readonly string[]).includes(column)
}

function parseRecord(raw: string, recordDelimiter: string): string[] {
  const [rec] = parse(raw, { record_delimiter: recordDelimiter, relax_column_count: true }) as string[][]
  return rec ?? []
}

function sameCells(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}
