/**
 * The training manifest's extra targets (the experts' findings per clip) and the
 * dataset's name in the card: what trainPipeline.ts hands to training/train.py.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openCatalog } from '../../../src/main/catalog/database'
import { PATHOLOGIES } from '../../../src/shared/vocabulary'
import { FINDINGS, clipFindings, datasetName, findingsByEntry } from '../../../src/main/classifier/trainPipeline'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { makeDataset, row } from '../../helpers/fixtures'
import { REPO_ROOT, tempDir } from '../../helpers/paths'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))
function temp(): string {
  const t = tempDir('lus-train-pipeline-')
  cleanups.push(t.cleanup)
  return t.path
}

describe('findings in the training manifest', () => {
  it('are the six expert findings of the CSV, without the Healthy column (the class itself)', () => {
    expect(FINDINGS).toEqual(['Effusion', 'Consolidations', 'B-lines', 'A-lines', 'Pleural line irregularities', 'Air bronchogram'])
    expect([...FINDINGS]).toEqual(PATHOLOGIES.filter((p) => p !== 'Healthy'))
  })

  it('map present / absent / not assessed to present / absent / unknown', () => {
    expect(
      clipFindings({
        pathologies: { Effusion: 'present', Consolidations: 'absent', 'B-lines': 'not_assessed', 'A-lines': 'absent', Healthy: 'present' }
      })
    ).toEqual({
      Effusion: 'present',
      Consolidations: 'absent',
      'B-lines': 'unknown',
      'A-lines': 'absent',
      'Pleural line irregularities': 'unknown',
      'Air bronchogram': 'unknown'
    })
  })

  it("are read from the catalog's normalized fields of an imported CSV", async () => {
    const root = join(temp(), 'ds')
    makeDataset(
      root,
      [
        row('Cov-a', { 'B-lines': '1', 'Pleural line irregularities': '1', 'A-lines': '0', Effusion: '0', Consolidations: '0', 'Air bronchogram': '0' }),
        row('Reg-b', { Label: 'regular', 'A-lines': '1', 'B-lines': '0' }),
        row('Pne-c', { Label: 'Bacterial pneumonia', Consolidations: ' 1 ', Effusion: 'x' })
      ],
      { 'pocus_videos/convex/Cov-a.mp4': 'clip', 'pocus_videos/convex/Reg-b.mp4': 'clip', 'pocus_videos/convex/Pne-c.mp4': 'clip' }
    )
    const db = openCatalog(join(temp(), 'catalog.db'))
    try {
      await importDataset(db, root)
      const ids = new Map(db.prepare<[], { id: number; filename: string }>('SELECT id, filename FROM entries').all().map((r) => [r.filename, r.id]))
      const byEntry = findingsByEntry(db)
      expect(byEntry.get(ids.get('Cov-a')!)).toEqual({
        Effusion: 'absent',
        Consolidations: 'absent',
        'B-lines': 'present',
        'A-lines': 'absent',
        'Pleural line irregularities': 'present',
        'Air bronchogram': 'absent'
      })
      expect(byEntry.get(ids.get('Reg-b')!)).toMatchObject({ 'A-lines': 'present', 'B-lines': 'absent', Effusion: 'unknown' })
      // A cell that is neither 1, 0 nor empty is not guessed at: the loss masks it.
      expect(byEntry.get(ids.get('Pne-c')!)).toMatchObject({ Consolidations: 'present', Effusion: 'unknown' })
    } finally {
      db.close()
    }
  })
})

describe('the dataset in the card', () => {
  it("is named by its README's title, not by a path on the build machine", () => {
    const root = join(temp(), 'some', 'build-machine', 'lus-dataset')
    mkdirSync(root, { recursive: true })
    writeFileSync(join(root, 'README.md'), '<!-- x -->\n# COVID-19 Lung ultrasound dataset\n\nWe build a dataset ...\n## Size\n')
    expect(datasetName(root)).toBe('COVID-19 Lung ultrasound dataset')
  })

  it("falls back to the folder's name without a README title", () => {
    const root = join(temp(), 'deep', 'lus-dataset')
    mkdirSync(root, { recursive: true })
    expect(datasetName(root)).toBe('lus-dataset')
    writeFileSync(join(root, 'README.md'), 'no heading here\n')
    expect(datasetName(root)).toBe('lus-dataset')
  })

  it('the shipped card (JSON and Markdown) names it and its CSV hash, and no build-machine path', () => {
    const dir = join(REPO_ROOT, 'resources', 'models')
    const card = JSON.parse(readFileSync(join(dir, 'lusnet.card.json'), 'utf8')) as { data: { dataset: string; csvSha256: string } }
    expect(card.data.csvSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(isAbsolute(card.data.dataset)).toBe(false)
    expect(card.data.dataset).not.toContain('/')
    const md = readFileSync(join(dir, 'lusnet.card.md'), 'utf8')
    expect(md).toContain(`Dataset: \`${card.data.dataset}\` (CSV SHA-256 \`${card.data.csvSha256}\`)`)
    expect(md).not.toMatch(/\/(work|home|tmp|Users)\//)
  })
})
