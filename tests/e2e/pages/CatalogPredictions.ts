import { expect, type Locator, type Page } from '@playwright/test'

export type PrelabelState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled'
export type PredictedFilter = 'any' | 'covid' | 'pneumonia' | 'healthy' | 'uninformative' | 'none'
export type DisagreementFilter = 'any' | 'disagrees' | 'agrees'
export type UncertaintySort = 'none' | 'entropy-desc' | 'entropy-asc'

/** One look at the pre-label controls: the job's state and progress as the page shows them. */
export interface PrelabelSnapshot {
  state: string
  done: number
  total: number
}

/**
 * The catalog's model controls in the filter bar: the pre-label job (start,
 * progress, cancel, outcome) and the filters and sort by stored prediction.
 */
export class CatalogPredictions {
  readonly root: Locator
  readonly status: Locator
  readonly start: Locator
  readonly progress: Locator
  readonly count: Locator
  readonly cancel: Locator
  readonly result: Locator
  readonly error: Locator
  readonly predicted: Locator
  readonly disagreement: Locator
  readonly sort: Locator
  /** The table's "Model" column header (click: most uncertain first, most certain first, table order). */
  readonly columnSort: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('prediction-filters')
    this.status = page.getByTestId('prelabel-status')
    this.start = page.getByTestId('prelabel-start')
    this.progress = page.getByTestId('prelabel-progress')
    this.count = page.getByTestId('prelabel-count')
    this.cancel = page.getByTestId('prelabel-cancel')
    this.result = page.getByTestId('prelabel-result')
    this.error = page.getByTestId('prelabel-error')
    this.predicted = page.getByTestId('filter-predicted')
    this.disagreement = page.getByTestId('filter-disagreement')
    this.sort = page.getByTestId('sort-entropy')
    this.columnSort = page.getByTestId('sort-prediction')
  }

  async snapshot(): Promise<PrelabelSnapshot> {
    return {
      state: (await this.status.getAttribute('data-state')) ?? '',
      done: Number(await this.status.getAttribute('data-done')),
      total: Number(await this.status.getAttribute('data-total'))
    }
  }

  /**
   * Records every state the controls go through from now on (in the page, so
   * no step is missed between two polls of the test); read with `trace()`.
   */
  async startTrace(): Promise<void> {
    await expect(this.status).toBeAttached()
    await this.status.evaluate((el) => {
      const w = window as unknown as { __prelabelTrace?: string[]; __prelabelObserver?: MutationObserver }
      w.__prelabelObserver?.disconnect()
      const trace: string[] = []
      const record = (): void => {
        const entry = `${el.getAttribute('data-state') ?? ''} ${el.getAttribute('data-done') ?? ''} ${el.getAttribute('data-total') ?? ''}`
        if (trace[trace.length - 1] !== entry) trace.push(entry)
      }
      record()
      w.__prelabelTrace = trace
      w.__prelabelObserver = new MutationObserver(record)
      w.__prelabelObserver.observe(el, { attributes: true, attributeFilter: ['data-state', 'data-done', 'data-total'] })
    })
  }

  async trace(): Promise<PrelabelSnapshot[]> {
    const raw = await this.page.evaluate(() => (window as unknown as { __prelabelTrace?: string[] }).__prelabelTrace ?? [])
    return raw.map((line) => {
      const [state = '', done = '', total = ''] = line.split(' ')
      return { state, done: Number(done), total: Number(total) }
    })
  }

  /** Starts a pre-label run and waits until the page shows it running. */
  async startRun(): Promise<void> {
    await this.start.click()
    await expect(this.status).toHaveAttribute('data-state', /^(running|done|failed|cancelled)$/)
  }

  /** Waits until the run has stopped, whichever way, and returns the final state. */
  async waitStopped(timeout = 120_000): Promise<PrelabelSnapshot> {
    await expect(this.status).toHaveAttribute('data-state', /^(done|failed|cancelled)$/, { timeout })
    await expect(this.progress).toBeHidden()
    await expect(this.start).toBeEnabled()
    return this.snapshot()
  }

  /** The display name of each class, as the predicted-class filter offers it ("Predicted COVID-19" → covid: COVID-19). */
  async classNames(): Promise<Record<string, string>> {
    const options = await this.predicted.locator('option').evaluateAll((els) =>
      els.map((el) => [(el as HTMLOptionElement).value, el.textContent?.trim() ?? ''] as const)
    )
    const names: Record<string, string> = {}
    for (const [value, text] of options) if (text.startsWith('Predicted ')) names[value] = text.slice('Predicted '.length)
    return names
  }

  async filterPredicted(value: PredictedFilter): Promise<void> {
    await this.predicted.selectOption(value)
  }

  async filterDisagreement(value: DisagreementFilter): Promise<void> {
    await this.disagreement.selectOption(value)
  }

  async sortByUncertainty(value: UncertaintySort): Promise<void> {
    await this.sort.selectOption(value)
  }
}
