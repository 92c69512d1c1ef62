import { expect, type Locator, type Page } from '@playwright/test'

/** The review's Classifier tab, the probability timeline under the player and the CAM overlay on the frame. */
export class ClassifierPanel {
  readonly tab: Locator
  readonly root: Locator
  readonly run: Locator
  readonly backend: Locator
  readonly fallback: Locator
  readonly prediction: Locator
  readonly majority: Locator
  readonly speed: Locator
  readonly unavailable: Locator
  readonly error: Locator
  readonly timeline: Locator
  readonly points: Locator
  readonly heatmap: Locator
  readonly opacity: Locator
  readonly prefer: Locator

  constructor(readonly page: Page) {
    this.tab = page.getByTestId('tab-classifier')
    this.root = page.getByTestId('classifier-panel')
    this.run = page.getByTestId('classifier-run')
    this.backend = page.getByTestId('classifier-backend')
    this.fallback = page.getByTestId('classifier-fallback')
    this.prediction = page.getByTestId('classifier-prediction')
    this.majority = page.getByTestId('classifier-majority')
    this.speed = page.getByTestId('classifier-speed')
    this.unavailable = page.getByTestId('classifier-unavailable')
    this.error = page.getByTestId('classifier-error')
    this.timeline = page.getByTestId('classifier-timeline')
    this.points = page.getByTestId('classifier-point')
    this.heatmap = page.getByTestId('classifier-heatmap')
    this.opacity = page.getByTestId('classifier-opacity')
    this.prefer = page.getByTestId('classifier-prefer')
  }

  async open(): Promise<void> {
    await this.tab.click()
    await expect(this.root).toBeVisible()
  }

  /** Runs the classifier on the open clip and waits until every sample is done. */
  async classify(timeout = 90_000): Promise<void> {
    await this.run.click()
    await expect(this.root).toHaveAttribute('data-state', /done|failed|unavailable/, { timeout })
    await expect(this.error).toBeHidden()
    await expect(this.unavailable).toBeHidden()
    await expect(this.root).toHaveAttribute('data-state', 'done')
  }

  /** Frames per second: model time only, and the whole run with seeking and decoding. */
  async speeds(): Promise<{ model: number; wall: number }> {
    return {
      model: Number(await this.speed.getAttribute('data-model-fps')),
      wall: Number(await this.speed.getAttribute('data-wall-fps'))
    }
  }

  /** How many pixels of the heatmap canvas are not fully transparent. */
  async heatmapOpaquePixels(): Promise<number> {
    return this.heatmap.evaluate((el) => {
      const c = el as HTMLCanvasElement
      const ctx = c.getContext('2d')
      if (!ctx || c.width === 0 || c.height === 0) return 0
      const d = ctx.getImageData(0, 0, c.width, c.height).data
      let n = 0
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++
      return n
    })
  }
}
