import { expect, test } from './fixtures'
import { ClassifierPanel } from './pages/ClassifierPanel'
import { ReviewPage } from './pages/ReviewPage'
import { callApi, entryByFilename } from './support/api'
import { CLASSIFIER_CLIP, enableClassifierDebug, loseWebGpuDevice, presetClassifier } from './support/classifier'

/**
 * Run by the `webgpu` Playwright project (Chromium with --enable-unsafe-webgpu).
 * Without a GPU Chromium offers a software adapter at best: slow, so a few frames.
 * Where no adapter is offered, the UI must name WASM and say why.
 */
test.describe('classifier (WebGPU)', () => {
  test('runs on WebGPU, or reports why it fell back to WASM', async ({ catalogPage, datasetServer, page }, testInfo) => {
    test.setTimeout(120_000)
    const entry = await entryByFilename(datasetServer, CLASSIFIER_CLIP)
    if (entry.mediaId !== null) await callApi(datasetServer, 'media/playback', { mediaId: entry.mediaId })
    await presetClassifier(page, { prefer: 'auto', mode: '3hz', limit: 4, opacity: 0.6 })
    await enableClassifierDebug(page)

    await catalogPage.open(datasetServer.url)
    // Asked in the app's page: WebGPU exists only in a secure context (not about:blank).
    const hasAdapter = await page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter: () => Promise<unknown> } }).gpu
      return gpu ? (await gpu.requestAdapter()) !== null : false
    })
    const review = new ReviewPage(page)
    await review.openById(entry.id, CLASSIFIER_CLIP)
    const user = page.getByTestId('user-name')
    await expect(user).not.toHaveAttribute('data-state', 'loading')
    if ((await user.getAttribute('data-state')) === 'unset') await review.nameDialog.getByTestId('user-name-cancel').click()
    await review.waitReady(60_000)

    const classifier = new ClassifierPanel(page)
    await classifier.open()
    await classifier.classify(100_000)
    await expect(classifier.timeline).toHaveAttribute('data-points', '4')
    expect(await classifier.heatmapOpaquePixels()).toBeGreaterThan(1000)
    const speed = await classifier.speeds()

    if (hasAdapter) {
      await expect(classifier.backend).toHaveText('WebGPU')
      await expect(classifier.fallback).toBeHidden()
      testInfo.annotations.push({ type: 'webgpu', description: `ran on WebGPU: ${speed.model.toFixed(1)} frames/s model` })
      console.log(`[classifier] WebGPU: ${speed.model.toFixed(1)} frames/s model, ${speed.wall.toFixed(1)} frames/s with decoding`)

      // The device is lost while a run is under way: the run finishes on WASM and says why.
      await classifier.run.click()
      await expect(classifier.root).toHaveAttribute('data-state', 'running')
      expect(await loseWebGpuDevice(page), 'a WebGPU device to lose').toBe(true)
      await expect(classifier.root).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
      await expect(classifier.backend).toHaveText('WASM (CPU)')
      await expect(classifier.fallback).toContainText('device was lost')
      await expect(classifier.timeline).toHaveAttribute('data-points', '4')
      expect(await classifier.heatmapOpaquePixels()).toBeGreaterThan(1000)
    } else {
      await expect(classifier.backend).toHaveText('WASM (CPU)')
      await expect(classifier.fallback).toContainText('WebGPU')
      const reason = (await classifier.fallback.textContent()) ?? ''
      testInfo.annotations.push({ type: 'webgpu', description: `no adapter in this Chromium; fell back: ${reason}` })
      console.log(`[classifier] WebGPU unavailable, fell back to WASM: ${reason}`)
    }
  })
})
