/**
 * Runs the hostile DICOM cases (dicomCases.ts): each is refused with its
 * message, and a failed import leaves the catalog and the contributions
 * folder as they were. The unaltered samples and a builder-made file are
 * then accepted, so the refusals are about what each case changed.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CatalogDb } from '../../src/main/catalog/database'
import { keysFromSecret } from '../../src/main/deid/keys'
import { UserError } from '../../src/main/errors'
import { importDicomFile } from '../../src/main/submission/dicomImport'
import { snapshotCatalog } from '../helpers/catalogSnapshot'
import { tempDir } from '../helpers/paths'
import { pattern, pixelModule, TS, writeDicom } from '../unit/dicom/dicomBuilder'
import { openSubmissionCatalog } from '../unit/submission/submissionCatalog'
import { dicomCases, US_PAL, XA_JPEG } from './dicomCases'

const keys = keysFromSecret(Buffer.alloc(32, 7))

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let catalogPath: string
beforeAll(() => {
  tmp = tempDir('lus-dicom-hostile-')
  catalogPath = join(tmp.path, 'catalog.db')
  db = openSubmissionCatalog(catalogPath)
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

function contributionFiles(): string[] {
  const root = join(tmp.path, 'contributions')
  if (!existsSync(root)) return []
  const out: string[] = []
  const walk = (d: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      if (n.isDirectory()) walk(join(d, n.name))
      else out.push(join(d, n.name))
    }
  }
  walk(root)
  return out.filter((f) => !f.endsWith('dataset_metadata.csv'))
}

describe('hostile DICOM files: refused with a clear message, nothing half-imported', () => {
  for (const c of dicomCases) {
    it(`${c.id}: ${c.description}`, async () => {
      const dir = join(tmp.path, c.id)
      mkdirSync(dir, { recursive: true })
      const file = c.build(dir)
      const before = snapshotCatalog(db)
      const filesBefore = contributionFiles()
      const started = performance.now()
      const outcome = await importDicomFile(db, file, { catalogPath, keys }).then(
        () => null,
        (e: unknown) => e
      )
      const ms = performance.now() - started
      expect(outcome).toBeInstanceOf(UserError)
      expect((outcome as Error).message).toMatch(c.expect)
      expect(snapshotCatalog(db)).toBe(before)
      expect(contributionFiles()).toEqual(filesBefore)
      if (c.withinMs !== undefined) expect(ms).toBeLessThan(c.withinMs)
      await c.alsoCheck?.(file)
    })
  }
})

describe('good DICOM files are accepted (so the refusals above are about what was changed)', () => {
  it('the unaltered RLE and JPEG samples, and a builder-made native file', async () => {
    const native = writeDicom(join(tmp.path, 'native.dcm'), {
      transferSyntax: TS.explicit,
      elements: pixelModule({ rows: 10, columns: 10, frames: 5, photometric: 'MONOCHROME2' }),
      pixels: pattern(500)
    })
    for (const file of [US_PAL, XA_JPEG, native]) {
      const before = snapshotCatalog(db)
      const r = await importDicomFile(db, file, { catalogPath, keys })
      expect(r.entryId).toBeGreaterThan(0)
      expect(snapshotCatalog(db)).not.toBe(before)
    }
    expect(contributionFiles().length).toBeGreaterThanOrEqual(6)
  })
})
