import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { createClassifierHandlers } from '../../../src/main/classifier/handlers'
import { classifierContract } from '../../../src/shared/classifierContract'
import { UserError } from '../../../src/main/errors'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'
import { MODEL_FINDINGS } from '../../../src/shared/classifierPreprocess'
import { FIXTURES, openClassifierCatalog, SHIPPED_MODEL } from './helpers'

const dir = tempDir('lus-classifier-')
let db: CatalogDb

const entriesSnapshot = (): string => JSON.stringify(db.prepare('SELECT * FROM entries ORDER BY id').all())

beforeAll(async () => {
  const root = join(dir.path, 'dataset')
  makeDataset(
    root,
    [
      row('Cov_a', { 'Patient ID / Name': '1' }),
      row('Pneu_b', { Label: 'Bacterial pneumonia', 'Patient ID / Name': '2' }),
      row('Reg_c', { Label: 'regular', 'Patient ID / Name': '3' }),
      row('Reg_broken', { Label: 'regular', 'Patient ID / Name': '4' }),
      row('Cov_nomedia', { 'Patient ID / Name': '5' })
    ],
    {
      'pocus_videos/convex/Cov_a.mp4': 'clip',
      'pocus_videos/convex/Pneu_b.mp4': 'clip',
      'pocus_videos/convex/Reg_c.mp4': 'clip',
      'pocus_videos/convex/Reg_broken.mp4': 'garbage'
    }
  )
  db = openClassifierCatalog(join(dir.path, 'catalog.db'))
  await importDataset(db, root)
})
afterAll(() => {
  db.close()
  dir.cleanup()
})

