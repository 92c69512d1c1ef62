import { expect, type Locator, type Page } from '@playwright/test'

/** The "Open dataset folder…" dialog of serve mode: a path field, progress and the import report. */
export class OpenFolderDialog {
  readonly root: Locator
  readonly folderInput: Locator
  readonly importButton: Locator
  readonly report: Locator
  readonly error: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('open-folder-dialog')
    this.folderInput = this.root.getByTestId('folder-input')
    this.importButton = this.root.getByTestId('import-button')
    this.report = this.root.getByTestId('import-report')
    this.error = this.root.getByTestId('import-error')
  }

  async importFolder(folder: string): Promise<void> {
    await expect(this.root).toBeVisible()
    await this.folderInput.fill(folder)
    await this.importButton.click()
  }

  reportFigure(testId: string): Locator {
    return this.report.getByTestId(testId).locator('dd')
  }

  async close(): Promise<void> {
    await this.root.getByTestId('close-dialog').click()
    await expect(this.root).toBeHidden()
  }
}
