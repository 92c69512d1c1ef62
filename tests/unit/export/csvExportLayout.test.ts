/**
 * The export of an unedited import is the source CSV byte for byte, blank
 * lines included; and formula neutralisation catches formulas behind
 * leading spaces (ASCII and Unicode) and in fullwidth forms, without
 * touching a real cell that merely starts with a space.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { parseDatasetCsv } from '../../../src/main/dataset/csvCodec'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { exportCsv } from '../../../src/main/export/csvExport'
import { isFormulaLike, neutralizeFormula } from '../../../src/shared/spreadsheetFormula'
import { CSV_COLUMNS } from '../../../src/shared/vocabulary'
import { csvText, makeClip, row } from '../../helpers/fixtures'
import { SHARED_CSV, tempDir } from '../../helpers/paths'

const probe = async () => ({ frames: 1, fps: null, width: 1, height: 1, durationS: null, codec: 'stub' })

let dir: ReturnType<typeof tempDir>
let db: CatalogDb
beforeEach(() => {
  dir = tempDir('lus-export-layout-')
  db = openCatalog(join(dir.path, 'c.db'))
})
afterEach(() => {
  db.close()
  dir.cleanup()
})

/** A dataset folder holding only `csv`, imported; returns the folder. */
async function importCsv(csv: Buffer | string, name = 'ds'): Promise<string> {
  const root = join(dir.path, name)
  mkdirSync(root, { recursive: true })
  writeFileSync(join(root, 'dataset_metadata.csv'), csv)
  await importDataset(db, root, { probe })
  return root
}

const lines = (d: string): string[] => csvText([row('clip-a'), row('clip-b'), row('clip-c')], { delimiter: d }).split(d)

describe('an unedited export is the source byte for byte, blank lines included', () => {
  const layouts: [string, (d: string) => string][] = [
    ['a blank line between two records', (d) => { const [h, a, b, c] = lines(d); return [h, a, '', b, c].join(d) }],
    ['a second trailing newline', (d) => lines(d).join(d) + d + d],
    ['several blank lines, before the first record and at the end', (d) => { const [h, a, b, c] = lines(d); return [h, '', '', a, b, '', c, '', ''].join(d) + d }]
  ]
  for (const d of ['\r\n', '\n', '\r']) {
    for (const [what, make] of layouts) {
      it(`${what} (${JSON.stringify(d)})`, async () => {
        const source = Buffer.from(make(d))
        await importCsv(source)
        const out = exportCsv(db)
        expect(out.bytes.equals(source), `${JSON.stringify(out.bytes.toString())}\n!=\n${JSON.stringify(make(d))}`).toBe(true)
        expect(out.rows).toBe(3)
      })
    }
  }

  it('also when the import reads and writes in its worker thread', async () => {
    const [h, a, b, c] = lines('\r\n')
    const source = Buffer.from([h, a, '', b, c].join('\r\n') + '\r\n\r\n')
    const root = join(dir.path, 'worker')
    mkdirSync(root)
    writeFileSync(join(root, 'dataset_metadata.csv'), source)
    await importDataset(db, root, { probe, offThread: true })
    expect(exportCsv(db).bytes.equals(source)).toBe(true)
  })

  it('a source imported before catalog version 7 (its blank lines dropped) gets them back by re-importing the unchanged folder', async () => {
    const [h, a, b, c] = lines('\n')
    const source = Buffer.from([h, a, '', b, c].join('\n') + '\n\n')
    const root = await importCsv(source)
    db.prepare("UPDATE sources SET blank_lines = '[]'").run()
    expect(exportCsv(db).bytes.length).toBe(source.length - 2)
    await importDataset(db, root, { probe })
    expect(exportCsv(db).bytes.equals(source)).toBe(true)
  })

  it('with a UTF-8 byte-order mark', async () => {
    const source = Buffer.from('\ufeff' + lines('\r\n').join('\r\n\r\n') + '\r\n\r\n')
    await importCsv(source)
    expect(exportCsv(db).bytes.equals(source)).toBe(true)
  })

  it('an edited record keeps the blank lines around it; only its own text changes', async () => {
    const [h, a, b, c] = lines('\r\n')
    await importCsv([h, a, '', b, '', c].join('\r\n') + '\r\n\r\n')
    const repo = new CatalogRepository(db)
    const target = repo.list().find((e) => e.filename === 'clip-b')!
    repo.update(target.id, { Title: 'edited' })
    const b2 = csvText([row('clip-b', { Title: 'edited' })]).split('\r\n')[1]!
    expect(exportCsv(db).bytes.toString()).toBe([h, a, '', b2, '', c].join('\r\n') + '\r\n\r\n')
  })

  it('entries added for orphan media come after the last record; the trailing blank lines still end the file', async () => {
    const root = join(dir.path, 'orphans')
    makeClip(join(root, 'pocus_videos/convex/extra.mp4'), { frames: 2 })
    const [h, a] = lines('\n')
    writeFileSync(join(root, 'dataset_metadata.csv'), [h, a].join('\n') + '\n\n')
    await importDataset(db, root, { probe, includeOrphans: true })
    const text = exportCsv(db).bytes.toString()
    const head = [h, a].join('\n') + '\n'
    expect(text.startsWith(head)).toBe(true)
    // The orphan's record, then the source's blank line and final newline.
    const orphan = text.slice(head.length, -2)
    expect(orphan).not.toMatch(/\n/)
    expect(parseDatasetCsv(Buffer.from([h, orphan].join('\n'))).records[0]!.cells[CSV_COLUMNS.indexOf('Filename')]).toBe('extra')
    expect(text.slice(-2)).toBe('\n\n')
  })

  it('the real dataset (375 rows): an import of the CSV exports it unchanged', async () => {
    const root = join(dir.path, 'real')
    mkdirSync(root)
    copyFileSync(SHARED_CSV, join(root, 'dataset_metadata.csv'))
    await importDataset(db, root, { probe })
    const out = exportCsv(db)
    expect(out.rows).toBe(375)
    expect(out.neutralizedCells).toBe(0)
    expect(out.bytes.equals(readFileSync(SHARED_CSV))).toBe(true)
  })
})