describe('classifier API over a catalog', () => {
  it('pre-labels every clip, stores the predictions, records why a clip has none, and never touches the entries', async () => {
    const { handlers, close } = createClassifierHandlers({ db, modelPath: SHIPPED_MODEL })
    try {
      const info = await handlers['classifier/modelInfo']({})
      expect(classifierContract['classifier/modelInfo'].result.parse(info).available).toBe(true)
      const before = entriesSnapshot()
      const { jobId } = await handlers['classifier/prelabel']({})
      const done = await waitForJob(handlers, jobId)
      expect(done.state).toBe('done')
      expect(classifierContract['classifier/job'].result.parse(done).result?.kind).toBe('prelabel')
      const report = done.result!.kind === 'prelabel' ? done.result!.report : null
      expect(report).toMatchObject({ considered: 4, predicted: 3, failed: 1, skipped: 0, cancelled: false })
      expect(report!.failures[0]!.filename).toBe('Reg_broken')
      expect(entriesSnapshot()).toBe(before) // expert labels untouched

      const { predictions } = await handlers['classifier/predictions']({})
      expect(predictions).toHaveLength(4)
      const ok = predictions.filter((p) => p.status === 'ok')
      for (const p of ok) {
        const sum = Object.values(p.probabilities!).reduce((a, b) => a + b, 0)
        expect(sum).toBeCloseTo(1, 4)
        expect(p.framesUsed).toBeGreaterThan(0)
        expect(p.entropy).toBeGreaterThanOrEqual(0)
      }
      const failed = predictions.find((p) => p.status === 'failed')!
      expect(failed.reason).toMatch(/no decodable frames/)
      expect(failed.framesUsed).toBe(0)

      const { entries } = await handlers['classifier/summaries']({})
      classifierContract['classifier/summaries'].result.parse({ modelSha256: info.model!.sha256, entries })
      for (const s of entries.filter((e) => e.status === 'ok')) expect(s.disagrees).toBe(s.predicted !== s.expertClass)
      expect(entries.find((e) => e.status === 'failed')!.disagrees).toBeNull()

      // Again: nothing to do unless forced.
      const again = await waitForJob(handlers, (await handlers['classifier/prelabel']({})).jobId)
      expect(again.result!.kind === 'prelabel' && again.result!.report.skipped).toBe(4)
      const forced = await waitForJob(handlers, (await handlers['classifier/prelabel']({ force: true, entryIds: [ok[0]!.entryId] })).jobId)
      expect(forced.result!.kind === 'prelabel' && forced.result!.report.predicted).toBe(1)
    } finally {
      await close()
    }
  })

  it('says where the time went: decoding (overlapping the model), the wait for it, the model and storing', async () => {
    const { handlers, close } = createClassifierHandlers({ db, modelPath: SHIPPED_MODEL })
    try {
      const done = await waitForJob(handlers, (await handlers['classifier/prelabel']({ force: true })).jobId)
      const report = done.result!.kind === 'prelabel' ? done.result!.report : null
      const t = report!.timing
      expect(t.modelMs).toBeGreaterThan(0)
      expect(t.decodeMs).toBeGreaterThan(0)
      // The model cannot wait for decoding longer than decoding took, nor run longer than the whole job.
      expect(t.decodeWaitMs).toBeLessThanOrEqual(t.decodeMs + 1)
      expect(t.modelMs + t.decodeWaitMs + t.storeMs).toBeLessThanOrEqual(report!.durationMs + 2)
    } finally {
      await close()
    }
  })

  it('stores and reports the expert findings of a model with a findings head', async () => {
    const modelPath = join(dir.path, 'with-findings.onnx')
    copyFileSync(join(FIXTURES, 'with-findings.onnx'), modelPath)
    const { handlers, close } = createClassifierHandlers({ db, modelPath })
    try {
      const info = classifierContract['classifier/modelInfo'].result.parse(await handlers['classifier/modelInfo']({}))
      expect(info.model!.findings).toEqual([...MODEL_FINDINGS])
      await waitForJob(handlers, (await handlers['classifier/prelabel']({})).jobId)
      const { predictions } = classifierContract['classifier/predictions'].result.parse(await handlers['classifier/predictions']({}))
      for (const p of predictions.filter((x) => x.status === 'ok')) {
        expect(p.findings!.map((f) => f.name)).toEqual([...MODEL_FINDINGS])
        for (const f of p.findings!) expect(f.probability).toBeGreaterThan(0)
      }
      expect(predictions.find((x) => x.status === 'failed')!.findings).toBeNull()
    } finally {
      await close()
    }
  })

  it('cancels a running pre-labelling job', async () => {
    const { handlers, close } = createClassifierHandlers({ db, modelPath: SHIPPED_MODEL })
    try {
      const { jobId } = await handlers['classifier/prelabel']({ force: true })
      const view = await handlers['classifier/cancel']({ jobId })
      expect(['running', 'cancelled']).toContain(view.state)
      const done = await waitForJob(handlers, jobId)
      expect(done.state).toBe('cancelled')
    } finally {
      await close()
    }
  })

  it('without a usable model the app keeps working: info says why, reads answer, pre-labelling is refused', async () => {
    const { handlers, close } = createClassifierHandlers({ db, modelPath: join(dir.path, 'no-such-model.onnx') })
    try {
      const info = await handlers['classifier/modelInfo']({})
      expect(info.available).toBe(false)
      expect(info.error).toMatch(/was not found/)
      await expect(handlers['classifier/prelabel']({})).rejects.toBeInstanceOf(UserError)
      expect((await handlers['classifier/summaries']({})).entries).toEqual([])
      // Predictions stored earlier by a model are still readable by its hash.
      const any = await handlers['classifier/prediction']({ entryId: 1 })
      expect(any.prediction?.entryId).toBe(1)
    } finally {
      await close()
    }
  })

  it('splits by patient through the API and refuses nonsense', async () => {
    const { handlers, close } = createClassifierHandlers({ db, modelPath: SHIPPED_MODEL })
    try {
      const out = join(dir.path, 'split')
      const res = await handlers['classifier/split']({ folds: 2, seed: 3, outDir: out })
      expect(res.assignments).toHaveLength(4)
      expect(res.files.map((f) => f.slice(out.length + 1)).sort()).toEqual(['cross_val.json', 'folds.csv'])
      await expect(handlers['classifier/split']({ folds: 9, seed: 3 })).rejects.toThrow(/cannot fill 9 folds/)
      await expect(handlers['classifier/split']({ folds: 2, seed: 3, outDir: 'relative' })).rejects.toThrow(/absolute path/)
      expect(classifierContract['classifier/split'].args.safeParse({ folds: 5, seed: 1, extra: true }).success).toBe(false)
    } finally {
      await close()
    }
  })
})

async function waitForJob(handlers: ReturnType<typeof createClassifierHandlers>['handlers'], jobId: string) {
  for (;;) {
    const j = await handlers['classifier/job']({ jobId })
    if (j.state !== 'running') return j
    await new Promise((r) => setTimeout(r, 50))
  }
}
