/**
 * Pre-labelling the catalog (docs/classifier.md), end to end: the filter
 * bar's Pre-label runs the model over every clip in main, with progress and
 * cancel; the stored predictions fill the table's Model column and drive the
 * filters (predicted class, model vs expert label) and the uncertainty sort;
 * the expert labels stay as they were. Every expectation about rows is worked
 * out from what the API stored, not written down beforehand.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { PredictionSummary } from '../../src/shared/classifierContract'
import { MODEL_CLASSES } from '../../src/shared/classifierPreprocess'
import type { EntrySummary } from '../../src/shared/contract'
import { expect, test } from './fixtures'
import type { CatalogPage } from './pages/CatalogPage'
import { CatalogPredictions } from './pages/CatalogPredictions'
import { ReviewPage } from './pages/ReviewPage'
import { callApi } from './support/api'
import { makeClipDataset, PRELABEL_CLIPS } from './support/classifier'
import { leaveAndStop, makeTempDir, runImport, startServe, type ServeInstance } from './support/serveProcess'

const REVIEWER = 'Pre-label E2E'
/** The label panel's keys: 1 COVID-19, 4 healthy (docs: README, "Reviewing a clip"). */
const KEY_FOR_OTHER_CLASS: Record<'covid' | 'pneumonia' | 'healthy', string> = { covid: '4', pneumonia: '4', healthy: '1' }

/** The Model cell's text for a stored prediction, as CatalogTable writes it (the call and its probability); `names` are the classes' display names. */
function cellText(s: PredictionSummary, names: Readonly<Record<string, string>>): string {
  if (s.status !== 'ok' || s.predicted === null) return 'failed'
  return `${names[s.predicted]} · ${Math.round((s.confidence ?? 0) * 100)} %${s.disagrees ? ' · ≠ label' : ''}`
}

const sorted = (names: readonly string[]): string[] => [...names].sort()

