import { expect, type Locator, type Page } from '@playwright/test'

/** The labeling side panel of the review workspace. */
export class LabelPanel {
  readonly root: Locator
  readonly saveIndicator: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('label-panel')
    this.saveIndicator = page.getByTestId('save-indicator')
  }

  /** The chosen label's key (covid, healthy, …). */
  checkedLabel(): Locator {
    return this.root.locator('[data-testid="label-option"].checked')
  }

  /** A finding's row by its shortcut letter (b: B-lines); its data-state is present / absent / not_assessed. */
  pathology(key: string): Locator {
    return this.root.getByTestId(`pathology-${key}`)
  }

  /** A symptom's row by its shortcut letter (Shift+it cycles it); data-state is yes / no / n/A. */
  symptom(key: string): Locator {
    return this.root.getByTestId(`symptom-${key}`)
  }

  field(testId: string): Locator {
    return this.root.getByTestId(testId)
  }

  /** Presses `key` until the row reaches `state` (a cycle has three states), each press saved before the next. */
  async cycleTo(row: Locator, key: string, state: string): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const current = await row.getAttribute('data-state')
      if (current === state) return
      await this.page.keyboard.press(key)
      await expect(row).not.toHaveAttribute('data-state', current ?? '')
      await this.expectSaved()
    }
    await expect(row).toHaveAttribute('data-state', state)
  }

  /** Every save made so far has been answered, and the last one succeeded. */
  async expectSaved(): Promise<void> {
    await expect(this.saveIndicator).toHaveAttribute('data-pending', '0')
    await expect(this.saveIndicator).toHaveAttribute('data-state', 'saved')
  }
}
