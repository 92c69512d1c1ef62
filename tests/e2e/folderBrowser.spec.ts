/**
 * Serve mode's folder browser: the dataset is imported by browsing to its
 * folder, without typing a path. The server's browse roots are set to the
 * folder that holds the dataset (LUS_BROWSE_ROOTS), so the browser shows
 * that one place and nothing above it. Then the same browser choosing
 * files (the DICOM import's Add…): only matching names, hidden ones on
 * request, and the entries main refuses (a link leading outside, a name
 * that is not UTF-8) shown but not choosable.
 */
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from './fixtures'
import { FolderBrowser } from './pages/FolderBrowser'
import { OpenFolderDialog } from './pages/OpenFolderDialog'
import { SubmissionPage } from './pages/SubmissionPage'
import { leaveAndStop, makeTempDir, startServe, type ServeInstance } from './support/serveProcess'

const DATASET_ENTRIES = 375

/** A server over an empty catalog whose folder browser sees only `roots`. */
async function serveWithRoots(catalogPath: string, roots: string[]): Promise<ServeInstance> {
  const before = process.env['LUS_BROWSE_ROOTS']
  // The child inherits the environment at spawn; put it back at once so no other server sees it.
  process.env['LUS_BROWSE_ROOTS'] = roots.join(path.delimiter)
  try {
    return await startServe(catalogPath)
  } finally {
    if (before === undefined) delete process.env['LUS_BROWSE_ROOTS']
    else process.env['LUS_BROWSE_ROOTS'] = before
  }
}

test('the dataset is imported by browsing to its folder, no path typed', async ({ catalogPage, datasetDir, page }, testInfo) => {
  test.setTimeout(180_000)
  const dataset = realpathSync(datasetDir)
  const place = path.dirname(dataset)
  const temp = await makeTempDir()
  const server = await serveWithRoots(path.join(temp.dir, 'empty.db'), [place])
  try {
    await catalogPage.open(server.url)
    await catalogPage.emptyState.getByTestId('empty-open-folder').click()
    const dialog = new OpenFolderDialog(page)
    await expect(dialog.root).toBeVisible()
    await expect(dialog.folderInput).toHaveValue('')

    await dialog.root.getByTestId('folder-input-browse').click()
    const browser = new FolderBrowser(page)
    await expect(browser.root).toBeVisible()
    // The places: only the configured root.
    await expect(browser.path).toHaveText('Places')
    await expect(browser.entries()).toHaveCount(1)
    await expect(browser.choose).toBeDisabled()

    await browser.openFolders([path.basename(place), path.basename(dataset)], [place, dataset])
    // Folders only: the dataset's CSV is not listed when choosing a folder.
    await expect(browser.entry('pocus_videos')).toBeVisible()
    await expect(browser.entry('dataset_metadata.csv')).toHaveCount(0)
    // Up stops at the root: above it are the places again, never the parent folder.
    await browser.up.click()
    await expect(browser.path).toHaveText(place)
    await browser.up.click()
    await expect(browser.path).toHaveText('Places')
    await browser.openFolders([path.basename(place), path.basename(dataset)], [place, dataset])
    await page.screenshot({ path: testInfo.outputPath('folder-browser.png') })

    await browser.choose.click()
    await expect(browser.root).toHaveCount(0)
    await expect(dialog.folderInput).toHaveValue(dataset)

    await dialog.importButton.click()
    await expect(dialog.report).toBeVisible({ timeout: 150_000 })
    await expect(dialog.error).toBeHidden()
    await expect(dialog.reportFigure('report-rows')).toHaveText(String(DATASET_ENTRIES))
    await dialog.close()
    await expect(catalogPage.statusCounts).toContainText(`${DATASET_ENTRIES} entries`)
  } finally {
    await leaveAndStop(page, server)
    await temp.remove()
  }
})

test('a cancelled browse leaves the field as it was', async ({ catalogPage, datasetDir, page }) => {
  const temp = await makeTempDir()
  const server = await serveWithRoots(path.join(temp.dir, 'empty.db'), [path.dirname(realpathSync(datasetDir))])
  try {
    await catalogPage.open(server.url)
    await catalogPage.emptyState.getByTestId('empty-open-folder').click()
    const dialog = new OpenFolderDialog(page)
    await dialog.folderInput.fill('/typed/by/hand')
    await dialog.root.getByTestId('folder-input-browse').click()
    const browser = new FolderBrowser(page)
    await expect(browser.root).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(browser.root).toHaveCount(0)
    // The import dialog itself stays open.
    await expect(dialog.root).toBeVisible()
    await expect(dialog.folderInput).toHaveValue('/typed/by/hand')
  } finally {
    await leaveAndStop(page, server)
    await temp.remove()
  }
})

test('choosing files: matching names only, hidden on request, refused entries shown but not choosable', async ({ catalogPage, page }) => {
  void catalogPage
  const temp = await makeTempDir()
  const root = path.join(temp.dir, 'exports')
  const outside = path.join(temp.dir, 'outside')
  mkdirSync(root)
  mkdirSync(outside)
  for (const name of ['IM0001.dcm', 'IM0002.DCM', 'notes.txt', '.hidden.dcm']) writeFileSync(path.join(root, name), 'DICM')
  writeFileSync(path.join(outside, 'secret.dcm'), 'DICM')
  symlinkSync(path.join(outside, 'secret.dcm'), path.join(root, 'elsewhere.dcm'))
  writeFileSync(Buffer.concat([Buffer.from(path.join(root, 'caf')), Buffer.from([0xe9]), Buffer.from('.dcm')]), 'DICM')
  const server = await serveWithRoots(path.join(temp.dir, 'empty.db'), [root])
  try {
    const submission = new SubmissionPage(page)
    await submission.open(server.url)
    await page.getByTestId('dicom-paths-browse').click()
    const browser = new FolderBrowser(page)
    await browser.entry('exports').click()
    await expect(browser.path).toHaveText(realpathSync(root))
    await expect(browser.entry('IM0001.dcm')).toBeEnabled()
    await expect(browser.entry('IM0002.DCM')).toBeEnabled()
    await expect(browser.entry('notes.txt')).toHaveCount(0)
    await expect(browser.entry('.hidden.dcm')).toHaveCount(0)
    await expect(browser.entry('elsewhere.dcm')).toBeDisabled()
    await expect(browser.entry('elsewhere.dcm')).toContainText('outside the folders')
    await expect(browser.entry('caf\uFFFD.dcm')).toBeDisabled()
    await expect(browser.entry('caf\uFFFD.dcm')).toContainText('not valid UTF-8')
    await page.screenshot({ path: test.info().outputPath('file-browser.png') })
    await browser.root.getByTestId('browser-hidden').check()
    await expect(browser.entry('.hidden.dcm')).toBeVisible()

    await expect(browser.choose).toBeDisabled()
    await browser.entry('IM0001.dcm').click()
    await browser.choose.click()
    await expect(browser.root).toHaveCount(0)
    // A second choice adds a line rather than replacing the first.
    await page.getByTestId('dicom-paths-browse').click()
    await browser.entry('IM0002.DCM').dblclick()
    await expect(browser.root).toHaveCount(0)
    const real = realpathSync(root)
    await expect(page.getByTestId('dicom-paths')).toHaveValue(`${path.join(real, 'IM0001.dcm')}\n${path.join(real, 'IM0002.DCM')}`)
  } finally {
    await leaveAndStop(page, server)
    await temp.remove()
  }
})
