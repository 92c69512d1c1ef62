/**
 * Step one of an import: read. Finds the dataset folder, reads, checks and
 * normalizes its CSV, and looks up what an earlier import of the same folder
 * left (its source, its probed files). Writes nothing, so a CSV refused here
 * leaves the catalog untouched; a CSV changed since its import is refused
 * rather than overwrite the edits made on its entries.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import type { MediaRow } from '../catalog/catalogRows'
import type { CatalogDb } from '../catalog/database'
import { deriveColumns } from '../catalog/entryColumns'
import { SourcesTable } from '../catalog/sourcesTable'
import { MediaTable } from '../catalog/mediaTable'
import { UserError } from '../errors'
import { CSV_FILE_NAME, parseDatasetCsv, type ParsedCsv } from './csvCodec'
import { sha256Bytes } from '../media/contentHash'

/** What the read step hands to the thread that probes. */
export interface PreparedSummary {
  existingSourceId: number | null
  /** The files of an earlier import of the folder: unchanged ones keep their probe results. */
  known: MediaRow[]
}

/** Everything the write step needs from the read step; it stays in the thread that read it. */
export interface PreparedImport extends PreparedSummary {
  root: string
  csv: ParsedCsv
  csvSha: string
  /** deriveColumns of each record, computed once for the warnings and the rows written. */
  derived: ReturnType<typeof deriveColumns>[]
}

/** The folder's real path, once it is known to be a dataset folder. */
export function resolveDatasetFolder(folder: string): string {
  if (!isAbsolute(folder)) throw new UserError('bad_input', `Give the dataset folder as an absolute path (got "${folder}").`)
  if (!existsSync(folder)) throw new UserError('bad_input', `The folder ${folder} does not exist.`)
  const root = realpathSync(folder)
  if (!statSync(root).isDirectory()) throw new UserError('bad_input', `${folder} is a file, not a dataset folder.`)
  if (!existsSync(join(root, CSV_FILE_NAME)))
    throw new UserError(
      'bad_input',
      `${folder} is not a dataset folder: ${CSV_FILE_NAME} was not found in it. A dataset folder holds ${CSV_FILE_NAME}, pocus_videos/ and pocus_images/.`
    )
  return root
}

/** Reads, checks and normalizes the CSV; refuses a CSV changed since its import. No write. */
export function readImport(db: CatalogDb, root: string): PreparedImport {
  const csvPath = join(root, CSV_FILE_NAME)
  let csvBytes: Buffer
  try {
    csvBytes = readFileSync(csvPath)
  } catch (e) {
    throw new UserError('bad_input', `Cannot read ${csvPath}: ${(e as Error).message}`)
  }
  const csv = parseDatasetCsv(csvBytes, csvPath)
  const csvSha = sha256Bytes(csvBytes)

  const existingSource = new SourcesTable(db).byRoot(root)
  if (existingSource && existingSource.csv_sha256 !== csvSha) {
    throw new UserError(
      'conflict',
      `${csvPath} changed since it was imported on ${existingSource.imported_at}. Re-importing would replace the catalog's entries and any edits made in the app; export the catalog's CSV first, or import into a new catalog.`
    )
  }
  const known = existingSource ? new MediaTable(db).ofSource(existingSource.id) : []
  return { root, csv, csvSha, derived: csv.records.map((r) => deriveColumns(r.cells)), existingSourceId: existingSource?.id ?? null, known }
}
