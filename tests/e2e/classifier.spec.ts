import path from 'node:path'
import { expect, test } from './fixtures'
import { ClassifierPanel } from './pages/ClassifierPanel'
import { ReviewPage } from './pages/ReviewPage'
import { callApi, entryByFilename } from './support/api'
import { CLASSIFIER_CLIP, presetClassifier } from './support/classifier'
import { docsScreenshot } from './support/docsScreenshot'
import { REPO_ROOT } from './support/serveProcess'

test.describe('classifier (WASM)', () => {
  test('predicts a clip in the browser and draws its heatmap and timeline', async ({ catalogPage, datasetServer, page }, testInfo) => {
    test.setTimeout(120_000)
    const entry = await entryByFilename(datasetServer, CLASSIFIER_CLIP)
    if (entry.mediaId !== null) await callApi(datasetServer, 'media/playback', { mediaId: entry.mediaId })
    await presetClassifier(page, { prefer: 'wasm', mode: '3hz', limit: null, opacity: 0.6 })

    await catalogPage.open(datasetServer.url)
    const review = new ReviewPage(page)
    await review.openById(entry.id, CLASSIFIER_CLIP)
    const user = page.getByTestId('user-name')
    await expect(user).not.toHaveAttribute('data-state', 'loading')
    if ((await user.getAttribute('data-state')) === 'unset') await review.nameDialog.getByTestId('user-name-cancel').click()
    await review.waitReady(60_000)

    const classifier = new ClassifierPanel(page)
    await classifier.open()
    await classifier.classify()

    await expect(classifier.backend).toHaveText('WASM (CPU)')
    await expect(classifier.fallback).toBeHidden()
    await expect(classifier.prediction).toHaveAttribute('data-class', /^(covid|pneumonia|healthy|uninformative)$/)
    await expect(classifier.majority).toContainText('majority vote')
    // Each bar is as long as its probability (an invalid CSS width once drew every bar full).
    for (const row of await page.locator('[data-testid^="classifier-prob-"], [data-testid^="classifier-finding-"]').all()) {
      const shown = Number(/(\d+(?:\.\d+)?) %/.exec(await row.innerText())?.[1]) / 100
      const [bar, track] = await Promise.all([row.locator('.bar i').boundingBox(), row.locator('.bar').boundingBox()])
      expect(Math.abs(bar!.width / track!.width - shown), await row.innerText()).toBeLessThan(0.02)
    }
    // The experts' findings as the model sees them, beside the class: six rows for a model with the head, a note otherwise.
    const info = await callApi(datasetServer, 'classifier/modelInfo', {})
    if (info.model?.findings) {
      const rows = page.getByTestId('classifier-findings-live').locator('tr')
      await expect(rows).toHaveCount(info.model.findings.length)
      for (const name of info.model.findings) await expect(page.getByTestId(`classifier-finding-${name}`)).toContainText(/\d{1,3} %/)
    } else await expect(page.getByTestId('classifier-no-findings')).toBeVisible()
    const points = Number(await classifier.timeline.getAttribute('data-points'))
    expect(points, 'samples at 3 Hz').toBeGreaterThan(1)
    await expect(classifier.points).toHaveCount(points * 4)
    expect(await classifier.heatmapOpaquePixels(), 'heatmap pixels drawn').toBeGreaterThan(1000)

    // The timeline seeks: a click near its end moves the player off frame 0, and the heatmap follows.
    const box = await classifier.timeline.locator('svg').boundingBox()
    if (!box) throw new Error('timeline has no box')
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height / 2)
    await expect.poll(() => review.frame()).toBeGreaterThan(0)
    expect(await classifier.heatmapOpaquePixels()).toBeGreaterThan(1000)

    // Opacity 0 hides the map.
    await classifier.opacity.fill('0')
    await expect.poll(() => classifier.heatmapOpaquePixels()).toBe(0)
    await classifier.opacity.fill('0.6')
    await expect.poll(() => classifier.heatmapOpaquePixels()).toBeGreaterThan(1000)

    const speed = await classifier.speeds()
    testInfo.annotations.push({ type: 'wasm-speed', description: `${speed.model.toFixed(1)} frames/s model, ${speed.wall.toFixed(1)} frames/s with decoding, ${points} frames` })
    console.log(`[classifier] WASM: ${speed.model.toFixed(1)} frames/s model, ${speed.wall.toFixed(1)} frames/s with decoding (${points} frames)`)
    await docsScreenshot(page, path.join(REPO_ROOT, 'docs', 'screenshots', 'classifier-heatmap.png'))
  })
})

test('a damaged model file gives a clear message and the review keeps working', async ({ catalogPage, datasetServer, page }) => {
  test.setTimeout(90_000)
  const entry = await entryByFilename(datasetServer, CLASSIFIER_CLIP)
  await presetClassifier(page, { prefer: 'wasm', mode: '3hz', limit: 2, opacity: 0.6 })
  // The worker fetches the bundled model; hand it bytes that are no ONNX model.
  await page.route('**/*.onnx', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from('not an onnx model '.repeat(64)) })
  )
  await catalogPage.open(datasetServer.url)
  const review = new ReviewPage(page)
  await review.openById(entry.id, CLASSIFIER_CLIP)
  const user = page.getByTestId('user-name')
  await expect(user).not.toHaveAttribute('data-state', 'loading')
  if ((await user.getAttribute('data-state')) === 'unset') await review.nameDialog.getByTestId('user-name-cancel').click()
  await review.waitReady(60_000)

  const classifier = new ClassifierPanel(page)
  await classifier.open()
  await classifier.run.click()
  await expect(classifier.unavailable).toBeVisible({ timeout: 60_000 })
  await expect(classifier.unavailable).toContainText('could not be loaded')
  await expect(classifier.timeline).toBeHidden()
  await expect(classifier.heatmap).toHaveAttribute('data-drawn', 'false')
  // The player and the labels still work.
  await review.press('ArrowRight')
  await expect.poll(() => review.frame()).toBe(1)
  await page.getByTestId('tab-labels').click()
  await expect(page.getByTestId('tab-labels')).toHaveAttribute('aria-selected', 'true')
})
