import { expect, type Locator, type Page } from '@playwright/test'

/** The "Backups…" dialog of the app header: the catalog's backups, "Back up now", and restore with a confirmation. */
export class BackupDialog {
  readonly openButton: Locator
  readonly root: Locator
  readonly rows: Locator
  readonly createButton: Locator
  readonly confirm: Locator
  readonly notice: Locator
  readonly error: Locator

  constructor(readonly page: Page) {
    this.openButton = page.getByRole('button', { name: 'Backups…' })
    this.root = page.getByRole('dialog', { name: 'Backups' })
    this.rows = this.root.getByTestId('backup-row')
    this.createButton = this.root.getByRole('button', { name: 'Back up now' })
    this.confirm = this.root.getByRole('group', { name: /^Restore the backup of/ })
    this.notice = this.root.getByRole('status')
    this.error = this.root.getByRole('alert')
  }

  async open(): Promise<void> {
    await this.openButton.click()
    await expect(this.root).toBeVisible()
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close' }).click()
    await expect(this.root).toBeHidden()
  }

  /** Rows made for one reason (manual, scheduled, before-restore, …), newest first. */
  rowsFor(reason: string): Locator {
    return this.root.locator(`[data-testid="backup-row"][data-reason="${reason}"]`)
  }

  /** "Back up now"; resolves once the new backup is listed. Returns its file name. */
  async backUpNow(): Promise<string> {
    const before = await this.rowsFor('manual').count()
    await this.createButton.click()
    await expect(this.notice).toContainText('Backed up the catalog')
    await expect(this.rowsFor('manual')).toHaveCount(before + 1)
    return (await this.rowsFor('manual').first().getAttribute('data-name')) ?? ''
  }

  /** Asks to restore the backup of that row, and checks what the confirmation says before confirming. */
  async restore(row: Locator): Promise<void> {
    await row.getByRole('button', { name: /^Restore the backup of/ }).click()
    await expect(this.confirm).toBeVisible()
    await expect(this.confirm).toContainText('kept as a safety copy')
    await this.confirm.getByRole('button', { name: 'Restore this backup' }).click()
  }
}
