import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { parseDatasetCsv } from '../../../src/main/dataset/csvCodec'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { UserError } from '../../../src/main/errors'
import { exportCsv } from '../../../src/main/export/csvExport'
import { makeDataset, row } from '../../helpers/fixtures'
import { SHARED_CSV, SHARED_DATASET, tempDir } from '../../helpers/paths'

const original = readFileSync(SHARED_CSV)
const originalRecords = parseDatasetCsv(original).records

describe('CSV export after edits', () => {
  let dir: ReturnType<typeof tempDir>
  let db: CatalogDb
  let repo: CatalogRepository
  // Probing is irrelevant here: a stub keeps the test about the CSV.
  const probe = async () => ({ frames: 1, fps: null, width: 1, height: 1, durationS: null, codec: 'stub' })

  beforeAll(async () => {
    dir = tempDir()
    db = openCatalog(join(dir.path, 'c.db'))
    repo = new CatalogRepository(db)
    await importDataset(db, SHARED_DATASET, { probe })
  })
  afterAll(() => {
    db.close()
    dir.cleanup()
  })

  it('changes only the edited record, and only the edited cell in it', () => {
    const target = repo.list().find((e) => e.filename === 'Pneu_northumbria_0409_set1_vid1')!
    const detail = repo.update(target.id, { 'B-lines': '1', 'Comments first medical doctor (MD1)': 'B-lines, small effusion' })
    expect(detail.edited).toBe(true)
    expect(detail.normalized.pathologies['B-lines']).toBe('present')
    const out = parseDatasetCsv(exportCsv(db).bytes).records
    expect(out).toHaveLength(originalRecords.length)
    const changed = out.map((r, i) => (r.raw === originalRecords[i]!.raw ? -1 : i)).filter((i) => i >= 0)
    expect(changed).toEqual([target.row! - 1])
    const before = originalRecords[target.row! - 1]!.cells
    const after = out[target.row! - 1]!.cells
    const diffCols = after.map((c, i) => (c === before[i] ? -1 : i)).filter((i) => i >= 0)
    expect(diffCols.map((i) => after[i])).toEqual(['B-lines, small effusion', '1'])
  })

  it('keeps a multi-line cell intact when another cell of its record is edited', () => {
    const target = repo.list().find((e) => e.filename === 'Cov-Atlas-pleural')!
    const multiline = repo.get(target.id).cells.find((c) => c.includes('\n'))!
    repo.update(target.id, { Age: '61' })
    const rec = parseDatasetCsv(exportCsv(db).bytes).records[target.row! - 1]!
    expect(rec.cells).toContain(multiline)
    expect(rec.cells[22]).toBe('61')
  })

  it('an edit undone by hand makes the export byte-identical again', () => {
    for (const name of ['Pneu_northumbria_0409_set1_vid1', 'Cov-Atlas-pleural']) {
      const e = repo.list().find((x) => x.filename === name)!
      const orig = originalRecords[e.row! - 1]!.cells
      const d = repo.update(e.id, { 'B-lines': orig[30]!, 'Comments first medical doctor (MD1)': orig[15]!, Age: orig[22]! })
      expect(d.edited).toBe(false)
    }
    expect(exportCsv(db).bytes.equals(original)).toBe(true)
  })

  it('refuses to update an entry that does not exist, and an unknown column', () => {
    expect(() => repo.update(999_999, { Age: '1' })).toThrow(UserError)
    const e = repo.list()[0]!
    expect(() => repo.update(e.id, { Nonsense: 'x' } as never)).toThrow(/Unknown CSV column "Nonsense"/)
    expect(exportCsv(db).bytes.equals(original)).toBe(true)
  })
})

describe('CSV export dialects', () => {
  it('keeps an LF file with a final newline in its dialect after an edit', async () => {
    const dir = tempDir()
    const root = join(dir.path, 'ds')
    makeDataset(root, [row('a'), row('b', { Title: 'x, y' })], {}, { delimiter: '\n', finalNewline: true })
    const db = openCatalog(join(dir.path, 'c.db'))
    await importDataset(db, root)
    const repo = new CatalogRepository(db)
    repo.update(repo.list()[0]!.id, { Title: 'new "title"' })
    const text = exportCsv(db).bytes.toString('utf8')
    expect(text.endsWith('\n')).toBe(true)
    expect(text.includes('\r')).toBe(false)
    expect(text.split('\n')[1]).toContain(',"new ""title""",')
    expect(text.split('\n')[2]).toContain(',"x, y",')
    db.close()
    dir.cleanup()
  })

  it('says the catalog is empty when there is nothing to export', () => {
    const dir = tempDir()
    const db = openCatalog(join(dir.path, 'c.db'))
    expect(() => exportCsv(db)).toThrow(/catalog is empty/)
    db.close()
    dir.cleanup()
  })
})
