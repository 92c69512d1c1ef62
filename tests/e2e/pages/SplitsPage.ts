import { expect, type Locator, type Page } from '@playwright/test'

export const SPLIT_COLUMNS = ['covid', 'pneumonia', 'healthy', 'other', 'groups', 'total'] as const
export type SplitColumn = (typeof SPLIT_COLUMNS)[number]

/** One row of the fold table as the page shows it (`fold` is -1 for the totals row). */
export type FoldRowText = { fold: number } & Record<SplitColumn, number>

/** One near-duplicate pair as the page shows it. */
export interface PairText {
  a: string
  foldA: string
  b: string
  foldB: string
  distance: number
  crossFold: boolean
}

/**
 * The Splits view: folds, seed and output folder; the per-fold table with its
 * totals, the "no group in two folds" check, the entries grouped by source +
 * stem, the files written; and the near-duplicate check (start, progress,
 * cancel, pairs).
 */
export class SplitsPage {
  readonly root: Locator
  readonly folds: Locator
  readonly seed: Locator
  readonly outDir: Locator
  readonly make: Locator
  readonly inputError: Locator
  readonly error: Locator
  readonly result: Locator
  readonly table: Locator
  readonly groupCheck: Locator
  readonly stemNote: Locator
  readonly stemEntries: Locator
  readonly files: Locator
  readonly leakageStatus: Locator
  readonly leakageStart: Locator
  readonly leakageProgress: Locator
  readonly leakageCancel: Locator
  readonly leakageResult: Locator
  readonly leakageError: Locator
  readonly leakageHashed: Locator
  readonly leakagePairs: Locator
  readonly leakageEmpty: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('splits-view')
    this.folds = page.getByTestId('splits-folds')
    this.seed = page.getByTestId('splits-seed')
    this.outDir = page.getByTestId('splits-outdir')
    this.make = page.getByTestId('splits-make')
    this.inputError = page.getByTestId('splits-input-error')
    this.error = page.getByTestId('splits-error')
    this.result = page.getByTestId('splits-result')
    this.table = page.getByTestId('splits-table')
    this.groupCheck = page.getByTestId('splits-group-check')
    this.stemNote = page.getByTestId('splits-stem-note')
    this.stemEntries = page.getByTestId('splits-stem-entry')
    this.files = page.getByTestId('splits-file')
    this.leakageStatus = page.getByTestId('leakage-status')
    this.leakageStart = page.getByTestId('leakage-start')
    this.leakageProgress = page.getByTestId('leakage-progress')
    this.leakageCancel = page.getByTestId('leakage-cancel')
    this.leakageResult = page.getByTestId('leakage-result')
    this.leakageError = page.getByTestId('leakage-error')
    this.leakageHashed = page.getByTestId('leakage-hashed')
    this.leakagePairs = page.getByTestId('leakage-pair')
    this.leakageEmpty = page.getByTestId('leakage-empty')
  }

  /** Opens the view from the main navigation. */
  async open(): Promise<void> {
    await this.page.getByTestId('view-splits').click()
    await expect(this.root).toBeVisible()
  }

  async fill(folds: number | string, seed: number | string, outDir = ''): Promise<void> {
    await this.folds.fill(String(folds))
    await this.seed.fill(String(seed))
    await this.outDir.fill(outDir)
  }

  /** The number of splits the page has made so far (0 before the first). */
  async revision(): Promise<number> {
    if ((await this.result.count()) === 0) return 0
    return Number(await this.result.getAttribute('data-revision'))
  }

  /** Fills the form and makes the splits; waits for a new table (even one identical to the last) of these folds and seed. */
  async makeSplits(folds: number, seed: number, outDir = ''): Promise<void> {
    const before = await this.revision()
    await this.fill(folds, seed, outDir)
    await this.make.click()
    await expect(this.result).toHaveAttribute('data-revision', String(before + 1))
    await expect(this.error).toBeHidden()
    await expect(this.result).toHaveAttribute('data-folds', String(folds))
    await expect(this.result).toHaveAttribute('data-seed', String(seed))
  }

  private async rowText(row: Locator, fold: number): Promise<FoldRowText> {
    const out = { fold } as FoldRowText
    for (const c of SPLIT_COLUMNS) out[c] = Number(await row.locator(`[data-col="${c}"]`).textContent())
    return out
  }

  /** The fold table as shown: a row per fold, and the totals row. */
  async readTable(): Promise<{ rows: FoldRowText[]; totals: FoldRowText }> {
    const rows: FoldRowText[] = []
    const rowLocators = this.table.getByTestId('splits-fold-row')
    for (let i = 0; i < (await rowLocators.count()); i++) {
      const row = rowLocators.nth(i)
      rows.push(await this.rowText(row, Number(await row.getAttribute('data-fold'))))
    }
    return { rows, totals: await this.rowText(this.table.getByTestId('splits-totals'), -1) }
  }

  async fileList(): Promise<string[]> {
    return (await this.files.allTextContents()).map((t) => t.trim())
  }

  async stemEntryList(): Promise<string[]> {
    await this.stemNote.locator('summary').click()
    await expect(this.stemEntries.first()).toBeVisible()
    return (await this.stemEntries.allTextContents()).map((t) => t.trim())
  }

  /** Starts the near-duplicate check and waits until it has stopped; returns the state it ended in. */
  async checkLeakage(timeoutMs = 120_000): Promise<string> {
    await this.leakageStart.click()
    await expect(this.leakageStatus).not.toHaveAttribute('data-state', 'idle')
    await expect(this.leakageStatus).not.toHaveAttribute('data-state', 'running', { timeout: timeoutMs })
    return (await this.leakageStatus.getAttribute('data-state')) ?? ''
  }

  async readPairs(): Promise<PairText[]> {
    const out: PairText[] = []
    for (let i = 0; i < (await this.leakagePairs.count()); i++) {
      const row = this.leakagePairs.nth(i)
      const cell = async (col: string): Promise<string> => ((await row.locator(`[data-col="${col}"]`).textContent()) ?? '').trim()
      out.push({
        a: await cell('a'),
        foldA: await cell('fold-a'),
        b: await cell('b'),
        foldB: await cell('fold-b'),
        distance: Number(await cell('distance')),
        crossFold: (await row.getAttribute('data-cross-fold')) === 'true'
      })
    }
    return out
  }
}
