import { expect, type Locator, type Page } from '@playwright/test'

type Tab = 'setup' | 'rate' | 'agreement' | 'adjudication' | 'bundles'

/** The "Blinded review" view: profiles and sets, rater mode, agreement, adjudication, bundles. */
export class RatingsPage {
  readonly root: Locator
  readonly error: Locator
  readonly handle: Locator
  readonly progress: Locator
  readonly form: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('ratings-view')
    this.error = page.getByTestId('ratings-error')
    this.handle = page.getByTestId('rater-handle')
    this.progress = page.getByTestId('rater-progress')
    this.form = page.getByTestId('rating-form')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('view-ratings').click()
    await expect(this.root).toBeVisible()
  }

  async tab(tab: Tab): Promise<void> {
    await this.page.getByTestId(`ratings-tab-${tab}`).click()
  }

  async createRater(name: string, role: 'rater' | 'adjudicator' | 'coordinator'): Promise<void> {
    await this.page.getByTestId('rater-name').fill(name)
    await this.page.getByTestId('rater-role').selectOption(role)
    await this.page.getByTestId('rater-create').click()
    await expect(this.page.getByTestId('rater-row').filter({ hasText: name })).toBeVisible()
  }

  async selectSet(name: string): Promise<void> {
    await this.page.getByTestId('ratings-set-select').selectOption({ label: name })
  }

  async exportBundle(outPath: string, scope: 'none' | 'all'): Promise<void> {
    await this.tab('bundles')
    await this.page.getByTestId(`bundle-scope-${scope}`).check()
    await this.page.getByTestId('bundle-export-path').fill(outPath)
    await this.page.getByTestId('bundle-export').click()
    await expect(this.page.getByTestId('bundle-export-result')).toContainText(outPath)
  }

  /** Checks the bundle, resolves every conflict with `choice`, and imports it. */
  async importBundle(bundle: string, choice: 'mine' | 'theirs' = 'mine'): Promise<number> {
    await this.tab('bundles')
    await this.page.getByTestId('bundle-import-path').fill(bundle)
    await this.page.getByTestId('bundle-preview').click()
    await expect(this.page.getByTestId('bundle-preview-result')).toBeVisible()
    const conflicts = await this.page.getByTestId('bundle-conflict').count()
    for (const row of await this.page.getByTestId('bundle-conflict').all()) await row.getByTestId(`conflict-${choice}`).check()
    await this.page.getByTestId('bundle-import').click()
    await expect(this.page.getByTestId('bundle-import-result')).toBeVisible()
    return conflicts
  }

  async startRating(rater: string, setName: string): Promise<void> {
    await this.tab('rate')
    await this.page.getByTestId('rater-select').selectOption({ label: rater })
    const set = this.page.getByTestId('rater-set-select')
    await expect(set.locator('option', { hasText: setName })).toHaveCount(1)
    const label = await set.locator('option', { hasText: setName }).textContent()
    await set.selectOption({ label: (label ?? '').trim() })
  }

  /** The clip number of the clip on screen ("Clip 3 of 5"). */
  async clipNo(): Promise<number> {
    const text = (await this.handle.textContent()) ?? ''
    const match = /Clip (\d+) of \d+/.exec(text)
    if (!match?.[1]) throw new Error(`no clip handle in "${text}"`)
    return Number(match[1])
  }

  option(field: string, value: string): Locator {
    return this.form.getByTestId(`rating-field-${field}`).locator(`[data-testid="rating-option"][data-value="${value}"]`)
  }

  async rate(values: Record<string, string>, confidence: number, comment: string): Promise<void> {
    for (const [field, value] of Object.entries(values)) await this.option(field, value).locator('input').check()
    await this.page.getByTestId(`rating-confidence-${confidence}`).locator('input').check()
    await this.page.getByTestId('rating-comment').fill(comment)
    await this.page.getByTestId('rating-submit').click()
  }
}
