import { expect, test } from './fixtures'
import { BackupDialog } from './pages/BackupDialog'
import { ReviewPage } from './pages/ReviewPage'
import { callApi, entryByFilename } from './support/api'
import { docsScreenshot } from './support/docsScreenshot'
import { REPO_ROOT } from './support/serveProcess'
import path from 'node:path'

const FILENAME = 'Pneu_liftl_pneu_case3_clip3'

test('a label changed after a backup comes back as it was when that backup is restored', async ({ catalogPage, editableServer, page }) => {
  test.setTimeout(90_000)
  const entry = await entryByFilename(editableServer, FILENAME)
  await callApi(editableServer, 'settings/setUserName', { name: 'Dr. Backup' })
  await catalogPage.open(editableServer.url)
  const review = new ReviewPage(page)
  const labels = review.labels
  const backups = new BackupDialog(page)

  // First label: Healthy.
  await review.openById(entry.id, FILENAME)
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'bacterial_pneumonia')
  await review.press('4')
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'healthy')
  await labels.expectSaved()

  // Back up now.
  await backups.open()
  const backupName = await backups.backUpNow()
  await expect(backups.rowsFor('manual').first()).toContainText('Made by hand')
  await backups.close()

  // Relabel: COVID-19.
  await review.press('1')
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'covid')
  await labels.expectSaved()

  // Restore the backup: the app reloads and the clip is Healthy again.
  await backups.open()
  const row = backups.root.locator(`[data-testid="backup-row"][data-name="${backupName}"]`)
  await backups.restore(row)
  await expect(backups.notice).toContainText(`Restored ${backupName}. The catalog it replaced is kept as`)
  await expect(backups.root).toBeHidden({ timeout: 15_000 })
  await expect(review.filename).toHaveText(FILENAME)
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'healthy')
  expect((await callApi(editableServer, 'catalog/get', { id: entry.id })).summary.label).toBe('healthy')

  // The catalog it replaced (with COVID-19) is listed as the safety copy.
  await backups.open()
  await expect(backups.rowsFor('before-restore')).toHaveCount(1)
  await expect(backups.rowsFor('before-restore')).toContainText('Safety copy before a restore')
  await docsScreenshot(page, path.join(REPO_ROOT, 'docs', 'screenshots', 'backups.png'))
  await backups.close()
})