describe('formula neutralisation behind spaces and in fullwidth forms', () => {
  const formulas = [
    ' =1+1',
    '   =HYPERLINK("http://x")',
    '\u00a0=1+1',
    '\u2003+cmd|calc',
    '\u3000@SUM(A1)',
    '\u200b=1+1',
    '\ufeff=1+1',
    '\u202f-2+3',
    '＝1+1',
    '＋cmd|calc',
    '＠SUM(A1)',
    '－2+3',
    ' ＝1+1',
    '=1+1',
    '\t=1',
    '\r=1'
  ]
  const data = ['', ' ', ' Chest ultrasound', '\nWith the probe', '-', '-5', ' -5', '-2.5', '－5', 'a=1', 'e-mail', ' text = more']
  it('flags each formula, and no data', () => {
    for (const f of formulas) expect(isFormulaLike(f), JSON.stringify(f)).toBe(true)
    for (const d of data) expect(isFormulaLike(d), JSON.stringify(d)).toBe(false)
    expect(neutralizeFormula(' =1+1')).toBe("' =1+1")
    expect(neutralizeFormula('＝1+1')).toBe("'＝1+1")
  })

  it('an unedited record carrying such a cell is exported with it neutralised; a cell that only starts with a space is not', async () => {
    await importCsv(
      csvText([
        row('clip-a', { Title: ' =1+1', 'Comments from web site': ' Chest ultrasound' }),
        row('clip-b', { Title: '\u00a0=1+1' }),
        row('clip-c', { Title: '＝1+1' })
      ])
    )
    const out = exportCsv(db)
    expect(out.neutralizedCells).toBe(3)
    const records = parseDatasetCsv(out.bytes).records
    const title = CSV_COLUMNS.indexOf('Title')
    expect(records.map((r) => r.cells[title])).toEqual(["' =1+1", "'\u00a0=1+1", "'＝1+1"])
    expect(records[0]!.cells[CSV_COLUMNS.indexOf('Comments from web site')]).toBe(' Chest ultrasound')
  })
})
