import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { runPredictCommand } from '../../../src/main/cli/predictCommand'
import { runSplitCommand } from '../../../src/main/cli/splitCommand'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'
import { MODEL_FINDINGS } from '../../../src/shared/classifierPreprocess'
import { FIXTURES, openClassifierCatalog, SHIPPED_MODEL } from './helpers'

const dir = tempDir('lus-classifier-cli-')
const catalog = join(dir.path, 'catalog.db')

beforeAll(async () => {
  const root = join(dir.path, 'dataset')
  makeDataset(
    root,
    [
      row('Cov_a', { 'Patient ID / Name': '1' }),
      row('Cov_a2', { 'Patient ID / Name': '1' }),
      row('Pneu_b', { Label: 'Bacterial pneumonia', 'Patient ID / Name': '2' }),
      row('Reg_c', { Label: 'regular' })
    ],
    {
      'pocus_videos/convex/Cov_a.mp4': 'clip',
      'pocus_videos/convex/Cov_a2.mp4': 'clip',
      'pocus_videos/convex/Pneu_b.mp4': 'clip',
      'pocus_videos/convex/Reg_c.mp4': 'clip'
    }
  )
  const db = openClassifierCatalog(catalog)
  await importDataset(db, root)
  db.close()
})
afterAll(() => dir.cleanup())

describe('lus-review split', () => {
  it('writes folds.csv, cross_val.json and the frame folders, says how entries were grouped, and runs the leakage check', async () => {
    const out = join(dir.path, 'split')
    const lines: string[] = []
    expect(await runSplitCommand(['--catalog', catalog, '--folds', '2', '--seed', '5', '--out', out, '--frames'], (l) => lines.push(l))).toBe(0)
    const csv = readFileSync(join(out, 'folds.csv'), 'utf8').trim().split('\n')
    expect(csv[0]).toBe('Filename,fold,label,group')
    expect(csv).toHaveLength(5)
    const folds = new Map(csv.slice(1).map((l) => [l.split(',')[0], l.split(',')[1]]))
    expect(folds.get('Cov_a')).toBe(folds.get('Cov_a2')) // one patient, one fold
    expect(lines.join('\n')).toMatch(/1 entries have no Patient ID and were grouped by Source ID \+ file-name stem: Reg_c/)
    expect(lines.join('\n')).toMatch(/Leakage check \(dHash of 4 clips\)/)
    // The four clips are the same test pattern: the check must see that (all near-duplicates).
    expect(lines.join('\n')).toMatch(/WARNING: .* \(fold \d\) ~ .* \(fold \d\)/)
    const frameDirs = readdirSync(out).filter((d) => d.startsWith('split')).sort()
    expect(frameDirs).toEqual(['split0', 'split1'])
    const covidFrames = frameDirs.flatMap((d) => (existsSync(join(out, d, 'covid')) ? readdirSync(join(out, d, 'covid')) : []))
    expect(covidFrames).toContain('Cov_a.mp4_frame0.jpg')
  })

  it('refuses a missing --out and bad numbers', async () => {
    await expect(runSplitCommand(['--catalog', catalog])).rejects.toThrow(/needs --out/)
    await expect(runSplitCommand(['--catalog', catalog, '--out', dir.path, '--folds', '1'])).rejects.toThrow(/--folds must be an integer from 2/)
  })
})

describe('lus-review predict', () => {
  it('--json prints one line per clip with probabilities, predicted class and frames used', async () => {
    const lines: string[] = []
    process.env.LUS_MODEL_PATH = SHIPPED_MODEL
    try {
      expect(await runPredictCommand(['--catalog', catalog, '--json'], (l) => lines.push(l))).toBe(0)
    } finally {
      delete process.env.LUS_MODEL_PATH
    }
    expect(lines).toHaveLength(4)
    for (const l of lines) {
      const r = JSON.parse(l) as { filename: string; ok: boolean; probabilities: Record<string, number>; predicted: string; framesUsed: number; findings: unknown }
      expect(r.ok).toBe(true)
      expect(r).toHaveProperty('findings')
      expect(Object.keys(r.probabilities)).toEqual(['covid', 'pneumonia', 'healthy', 'uninformative'])
      expect(['covid', 'pneumonia', 'healthy', 'uninformative']).toContain(r.predicted)
      expect(r.framesUsed).toBeGreaterThan(0)
    }
  })

  it('--json adds each clip\'s predicted findings for a model with a findings head, and says which are likely in text', async () => {
    const json: string[] = []
    const model = join(FIXTURES, 'with-findings.onnx')
    expect(await runPredictCommand(['--catalog', catalog, '--json', '--model', model], (l) => json.push(l))).toBe(0)
    expect(json).toHaveLength(4)
    for (const l of json) {
      const r = JSON.parse(l) as { findings: Record<string, number> | null }
      expect(Object.keys(r.findings!)).toEqual([...MODEL_FINDINGS])
      for (const v of Object.values(r.findings!)) expect(v).toBeGreaterThan(0)
    }
    const text: string[] = []
    expect(await runPredictCommand(['--catalog', catalog, '--model', model], (l) => text.push(l))).toBe(0)
    const clipLines = text.filter((l) => /^(Cov|Pneu|Reg)_/.test(l))
    expect(clipLines).toHaveLength(4)
    for (const l of clipLines) expect(l).toMatch(/; findings ≥ 0\.5: /)
  })

  it('a missing model is a clear error', async () => {
    await expect(runPredictCommand(['--catalog', catalog, '--model', join(dir.path, 'none.onnx')], () => {})).rejects.toThrow(/was not found/)
  })
})
