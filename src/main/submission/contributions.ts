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
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { catalogTables } from '../catalog/catalogTables'
import type { CatalogDb } from '../catalog/database'
import { writeFileAtomic } from '../fs/atomicWrite'
import { deriveColumns } from '../catalog/entryColumns'
import { CSV_FILE_NAME, DATASET_DIALECT, DATASET_HEADER } from '../dataset/csvCodec'
import type { ProbeResult } from '../media/probe'
import { sha256Bytes } from '../media/contentHash'

export const CONTRIBUTIONS_FOLDER = 'contributions'
export const SUMMARY_FOLDER = 'deidentification'

export function contributionsRoot(catalogPath: string): string {
  return join(dirname(resolve(catalogPath)), CONTRIBUTIONS_FOLDER)
}

/** Creates the folder layout and the header-only CSV; returns the folder's real path. */
export function ensureContributionsFolder(root: string): string {
  for (const sub of ['pocus_videos', 'pocus_images', SUMMARY_FOLDER]) mkdirSync(join(root, sub), { recursive: true })
  const csv = join(root, CSV_FILE_NAME)
  if (!existsSync(csv)) writeFileAtomic(csv, DATASET_HEADER)
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
  const { sources, media: mediaTable, entries } = catalogTables(db)
  const sourceId =
    sources.byRoot(root)?.id ??
    sources.insert({
      root,
      csvName: CSV_FILE_NAME,
      csvSha256: sha256Bytes(readFileSync(join(root, CSV_FILE_NAME))),
      // The header-only CSV written by ensureContributionsFolder, in the dataset's own dialect.
      headerRaw: DATASET_HEADER,
      dialect: DATASET_DIALECT,
      blankLines: [],
      importedAt: now
    })
  const mediaId = mediaTable.insert({
    source_id: sourceId,
    rel_path: media.relPath,
    stem: media.stem,
    kind: media.kind,
    size_bytes: media.sizeBytes,
    mtime_ms: media.mtimeMs,
    frames: media.probe.frames,
    fps: media.probe.fps,
    width: media.probe.width,
    height: media.probe.height,
    duration_s: media.probe.durationS,
    codec: media.probe.codec,
    error: null,
    sha256: media.sha256
  })
  const entryId = entries.insert({
    source_id: sourceId,
    row_no: null,
    line: null,
    sort_key: entries.maxSortKey(sourceId) + 1,
    raw_record: null,
    edited: 1,
    cells: JSON.stringify(cells),
    ...deriveColumns(cells).columns,
    media_id: mediaId,
    media_status: 'linked',
    updated_at: now
  })
  return { sourceId, entryId, mediaId }
}
