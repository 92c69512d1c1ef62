/**
 * The 'contributions' source: a catalog-managed dataset folder beside the
 * catalog (`<catalog dir>/contributions/`) that receives de-identified DICOM
 * imports. It has the dataset's layout (pocus_videos/, pocus_images/,
 * dataset_metadata.csv) so the rest of the app treats it like any imported
 * folder. Its CSV on disk stays header-only: its entries are app-added
 * entries (like orphans imported on request), exported after the header by
 * the CSV export, and re-importing the folder keeps them and relinks their
 * media by file name.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { CSV_COLUMNS } from '../../shared/vocabulary'
import type { CatalogDb } from '../catalog/database'
import { writeFileAtomic } from '../fs/atomicWrite'
import { deriveColumns } from '../catalog/entryColumns'
import { serializeRecord } from '../dataset/csvCodec'
import { CSV_FILE_NAME } from '../dataset/datasetImport'
import type { ProbeResult } from '../media/probe'

export const CONTRIBUTIONS_FOLDER = 'contributions'
export const SUMMARY_FOLDER = 'deidentification'
/** The dataset's own dialect: CRLF between records, no final newline, no BOM. */
const HEADER = serializeRecord(CSV_COLUMNS)

export function contributionsRoot(catalogPath: string): string {
  return join(dirname(resolve(catalogPath)), CONTRIBUTIONS_FOLDER)
}

/** Creates the folder layout and the header-only CSV; returns the folder's real path. */
export function ensureContributionsFolder(root: string): string {
  for (const sub of ['pocus_videos', 'pocus_images', SUMMARY_FOLDER]) mkdirSync(join(root, sub), { recursive: true })
  const csv = join(root, CSV_FILE_NAME)
  if (!existsSync(csv)) writeFileAtomic(csv, HEADER)
  return realpathSync(root)
}

export interface NewMedia {
  relPath: string
  stem: string
  kind: 'video' | 'image'
  sizeBytes: number
  mtimeMs: number
  probe: ProbeResult
  sha256: string
}

/**
 * Writes the source (once), the media row and an app-added entry linked to
 * it. Callers hold the transaction, so the entry and whatever they record
 * with it (a de-identification record) land together or not at all.
 */
export function insertContribution(db: CatalogDb, root: string, cells: string[], media: NewMedia): { sourceId: number; entryId: number; mediaId: number } {
  const now = new Date().toISOString()
  let source = db.prepare<[string], { id: number }>('SELECT id FROM sources WHERE root = ?').get(root)
  if (!source) {
    const csvBytes = readFileSync(join(root, CSV_FILE_NAME))
    const id = db
      .prepare(
        `INSERT INTO sources (root, csv_name, csv_sha256, header_raw, record_delimiter, final_newline, bom, imported_at)
         VALUES (?, ?, ?, ?, ?, 0, 0, ?)`
      )
      .run(root, CSV_FILE_NAME, createHash('sha256').update(csvBytes).digest('hex'), HEADER, '\r\n', now).lastInsertRowid
    source = { id: Number(id) }
  }
  const mediaId = Number(
    db
      .prepare(
        `INSERT INTO media (source_id, rel_path, stem, kind, size_bytes, mtime_ms, frames, fps, width, height, duration_s, codec, error, sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`
      )
      .run(
        source.id,
        media.relPath,
        media.stem,
        media.kind,
        media.sizeBytes,
        media.mtimeMs,
        media.probe.frames,
        media.probe.fps,
        media.probe.width,
        media.probe.height,
        media.probe.durationS,
        media.probe.codec,
        media.sha256
      ).lastInsertRowid
  )
  const sortKey = (db.prepare<[number], { k: number | null }>('SELECT max(sort_key) AS k FROM entries WHERE source_id = ?').get(source.id)!.k ?? 0) + 1
  const entryId = Number(
    db
      .prepare(
        `INSERT INTO entries (source_id, row_no, line, sort_key, raw_record, edited, cells, filename, label, label_raw,
           probe, type, license, source_ref, location, title, search_text, normalized, warnings, media_id, media_status, updated_at)
         VALUES (@source_id, NULL, NULL, @sort_key, NULL, 1, @cells, @filename, @label, @label_raw,
           @probe, @type, @license, @source_ref, @location, @title, @search_text, @normalized, @warnings, @media_id, 'linked', @updated_at)`
      )
      .run({ source_id: source.id, sort_key: sortKey, cells: JSON.stringify(cells), ...deriveColumns(cells).columns, media_id: mediaId, updated_at: now })
      .lastInsertRowid
  )
  return { sourceId: source.id, entryId, mediaId }
}
