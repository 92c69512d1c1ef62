/**
 * Trust in what the screen says (issue #14): a pre-labelled clip opens with
 * its stored prediction and per-frame timeline; the model card lists the
 * card's own per-class figures; rows whose media the dataset does not
 * redistribute say so and lead to the rebuild; filters, sort and position
 * survive a reload. Expected figures are worked out from the API and the
 * card file, not written down.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Prediction } from '../../src/shared/classifierContract'
import { MODEL_CLASSES } from '../../src/shared/classifierPreprocess'
import { expect, test } from './fixtures'
import { CatalogPredictions } from './pages/CatalogPredictions'
import { ReviewPage } from './pages/ReviewPage'
import { callApi, entryByFilename } from './support/api'
import { makeClipDataset } from './support/classifier'
import { makeTempDir, REPO_ROOT, runImport, startServe, type ServeInstance } from './support/serveProcess'

/** A video and a still: both get a stored prediction, the video a timeline of several samples. */
const CLIPS = ['Pneu_liftl_pneu_case3_clip3', 'Cov_Oliviera_2020_Fig4A'] as const
const CLASS_NAMES: Record<string, string> = { covid: 'COVID-19', pneumonia: 'Pneumonia', healthy: 'Healthy', uninformative: 'Not lung US' }
const percent = (p: number): string => `${Math.round(p * 100)} %`
const spread = (s: { mean: number; sd: number }): string => `${Math.round(s.mean * 100)} % ± ${Math.round(s.sd * 100)}`

async function prelabelAll(server: ServeInstance): Promise<void> {
  const { jobId } = await callApi(server, 'classifier/prelabel', {})
  await expect
    .poll(async () => (await callApi(server, 'classifier/job', { jobId })).state, { timeout: 120_000, intervals: [500] })
    .toBe('done')
}

test.describe('a pre-labelled catalog', () => {
  let server: ServeInstance | null = null
  let temp: { dir: string; remove: () => Promise<void> } | null = null

  test.beforeAll(async ({ datasetDir }) => {
    test.setTimeout(240_000)
    temp = await makeTempDir()
    const folder = path.join(temp.dir, 'dataset')
    await makeClipDataset(datasetDir, folder, CLIPS)
    const catalogPath = path.join(temp.dir, 'catalog.db')
    await runImport(folder, catalogPath)
    server = await startServe(catalogPath)
    await prelabelAll(server)
  })

  test.afterAll(async () => {
    await server?.stop()
    await temp?.remove()
  })

  test('opening a pre-labelled clip shows its stored prediction, as a probability, and its per-frame timeline', async ({ catalogPage, page }) => {
    test.setTimeout(120_000)
    const api = server!
    const entry = await entryByFilename(api, CLIPS[0])
    const { prediction } = await callApi(api, 'classifier/prediction', { entryId: entry.id })
    expect(prediction?.status, prediction?.reason ?? '').toBe('ok')
    const p = prediction as Prediction
    const probs = MODEL_CLASSES.map((c) => p.probabilities![c])
    const confidence = Math.max(...probs)
    expect(p.frames?.length, 'the run kept one point per sampled frame').toBe(p.framesUsed)
    expect(p.framesUsed).toBeGreaterThan(1)

    await catalogPage.open(api.url)
    // The table reads the call as a probability, not bits.
    await expect(catalogPage.predictionCell(CLIPS[0])).toHaveText(new RegExp(`^${CLASS_NAMES[p.predicted!]} · ${percent(confidence)}`))

    const review = new ReviewPage(page)
    await review.openById(entry.id, CLIPS[0])
    await review.dismissNameDialog()
    await page.getByTestId('tab-classifier').click()
    const stored = page.getByTestId('classifier-stored')
    await expect(stored).toBeVisible()
    await expect(stored).toHaveAttribute('data-class', p.predicted!)
    await expect(stored).toContainText(CLASS_NAMES[p.predicted!]!)
    await expect(page.getByTestId('classifier-stored-confidence')).toHaveText(percent(confidence))
    for (const [k, c] of MODEL_CLASSES.entries())
      await expect(page.getByTestId(`classifier-stored-prob-${c}`)).toContainText(`${(probs[k]! * 100).toFixed(1)} %`)
    // Nothing was classified in the page: the timeline is the stored one, a point per stored frame and class.
    const timeline = page.getByTestId('classifier-timeline')
    await expect(timeline).toHaveAttribute('data-source', 'stored')
    await expect(timeline).toHaveAttribute('data-points', String(p.frames!.length))
    await expect(timeline.getByTestId('classifier-point')).toHaveCount(p.frames!.length * MODEL_CLASSES.length)
    await expect(page.getByTestId('classifier-run')).toHaveText('Classify clip')

    // A model with a findings head stored the clip's findings; they show beside the class, with the stored figures.
    const info = await callApi(api, 'classifier/modelInfo', {})
    const findings = page.getByTestId('classifier-findings-stored')
    expect(p.findings !== null, 'findings stored exactly when the model has the head').toBe(info.model?.findings != null)
    if (p.findings) {
      await expect(findings.locator('tr')).toHaveCount(p.findings.length)
      for (const f of p.findings) await expect(findings.getByTestId(`classifier-finding-${f.name}`)).toContainText(`${Math.round(f.probability * 100)} %`)
    } else await expect(findings).toHaveCount(0)
  })

  test('the model-vs-label and confidence filters stay after a reload', async ({ catalogPage, page }) => {
    const api = server!
    const { entries } = await callApi(api, 'classifier/summaries', {})
    const agreeing = entries.filter((s) => s.disagrees === false)
    // A bound between the two clips' probabilities when they differ, so the filter visibly keeps one part.
    const sure = entries.map((s) => s.confidence ?? 0).sort((a, b) => a - b)
    const bound = Math.min(1, Math.max(0.25, Math.ceil((sure[0] ?? 1) * 20) / 20))
    const kept = entries.filter((s) => s.disagrees === false && s.confidence !== null && s.confidence <= bound).length
    await catalogPage.open(api.url)
    const controls = new CatalogPredictions(page)
    await controls.disagreement.selectOption('agrees')
    await catalogPage.expectShown(agreeing.length)
    const confidence = page.getByTestId('filter-confidence')
    await confidence.fill(String(bound))
    await catalogPage.expectShown(kept)
    await page.reload()
    await expect(catalogPage.table.or(catalogPage.emptyState)).toBeVisible()
    await expect(controls.disagreement).toHaveValue('agrees')
    await expect(confidence).toHaveValue(String(bound))
    await catalogPage.expectShown(kept)
  })
})