test('pre-labels the catalog from the filter bar: progress, cancel, stored predictions, filters and sort; expert labels untouched', async ({
  catalogPage,
  datasetDir,
  page
}, testInfo) => {
  test.setTimeout(240_000)
  const temp = await makeTempDir()
  let server: ServeInstance | null = null
  try {
    const folder = path.join(temp.dir, 'dataset')
    const sourceCsv = await makeClipDataset(datasetDir, folder, PRELABEL_CLIPS)
    const catalogPath = path.join(temp.dir, 'catalog.db')
    await runImport(folder, catalogPath)
    server = await startServe(catalogPath)
    const api = server

    const model = await callApi(api, 'classifier/modelInfo', {})
    expect(model.available, `the shipped model loads: ${model.error ?? ''}`).toBe(true)
    const { entries: before } = await callApi(api, 'catalog/list', {})
    expect(sorted(before.map((e) => e.filename))).toEqual(sorted(PRELABEL_CLIPS))
    expect(before.every((e) => e.mediaId !== null && e.mediaStatus === 'linked'), 'every clip linked').toBe(true)
    const byId = new Map<number, EntrySummary>(before.map((e) => [e.id, e]))
    const summaries = async (): Promise<PredictionSummary[]> => (await callApi(api, 'classifier/summaries', {})).entries
    expect(await summaries()).toEqual([])
    await callApi(api, 'settings/setUserName', { name: REVIEWER })

    await catalogPage.open(api.url)
    const controls = new CatalogPredictions(page)
    await catalogPage.expectShown(PRELABEL_CLIPS.length)
    await expect(controls.status).toHaveAttribute('data-state', 'idle')
    // No prediction yet: no Model column.
    await expect(controls.columnSort).toHaveCount(0)

    let cancelledAfter = 0
    await test.step('a run cancelled from the UI stops, says so, and keeps the clips it finished', async () => {
      await controls.startRun()
      await expect(controls.progress).toBeVisible()
      await expect(controls.cancel).toBeEnabled()
      await controls.cancel.click()
      const stopped = await controls.waitStopped(60_000)
      expect(stopped.state, 'the run was still busy with the long clips when cancelled').toBe('cancelled')
      expect(stopped.total).toBe(PRELABEL_CLIPS.length)
      expect(stopped.done).toBeLessThan(stopped.total)
      await expect(controls.result).toHaveText(`Cancelled: ${stopped.done} of ${stopped.total} clips predicted`)
      await expect(controls.cancel).toBeHidden()
      await expect(controls.error).toBeHidden()
      // What it finished is stored, nothing more; the job stays cancelled.
      await expect.poll(async () => (await summaries()).length).toBe(stopped.done)
      await page.waitForTimeout(1_500)
      expect((await summaries()).length, 'nothing predicted after the cancel').toBe(stopped.done)
      await expect(controls.status).toHaveAttribute('data-state', 'cancelled')
      cancelledAfter = stopped.done
      testInfo.annotations.push({ type: 'cancelled-after', description: `${stopped.done} of ${stopped.total} clips` })
    })

    await test.step('Pre-label again predicts the rest with progress up to completion', async () => {
      await controls.startTrace()
      await controls.startRun()
      const stopped = await controls.waitStopped(120_000)
      const remaining = PRELABEL_CLIPS.length - cancelledAfter
      expect(stopped).toEqual({ state: 'done', done: remaining, total: remaining })
      const trace = await controls.trace()
      const running = trace.filter((t) => t.state === 'running')
      expect(running.length, `progress shown while running: ${JSON.stringify(trace)}`).toBeGreaterThan(0)
      for (let i = 1; i < running.length; i++) expect(running[i]!.done).toBeGreaterThanOrEqual(running[i - 1]!.done)
      expect(trace.at(-1)).toEqual({ state: 'done', done: remaining, total: remaining })
      const already = cancelledAfter > 0 ? `, ${cancelledAfter} already predicted` : ''
      await expect(controls.result).toHaveText(`Pre-labelled ${remaining} clip${remaining === 1 ? '' : 's'}${already}`)
    })

    const stored = await summaries()
    const filenameOf = (s: PredictionSummary): string => byId.get(s.entryId)?.filename ?? `#${s.entryId}`

    await test.step('every clip has a stored prediction with the model, probabilities and time', async () => {
      const { modelSha256, predictions } = await callApi(api, 'classifier/predictions', {})
      expect(modelSha256).toBe(model.model!.sha256)
      expect(sorted(predictions.map((p) => byId.get(p.entryId)?.filename ?? ''))).toEqual(sorted(PRELABEL_CLIPS))
      for (const p of predictions) {
        const name = byId.get(p.entryId)?.filename
        expect(p.status, `${name}: ${p.reason ?? ''}`).toBe('ok')
        expect(p).toMatchObject({ modelName: model.model!.name, modelVersion: model.model!.version, modelSha256: model.model!.sha256 })
        const probs = MODEL_CLASSES.map((c) => p.probabilities![c])
        expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
        expect(p.predicted).toBe(MODEL_CLASSES[probs.indexOf(Math.max(...probs))])
        expect(p.entropy).toBeGreaterThanOrEqual(0)
        expect(p.framesUsed).toBeGreaterThan(0)
        expect(p.mediaSha256).toMatch(/^[0-9a-f]{64}$/)
        expect(Date.now() - Date.parse(p.createdAt)).toBeLessThan(10 * 60_000)
      }
      expect(stored).toHaveLength(PRELABEL_CLIPS.length)
    })

    const names = await controls.classNames()
    expect(Object.keys(names).sort()).toEqual([...MODEL_CLASSES].sort())
    await test.step('the table shows each prediction', async () => {
      await expect(controls.columnSort).toBeVisible()
      for (const s of stored) await expect(catalogPage.predictionCell(filenameOf(s))).toHaveText(cellText(s, names))
    })

    await test.step('filtering by predicted class shows exactly the clips of that class', async () => {
      for (const c of MODEL_CLASSES) {
        await controls.filterPredicted(c)
        await expectRows(catalogPage, stored.filter((s) => s.predicted === c).map(filenameOf))
      }
      await controls.filterPredicted('none')
      await expectRows(catalogPage, [])
      await controls.filterPredicted('any')
      await catalogPage.expectShown(PRELABEL_CLIPS.length)
    })

    await test.step('filtering by model vs expert label', async () => {
      // However many the model calls otherwise than their label (none is a right answer too: the no-match note);
      // the step after the export makes a disagreement itself, so the filter is exercised whatever the model says.
      const disagreeing = stored.filter((s) => s.disagrees === true).map(filenameOf)
      await controls.filterDisagreement('disagrees')
      await expectRows(catalogPage, disagreeing)
      for (const name of disagreeing) await expect(catalogPage.predictionCell(name)).toContainText('≠ label')
      await controls.filterDisagreement('agrees')
      await expectRows(catalogPage, stored.filter((s) => s.disagrees === false).map(filenameOf))
      await controls.filterDisagreement('any')
      await catalogPage.expectShown(PRELABEL_CLIPS.length)
    })

    await test.step('sorting by uncertainty (entropy)', async () => {
      const entropy = (s: PredictionSummary): number => s.entropy ?? Number.NaN
      const mostUncertainFirst = [...stored].sort((a, b) => entropy(b) - entropy(a)).map(filenameOf)
      expect(new Set(stored.map(entropy)).size, 'no two clips equally uncertain: one right order').toBe(stored.length)
      await controls.sortByUncertainty('entropy-desc')
      await expect.poll(() => catalogPage.renderedFilenames()).toEqual(mostUncertainFirst)
      await controls.sortByUncertainty('entropy-asc')
      await expect.poll(() => catalogPage.renderedFilenames()).toEqual([...mostUncertainFirst].reverse())
      // The Model column's header cycles the same sort.
      await controls.sortByUncertainty('none')
      await controls.columnSort.click()
      await expect(controls.sort).toHaveValue('entropy-desc')
      await expect.poll(() => catalogPage.renderedFilenames()).toEqual(mostUncertainFirst)
      // Sorted and filtered together.
      await controls.filterDisagreement('agrees')
      const agreeing = new Set(stored.filter((s) => s.disagrees === false).map(filenameOf))
      await expect.poll(() => catalogPage.renderedFilenames()).toEqual(mostUncertainFirst.filter((n) => agreeing.has(n)))
      await catalogPage.clearFilters()
      await expect(controls.sort).toHaveValue('none')
      await expect.poll(() => catalogPage.renderedFilenames()).toEqual(before.map((e) => e.filename))
    })

    await test.step('the expert labels are as they were: API and exported CSV', async () => {
      const { entries: after } = await callApi(api, 'catalog/list', {})
      expect(after.map((e) => [e.filename, e.label])).toEqual(before.map((e) => [e.filename, e.label]))
      expect(await exportCsv(page)).toBe(sourceCsv)
    })

    await test.step('a label set in the review makes a disagreement the filter shows; undo takes it back', async () => {
      const target = stored.find((s) => s.disagrees === false && s.expertClass !== null)
      if (!target?.expertClass) throw new Error('the clip list holds no clip the model agrees on')
      const name = filenameOf(target)
      const review = new ReviewPage(page)
      await review.openById(target.entryId, name)
      await review.press(KEY_FOR_OTHER_CLASS[target.expertClass])
      await review.labels.expectSaved()
      await page.getByTestId('view-catalog').click()
      await catalogPage.expectShown(PRELABEL_CLIPS.length)

      const now = (await summaries()).find((s) => s.entryId === target.entryId)
      expect(now?.disagrees).toBe(true)
      await expect(catalogPage.predictionCell(name)).toHaveText(cellText(now!, names))
      await controls.filterDisagreement('disagrees')
      await expectRows(catalogPage, [...stored.filter((s) => s.disagrees === true).map(filenameOf), name])

      // Undo from the catalog: the filter follows the label back without leaving the view.
      await page.getByTestId('header-undo').click()
      await expect.poll(async () => (await summaries()).find((s) => s.entryId === target.entryId)?.disagrees).toBe(false)
      await expectRows(catalogPage, stored.filter((s) => s.disagrees === true).map(filenameOf))
      await controls.filterDisagreement('any')
      await expect(catalogPage.predictionCell(name)).toHaveText(cellText(target, names))
      expect(await exportCsv(page)).toBe(sourceCsv)
    })

    // The predicted class never reached the entries.
    const { entries: last } = await callApi(api, 'catalog/list', {})
    expect(last.map((e) => e.label)).toEqual(before.map((e) => e.label))
  } finally {
    await leaveAndStop(page, server)
    await temp.remove()
  }
})

/** The table shows exactly these rows (any order), or the no-match note when there are none. */
async function expectRows(catalogPage: CatalogPage, filenames: readonly string[]): Promise<void> {
  await catalogPage.expectShown(filenames.length)
  if (filenames.length === 0) await expect(catalogPage.page.getByTestId('no-match')).toBeVisible()
  await expect.poll(async () => sorted(await catalogPage.renderedFilenames())).toEqual(sorted(filenames))
}

/** The header's Export CSV, as text. */
async function exportCsv(page: CatalogPage['page']): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
  expect(download.suggestedFilename()).toBe('dataset_metadata.csv')
  return readFile(await download.path(), 'utf8')
}
