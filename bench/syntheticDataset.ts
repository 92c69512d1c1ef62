/**
 * A synthetic dataset folder of N rows, made from the real CSV's records with
 * new file names, for measuring the catalog at scale (no media files).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDatasetCsv, serializeRecord, writeDatasetCsv } from '../src/main/dataset/csvCodec'
import { columnIndex } from '../src/main/dataset/normalize'

export function writeSyntheticDataset(root: string, templateCsv: string, rows: number): void {
  const template = parseDatasetCsv(readFileSync(templateCsv))
  const filename = columnIndex('Filename')
  mkdirSync(root, { recursive: true })
  function* records(): Generator<string> {
    for (let i = 0; i < rows; i++) {
      const cells = [...template.records[i % template.records.length]!.cells]
      cells[filename] = `${cells[filename]}_synthetic_${i}`
      yield serializeRecord(cells)
    }
  }
  writeFileSync(join(root, 'dataset_metadata.csv'), writeDatasetCsv({ dialect: template.dialect, headerRaw: template.headerRaw, records: records() }))
}