test('the model card lists the card file’s per-class sensitivity and specificity with their spread', async ({ catalogPage, datasetServer, page }) => {
  const card = JSON.parse(await readFile(path.join(REPO_ROOT, 'resources', 'models', 'lusnet.card.json'), 'utf8')) as {
    name: string
    version: string
    split: { folds: number }
    data: { lusClips: Record<string, { clips: number }> }
    crossValidation: {
      summary: {
        video: { perClass: Record<string, { sensitivity: { mean: number; sd: number }; specificity: { mean: number; sd: number } }> }
        findingsAuc?: Record<string, { perFold: { mean: number; sd: number } | null }>
      }
    }
    limitations: string[]
  }
  const entry = await entryByFilename(datasetServer, 'Pneu_northumbria_0409_set6_img6')
  await catalogPage.open(datasetServer.url)
  const review = new ReviewPage(page)
  await review.openById(entry.id, 'Pneu_northumbria_0409_set6_img6')
  await review.dismissNameDialog()
  await page.getByTestId('tab-classifier').click()
  await page.getByTestId('open-model-card').click()

  const view = page.getByTestId('model-card')
  await expect(view).toContainText(`${card.name} ${card.version}`)
  await expect(page.getByTestId('model-card-split')).toContainText(`${card.split.folds}-fold cross-validation`)
  const perClass = card.crossValidation.summary.video.perClass
  const rows = page.getByTestId('model-card-rate')
  await expect(rows).toHaveCount(Object.keys(perClass).length)
  for (const [cls, rates] of Object.entries(perClass)) {
    const row = rows.and(page.locator(`[data-class="${cls}"]`))
    await expect(row.locator('th')).toHaveText(CLASS_NAMES[cls]!)
    await expect(row.getByTestId('sensitivity')).toHaveText(spread(rates.sensitivity))
    await expect(row.getByTestId('specificity')).toHaveText(spread(rates.specificity))
  }
  for (const [cls, d] of Object.entries(card.data.lusClips))
    await expect(page.getByTestId('model-card-data').locator(`tr[data-class="${cls}"] td`).first()).toHaveText(String(d.clips))
  await expect(page.getByTestId('model-card-limits').locator('li')).toHaveText(card.limitations)
  // Each finding of the findings head with its test-fold AUC, as the card file has it.
  const findings = Object.entries(card.crossValidation.summary.findingsAuc ?? {})
  await expect(page.getByTestId('model-card-finding')).toHaveCount(findings.length)
  for (const [name, f] of findings) {
    const row = page.locator(`[data-testid="model-card-finding"][data-finding="${name}"]`)
    await expect(row.locator('td').first()).toHaveText(f.perFold ? new RegExp(`^${f.perFold.mean.toFixed(2)} ± ${f.perFold.sd.toFixed(2)}`) : /^—/)
  }
  await page.getByTestId('model-card-close').click()
  await expect(page.getByTestId('classifier-panel')).toBeVisible()
})

