import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { catalogTables } from '../../../src/main/catalog/catalogTables'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { readImport, resolveDatasetFolder } from '../../../src/main/dataset/importRead'
import { UserError } from '../../../src/main/errors'
import { csvText, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'
import { mediaRow } from '../catalog/tableFixtures'

let dir: ReturnType<typeof tempDir>
let db: CatalogDb
let root: string
beforeEach(() => {
  dir = tempDir()
  db = openCatalog(join(dir.path, 'catalog.db'))
  root = join(dir.path, 'ds')
  makeFolder(root)
})
afterEach(() => {
  db.close()
  dir.cleanup()
})

function makeFolder(folder: string): void {
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'dataset_metadata.csv'), csvText([row('a'), row('b', { Label: 'no such label' })]))
}

describe('the read step of an import', () => {
  it('refuses what is not a dataset folder, naming it', () => {
    expect(() => resolveDatasetFolder('relative/path')).toThrow(/absolute path/)
    expect(() => resolveDatasetFolder(join(dir.path, 'missing'))).toThrow(/does not exist/)
    expect(() => resolveDatasetFolder(dir.path)).toThrow(/dataset_metadata\.csv was not found/)
    expect(resolveDatasetFolder(root)).toBe(root)
  })

  it('reads and normalizes every record, and writes nothing', () => {
    const prepared = readImport(db, root)
    expect(prepared.csv.records.map((r) => r.cells[0] !== undefined)).toEqual([true, true])
    expect(prepared.derived.map((d) => d.columns.filename)).toEqual(['a', 'b'])
    expect(prepared.derived[1]!.warnings.length).toBeGreaterThan(0)
    expect(prepared.csvSha).toMatch(/^[0-9a-f]{64}$/)
    expect(prepared).toMatchObject({ existingSourceId: null, known: [] })
    expect(catalogTables(db).sources.first()).toBeUndefined()
  })

  it('hands back the earlier import’s source and files, and refuses a CSV changed since', () => {
    const tables = catalogTables(db)
    const first = readImport(db, root)
    const sourceId = tables.sources.insert({
      root,
      csvName: 'dataset_metadata.csv',
      csvSha256: first.csvSha,
      headerRaw: first.csv.headerRaw,
      dialect: first.csv.dialect,
      blankLines: [],
      importedAt: '2026-01-01'
    })
    tables.media.insert(mediaRow(sourceId, 'pocus_videos/convex/a.mp4'))
    const again = readImport(db, root)
    expect(again.existingSourceId).toBe(sourceId)
    expect(again.known.map((m) => m.rel_path)).toEqual(['pocus_videos/convex/a.mp4'])

    writeFileSync(join(root, 'dataset_metadata.csv'), csvText([row('a')]))
    const error = (() => {
      try {
        readImport(db, root)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toMatch(/changed since it was imported on 2026-01-01/)
  })
})
