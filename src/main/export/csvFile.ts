/**
 * Writing an exported dataset_metadata.csv to a file the user named, the
 * same way from the API (dataset/exportCsv with outPath) and the command
 * line (export-csv): never onto an imported dataset's own CSV, never
 * through a symbolic link, atomically (fs/exportTarget.ts).
 */
import { join } from 'node:path'
import { CatalogRepository } from '../catalog/catalogRepository'
import type { CatalogDb } from '../catalog/database'
import { CSV_FILE_NAME } from '../dataset/datasetImport'
import { writeFileAtomic } from '../fs/atomicWrite'
import { exportTarget } from '../fs/exportTarget'

/** The CSV files of the catalog's imported datasets: an export must never replace one. */
export function sourceCsvFiles(db: CatalogDb): string[] {
  return new CatalogRepository(db).sources().map((s) => join(s.root, CSV_FILE_NAME))
}

/** Writes `bytes` to `outPath` (absolute, .csv); returns the path written. */
export function writeCsvExport(outPath: string, bytes: Buffer, sourceCsvs: readonly string[]): string {
  const target = exportTarget(outPath, {
    extension: '.csv',
    noun: 'output file',
    protect: sourceCsvs.map((path) => ({
      path,
      message: `${outPath} is the imported dataset's own CSV; export to another file and replace it yourself once checked.`
    }))
  })
  writeFileAtomic(target, bytes)
  return target
}
