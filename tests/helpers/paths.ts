import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const REPO_ROOT = resolve(__dirname, '../..')
/** The real dataset copy that CI lays beside the checkout. */
export const SHARED_DATASET = resolve(REPO_ROOT, '../shared/lus-dataset')
export const SHARED_CSV = join(SHARED_DATASET, 'dataset_metadata.csv')
export const SHARED_DICOM = resolve(REPO_ROOT, '../shared/dicom')

export function tempDir(prefix = 'lus-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}
