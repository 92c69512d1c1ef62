/**
 * Pulling a study or series from a PACS into the catalog: list its
 * instances (QIDO-RS), retrieve each (WADO-RS) into a private temporary
 * file, and import it like a DICOM file from disk (de-identified, one
 * transaction each). Instances that cannot be imported (no pixel data, an
 * unsupported syntax, already imported) are reported and skipped; the
 * others still arrive. Temporary files are removed whatever happens.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CatalogDb } from '../../catalog/database'
import { UserError } from '../../errors'
import { importDicomFile, type DicomImportOptions, type DicomImportReport } from '../dicomImport'
import type { DicomWebClient } from './dicomweb'

/** Series that hold no images: reports, presentation states, key objects. */
const NON_IMAGE_MODALITIES = new Set(['SR', 'PR', 'KO', 'DOC', 'REG', 'SEG', 'RWV'])

export interface PullResult {
  imports: DicomImportReport[]
  failures: { item: string; error: string }[]
}

export async function pullFromPacs(
  db: CatalogDb,
  client: DicomWebClient,
  target: { studyUid: string; seriesUid?: string },
  importOptions: Omit<DicomImportOptions, 'onProgress'>,
  onProgress: (p: { done: number; total: number; message: string }) => void = () => {}
): Promise<PullResult> {
  onProgress({ done: 0, total: 0, message: 'Listing instances' })
  const series = target.seriesUid
    ? [target.seriesUid]
    : (await client.searchSeries(target.studyUid)).filter((s) => !NON_IMAGE_MODALITIES.has((s.modality ?? '').toUpperCase())).map((s) => s.seriesUid)
  const instances: { series: string; sop: string }[] = []
  for (const s of series) for (const sop of await client.searchInstances(target.studyUid, s)) instances.push({ series: s, sop })
  if (instances.length === 0) throw new UserError('not_found', 'The PACS lists no image instances for that study or series.')

  const result: PullResult = { imports: [], failures: [] }
  const dir = mkdtempSync(join(tmpdir(), 'lus-pacs-'))
  try {
    for (let i = 0; i < instances.length; i++) {
      const { series: s, sop } = instances[i]!
      const label = `instance ${i + 1} of ${instances.length}`
      onProgress({ done: i, total: instances.length, message: `Retrieving ${label}` })
      // Named by position: a UID in a file name would outlive the import in error messages.
      const file = join(dir, `instance-${i + 1}.dcm`)
      try {
        writeFileSync(file, await client.retrieveInstance(target.studyUid, s, sop), { mode: 0o600 })
        onProgress({ done: i, total: instances.length, message: `Importing ${label}` })
        result.imports.push(await importDicomFile(db, file, importOptions))
      } catch (e) {
        if (!(e instanceof UserError)) throw e
        // A PACS that stops answering fails every later instance the same way: stop at the first.
        if (/cannot be reached|did not answer|refused/.test(e.message)) throw e
        result.failures.push({ item: label, error: e.message })
      } finally {
        rmSync(file, { force: true })
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  onProgress({ done: instances.length, total: instances.length, message: 'Done' })
  return result
}