test.describe('rows whose media the dataset does not redistribute', () => {
  test('say so, come after the reviewable clips, and lead to the rebuild', async ({ catalogPage, datasetServer, page }) => {
    const { entries } = await callApi(datasetServer, 'catalog/list', {})
    const butterfly = entries.find((e) => e.mediaStatus === 'missing' && e.rebuildFrom === 'butterfly')
    const web = entries.find((e) => e.mediaStatus === 'missing' && e.rebuildFrom === 'web')
    expect(butterfly, 'the dataset has Butterfly rows without media').toBeDefined()
    expect(web, 'the dataset has web rows without media').toBeDefined()
    expect(butterfly!.filename).toMatch(/Butterfly/)

    await catalogPage.open(datasetServer.url)
    // The default order opens on clips that can be reviewed.
    await expect(catalogPage.rows().first().getByTestId('media-badge')).toHaveText('Linked')

    await catalogPage.search(web!.filename)
    const webRow = catalogPage.row(web!.filename)
    await expect(webRow.getByTestId('media-badge')).toHaveText('Not in the repository')
    await expect(webRow.getByTestId('rebuild-link')).toHaveText('rebuild from web sources')

    await catalogPage.search(butterfly!.filename)
    const row = catalogPage.row(butterfly!.filename)
    await expect(row.getByTestId('media-badge')).toHaveText('Not in the repository')
    await expect(row.getByTestId('rebuild-link')).toHaveText('rebuild from Butterfly')
    await row.getByTestId('rebuild-link').click()
    await expect(page.getByTestId('submission-rebuild')).toBeVisible()
    await expect(page.getByTestId('rebuild-butterfly')).toBeVisible()

    // Opened for review: a calm explanation and the same way to the rebuild, no error box.
    const review = new ReviewPage(page)
    await review.openById(butterfly!.id, butterfly!.filename)
    await review.dismissNameDialog()
    const notice = page.getByTestId('not-in-repository')
    await expect(notice).toBeVisible()
    await expect(notice).toHaveAttribute('data-source', 'butterfly')
    await expect(review.mediaAlert).toHaveCount(0)
    await expect(review.player.getByRole('alert')).toHaveCount(0)
    await page.getByTestId('open-rebuild').click()
    await expect(page.getByTestId('submission-rebuild')).toBeVisible()
  })

  test('a still image shows no frame rate and ignores the speed keys', async ({ catalogPage, datasetServer, page }) => {
    const entry = await entryByFilename(datasetServer, 'Pneu_northumbria_0409_set6_img6')
    await catalogPage.open(datasetServer.url)
    const review = new ReviewPage(page)
    await review.openById(entry.id, 'Pneu_northumbria_0409_set6_img6')
    await review.dismissNameDialog()
    await review.waitReady()
    const speed = page.getByTestId('speed')
    await expect(speed).toBeDisabled()
    const before = await speed.inputValue()
    await review.player.locator('.viewport').focus()
    await page.keyboard.press(']')
    await page.keyboard.press(']')
    await expect(speed).toHaveValue(before)
    await expect(page.getByTestId('playback-facts')).toContainText('Still image')
    await expect(page.getByTestId('playback-facts')).not.toContainText('fps')
  })
})

test('filters, sort and the position in the list are kept across a reload', async ({ catalogPage, datasetServer, page }) => {
  await catalogPage.open(datasetServer.url)
  await catalogPage.filterLabel('COVID-19')
  await catalogPage.filterProbe('convex')
  await page.getByTestId('sort-filename').click()
  const { shown } = await catalogPage.counts()
  expect(shown).toBeGreaterThan(5)
  const fifth = catalogPage.rows().nth(4)
  const filename = (await fifth.getAttribute('data-filename'))!
  await fifth.dblclick()
  const review = new ReviewPage(page)
  await expect(review.filename).toHaveText(filename)
  await review.dismissNameDialog()
  const position = page.getByTestId('review-position')
  await expect(position).toHaveText(`5 / ${shown}`)

  await page.reload()
  await expect(review.filename).toHaveText(filename)
  await review.dismissNameDialog()
  await expect(position).toHaveText(`5 / ${shown}`)

  await page.getByTestId('back-to-catalog').click()
  await catalogPage.expectShown(shown)
  await expect(page.getByTestId('sort-filename').locator('..')).toHaveAttribute('aria-sort', 'ascending')
  await expect(catalogPage.row(filename)).toHaveAttribute('aria-selected', 'true')
})

test('the CSV export says which file it saved', async ({ catalogPage, datasetServer, page }) => {
  const { entries } = await callApi(datasetServer, 'catalog/list', {})
  await catalogPage.open(datasetServer.url)
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
  const status = page.getByTestId('export-status')
  await expect(status).toContainText(download.suggestedFilename())
  await expect(status).toContainText(`Exported ${entries.length} rows`)
})
