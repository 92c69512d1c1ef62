import { expect, type Download, type Locator, type Page } from '@playwright/test'

/** The statistics view: live charts, each exportable as PNG and SVG. */
export class StatsPage {
  readonly root: Locator
  readonly charts: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('stats-view')
    this.charts = this.root.getByTestId('chart')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('view-statistics').click()
    await expect(this.root).toBeVisible()
  }

  chart(id: string): Locator {
    return this.root.locator(`[data-testid="chart"][data-chart="${id}"]`)
  }

  async export(chartId: string, format: 'png' | 'svg'): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.chart(chartId).getByTestId(`export-${format}`).click()
    ])
    return download
  }
}
