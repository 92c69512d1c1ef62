import { expect, type Locator, type Page } from '@playwright/test'

export interface StatusCounts {
  total: number
  shown: number
  withMedia: number
  mediaMissing: number
}

const COUNTS = /([\d,]+) entr(?:y|ies) · ([\d,]+) shown · ([\d,]+) with media · ([\d,]+) not in the repository/
const toNumber = (text: string | undefined): number => Number((text ?? '').replaceAll(',', ''))

/** The catalog window: filter bar, virtualized table, detail panel, status bar. */
export class CatalogPage {
  readonly searchInput: Locator
  readonly statusCounts: Locator
  readonly table: Locator
  readonly detail: Locator
  readonly emptyState: Locator

  constructor(readonly page: Page) {
    this.searchInput = page.getByTestId('search')
    this.statusCounts = page.getByTestId('status-counts')
    this.table = page.getByTestId('catalog-table')
    this.detail = page.getByTestId('detail-panel')
    this.emptyState = page.getByTestId('empty-state')
  }

  /** Opens the tokenized serve URL, which trades the token for a cookie and lands on the app. */
  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await expect(this.table.or(this.emptyState)).toBeVisible()
  }

  async statusText(): Promise<string> {
    return (await this.statusCounts.textContent()) ?? ''
  }

  async counts(): Promise<StatusCounts> {
    const match = COUNTS.exec(await this.statusText())
    if (!match) throw new Error(`Unexpected status bar text: ${await this.statusText()}`)
    return {
      total: toNumber(match[1]),
      shown: toNumber(match[2]),
      withMedia: toNumber(match[3]),
      mediaMissing: toNumber(match[4])
    }
  }

  async expectShown(n: number): Promise<void> {
    await expect(this.statusCounts).toContainText(`· ${n.toLocaleString('en')} shown ·`)
  }

  async search(text: string): Promise<void> {
    await this.searchInput.fill(text)
  }

  /** Opens a facet menu and returns it; its options render only while it is open. */
  async openFacet(facetTestId: string): Promise<Locator> {
    const facet = this.page.getByTestId(facetTestId)
    await facet.locator('summary').click()
    await expect(facet.locator('fieldset')).toBeVisible()
    return facet
  }

  facetOption(facet: Locator, optionText: string): Locator {
    return facet.locator('label').filter({ hasText: optionText })
  }

  /** Ticks one value in a facet menu (e.g. facet "filter-probe", option "linear"). */
  async filter(facetTestId: string, optionText: string): Promise<void> {
    const facet = await this.openFacet(facetTestId)
    await this.facetOption(facet, optionText).getByRole('checkbox').check()
    await this.page.keyboard.press('Escape')
  }

  filterLabel(display: string): Promise<void> {
    return this.filter('filter-label', display)
  }

  filterProbe(probe: string): Promise<void> {
    return this.filter('filter-probe', probe)
  }

  async clearFilters(): Promise<void> {
    await this.page.getByTestId('clear-filters').click()
  }

  /** Rows currently rendered; the table is virtualized, so only those near the viewport exist. */
  rows(): Locator {
    return this.table.getByTestId('catalog-row')
  }

  row(filename: string): Locator {
    return this.table.locator(`[data-testid="catalog-row"][data-filename="${filename}"]`)
  }

  async cellTexts(column: string): Promise<string[]> {
    return this.rows().locator(`[data-column="${column}"]`).allTextContents()
  }

  /** A row's "Model" cell (shown once any entry has a stored prediction): class · probability % [· ≠ label]. */
  predictionCell(filename: string): Locator {
    return this.row(filename).locator('[data-column="prediction"]')
  }

  async renderedFilenames(): Promise<string[]> {
    const rows = await this.rows().all()
    return Promise.all(rows.map(async (r) => (await r.getAttribute('data-filename')) ?? ''))
  }

  /** Finds an entry by searching its filename, then opens it in the detail panel. */
  async openEntry(filename: string): Promise<void> {
    await this.search(filename)
    await this.row(filename).click()
    await expect(this.detail.getByTestId('detail-filename')).toHaveText(filename)
  }

  csvField(column: string): Locator {
    return this.detail.locator(`[data-testid="csv-field"][data-column="${column}"] dd`)
  }

  mediaField(testId: string): Locator {
    return this.detail.getByTestId('media-info').getByTestId(testId).locator('dd')
  }
}
