/**
 * `lus-review export-csv` writes through the export-file policy the API uses
 * (src/main/export/csvFile.ts): never onto an imported dataset's own CSV,
 * never through a symbolic link; a refusal exits 1 and changes nothing.
 */
import { readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCatalog } from '../../../src/main/catalog/database'
import { main } from '../../../src/main/cli/program'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { closeLogging } from '../../../src/main/log/logger'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

let dir: ReturnType<typeof tempDir>
let catalog: string
let datasetCsv: string
const envBefore = { home: process.env.LUS_REVIEW_HOME, logs: process.env.LUS_REVIEW_LOG_DIR }

beforeAll(async () => {
  dir = tempDir('lus-cli-export-')
  process.env.LUS_REVIEW_HOME = join(dir.path, 'home')
  process.env.LUS_REVIEW_LOG_DIR = join(dir.path, 'logs')
  const folder = join(dir.path, 'dataset')
  makeDataset(folder, [row('Cov_a', { Title: 'first' }), row('Cov_b')], {})
  datasetCsv = join(folder, 'dataset_metadata.csv')
  catalog = join(dir.path, 'catalog.db')
  const db = openCatalog(catalog)
  await importDataset(db, folder)
  db.close()
})
afterAll(async () => {
  await closeLogging()
  for (const [key, value] of [
    ['LUS_REVIEW_HOME', envBefore.home],
    ['LUS_REVIEW_LOG_DIR', envBefore.logs]
  ] as const)
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  dir.cleanup()
})

async function exportCsv(out: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out_: string[] = []
  const err: string[] = []
  const code = await main(['export-csv', out, '--catalog', catalog], join(dir.path, 'renderer'), { log: (l) => out_.push(l), error: (l) => err.push(l) })
  return { code, out: out_, err }
}

describe('lus-review export-csv', () => {
  it('writes the export to a file of its own', async () => {
    const out = join(dir.path, 'out.csv')
    const r = await exportCsv(out)
    expect(r.err).toEqual([])
    expect(r.code).toBe(0)
    expect(readFileSync(out).equals(readFileSync(datasetCsv))).toBe(true)
  })

  it("refuses the dataset's own CSV with exit 1, leaving it as it was", async () => {
    const before = readFileSync(datasetCsv)
    const r = await exportCsv(datasetCsv)
    expect(r.code).toBe(1)
    expect(r.err.join('\n')).toMatch(/is the imported dataset's own CSV/)
    expect(readFileSync(datasetCsv).equals(before)).toBe(true)
  })

  it('refuses a symbolic link (here to the dataset CSV) with exit 1', async () => {
    const link = join(dir.path, 'link.csv')
    symlinkSync(datasetCsv, link)
    const before = readFileSync(datasetCsv)
    const r = await exportCsv(link)
    expect(r.code).toBe(1)
    expect(r.err.join('\n')).toMatch(/symbolic link|own CSV/)
    expect(readFileSync(datasetCsv).equals(before)).toBe(true)
  })
})
