import { expect, type Locator, type Page } from '@playwright/test'

type Tab = 'setup' | 'rate' | 'agreement' | 'adjudication' | 'bundles'

export interface NewSetOptions {
  name: string
  /** Rater profile names, in order (raters 1–3 write MD1–MD3). */
  raters: readonly string[]
  /** Fields besides the label, which is ticked already. */
  fields?: readonly string[]
  source?: 'filter' | 'uncertain'
  order?: 'random' | 'catalog'
  seed?: number
  /**
   * Leave out clips without media on this machine; true (the form's default) when
   * omitted, so a box unticked for an earlier set is ticked again. The box only
   * shows when some of the chosen clips lack media.
   */
  leaveOutWithoutMedia?: boolean
}

/** The "Blinded review" view: profiles and sets, rater mode, agreement, adjudication, bundles. */
export class RatingsPage {
  readonly root: Locator
  readonly error: Locator
  readonly handle: Locator
  readonly progress: Locator
  readonly form: Locator
  /** "N of M clips have no media on this machine …", shown while the clips chosen for a new set include such clips. */
  readonly mediaWarning: Locator
  /** How many clips the new set will hold, as the form counts them. */
  readonly setPreviewCount: Locator
  readonly setNotice: Locator
  readonly readerBundleResult: Locator
  readonly readerBundleError: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('ratings-view')
    this.error = page.getByTestId('ratings-error')
    this.handle = page.getByTestId('rater-handle')
    this.progress = page.getByTestId('rater-progress')
    this.form = page.getByTestId('rating-form')
    this.mediaWarning = page.getByTestId('set-media-warning')
    this.setPreviewCount = page.getByTestId('set-preview-count')
    this.setNotice = page.getByTestId('set-notice')
    this.readerBundleResult = page.getByTestId('reader-bundle-result')
    this.readerBundleError = page.getByTestId('reader-bundle-error')
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

  /**
   * Fills the new-set form on the setup tab and creates the set; returns the
   * notice ("Review set … created with N clips…"). The preview count is read
   * before creating, so a test can compare it with the set.
   */
  async createSet(options: NewSetOptions): Promise<{ notice: string; previewed: number }> {
    await this.tab('setup')
    await this.page.getByTestId('set-name').fill(options.name)
    await this.page.getByTestId(`set-source-${options.source ?? 'filter'}`).check()
    for (const field of options.fields ?? []) await this.page.getByTestId(`set-field-${field}`).check()
    for (const rater of options.raters) await this.page.getByTestId(`set-rater-${rater}`).check()
    if (options.order) await this.page.getByTestId('set-order').selectOption(options.order)
    if (options.seed !== undefined) await this.page.getByTestId('set-seed').fill(String(options.seed))
    if (await this.mediaWarning.isVisible())
      await this.page.getByTestId('set-exclude-without-media').setChecked(options.leaveOutWithoutMedia ?? true)
    const previewed = Number((await this.setPreviewCount.textContent()) ?? 'NaN')
    await this.page.getByTestId('set-create').click()
    await expect(this.setNotice).toContainText(`"${options.name}" created`)
    return { notice: ((await this.setNotice.textContent()) ?? '').trim(), previewed }
  }

  /** Whether "Create review set" can be clicked (it cannot while every chosen clip lacks media and is to be left out). */
  async canCreateSet(): Promise<boolean> {
    return this.page.getByTestId('set-create').isEnabled()
  }

  /**
   * Exports a reader bundle of `setName` (default: the set already chosen) for
   * one rater, or all of the set's raters; waits for the result and returns its text.
   */
  async exportReaderBundle(outPath: string, rater?: string, setName?: string): Promise<string> {
    await this.fillReaderBundle(outPath, rater, setName)
    await this.page.getByTestId('reader-bundle-export').click()
    await expect(this.readerBundleResult).toContainText(outPath)
    return ((await this.readerBundleResult.textContent()) ?? '').trim()
  }

  /** Like exportReaderBundle, for an export main refuses (e.g. clips without media): returns the error's text. */
  async exportReaderBundleRefused(outPath: string, rater?: string, setName?: string): Promise<string> {
    await this.fillReaderBundle(outPath, rater, setName)
    await this.page.getByTestId('reader-bundle-export').click()
    await expect(this.readerBundleError).toBeVisible()
    return ((await this.readerBundleError.textContent()) ?? '').trim()
  }

  private async fillReaderBundle(outPath: string, rater?: string, setName?: string): Promise<void> {
    await this.tab('bundles')
    if (setName !== undefined) await this.page.getByTestId('reader-bundle-set').selectOption({ label: setName })
    const raters = this.page.getByTestId('reader-bundle-rater')
    if (rater === undefined) await raters.selectOption('all')
    else await raters.selectOption({ label: rater })
    await this.page.getByTestId('reader-bundle-path').fill(outPath)
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
