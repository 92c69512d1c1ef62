import { expect, type Locator, type Page } from '@playwright/test'

/** Serve mode's folder browser (FolderBrowser.vue): places, one folder's entries, Up, and the choose button. */
export class FolderBrowser {
  readonly root: Locator
  readonly path: Locator
  readonly up: Locator
  readonly choose: Locator
  readonly error: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('folder-browser')
    this.path = this.root.getByTestId('browser-path')
    this.up = this.root.getByTestId('browser-up')
    this.choose = this.root.getByTestId('browser-choose')
    this.error = this.root.getByTestId('browser-error')
  }

  entry(name: string): Locator {
    return this.root.locator(`[data-testid="browser-entry"][data-name="${name}"]`)
  }

  entries(): Locator {
    return this.root.getByTestId('browser-entry')
  }

  /** Opens each folder in turn by clicking its entry, checking where each click leads. */
  async openFolders(names: string[], expectedPaths: string[]): Promise<void> {
    for (const [i, name] of names.entries()) {
      await this.entry(name).click()
      await expect(this.path).toHaveText(expectedPaths[i]!)
    }
  }
}
