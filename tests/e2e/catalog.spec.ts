import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { expect, test } from './fixtures'
import { OpenFolderDialog } from './pages/OpenFolderDialog'
import { REPO_ROOT } from './support/serveProcess'
import { docsScreenshot } from './support/docsScreenshot'

const DATASET_ENTRIES = 375

/**
 * A dataset of one CSV record and its clip, plus a copy of the clip under a
 * name the CSV does not list, which the import reports as unmatched.
 */
async function makeOneClipDataset(source: string, target: string): Promise<string> {
  const [header, ...records] = (await readFile(path.join(source, 'dataset_metadata.csv'), 'utf8')).split(/\r?\n/)
  const record = records.find((line) => line.includes(`,${ENTRY},`))
  if (header === undefined || record === undefined) throw new Error(`${ENTRY} is not in the dataset CSV`)
  const clips = path.join(target, 'pocus_videos', 'convex')
  await mkdir(clips, { recursive: true })
  await writeFile(path.join(target, 'dataset_metadata.csv'), `${header}\n${record}\n`)
  const clip = path.join(source, 'pocus_videos', 'convex', `${ENTRY}.avi`)
  await copyFile(clip, path.join(clips, `${ENTRY}.avi`))
  await copyFile(clip, path.join(clips, 'Unlisted_clip.avi'))
  return target
}
const ENTRY = 'Pneu_northumbria_0409_set1_vid1'

test.describe('catalog of the public dataset', () => {
  test.beforeEach(async ({ catalogPage, datasetServer }) => {
    await catalogPage.open(datasetServer.url)
  })

  test('opens with every entry counted in the status bar', async ({ catalogPage, page }, testInfo) => {
    await expect(catalogPage.statusCounts).toContainText(`${DATASET_ENTRIES} entries · ${DATASET_ENTRIES} shown`)
    const counts = await catalogPage.counts()
    expect(counts.withMedia).toBeGreaterThan(0)
    expect(counts.withMedia + counts.mediaMissing).toBeLessThanOrEqual(counts.total)
    await expect(catalogPage.rows().first()).toBeVisible()

    // Select an entry whose clip is linked: the README screenshot shows the whole window at work.
    await catalogPage.row('Cov-Atlas-Day+2').click()
    await expect(catalogPage.mediaField('media-frames')).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath('catalog.png') })
    await docsScreenshot(page, path.join(REPO_ROOT, 'docs', 'screenshots', 'catalog.png'))
  })

  test('probe and label filters narrow the list to matching rows', async ({ catalogPage }, testInfo) => {
    await catalogPage.filterProbe('linear')
    await catalogPage.expectShown(86)
    for (const probe of await catalogPage.cellTexts('probe')) expect(probe.toLowerCase()).toBe('linear')

    // Facet counts take the other active filters into account.
    const labels = await catalogPage.openFacet('filter-label')
    await expect(catalogPage.facetOption(labels, 'COVID-19').locator('.facet-count')).toHaveText('63')
    await catalogPage.page.keyboard.press('Escape')

    await catalogPage.filterLabel('COVID-19')
    await catalogPage.expectShown(63)
    expect(await catalogPage.cellTexts('label')).not.toHaveLength(0)
    for (const label of await catalogPage.cellTexts('label')) expect(label).toBe('COVID-19')
    for (const probe of await catalogPage.cellTexts('probe')) expect(probe.toLowerCase()).toBe('linear')
    await catalogPage.page.screenshot({ path: testInfo.outputPath('filtered.png') })

    await catalogPage.clearFilters()
    await catalogPage.expectShown(DATASET_ENTRIES)
  })

  test('free-text search narrows the list', async ({ catalogPage }) => {
    await catalogPage.search('northumbria')
    await expect(catalogPage.statusCounts).not.toContainText(`${DATASET_ENTRIES} shown`)
    const { shown } = await catalogPage.counts()
    // 33 filenames name the hospital; its name also appears in other searched cells.
    expect(shown).toBeGreaterThanOrEqual(33)
    expect(shown).toBeLessThan(DATASET_ENTRIES)

    await catalogPage.search('pneu_northumbria')
    const filenames = await catalogPage.renderedFilenames()
    expect(filenames).not.toHaveLength(0)
    for (const filename of filenames) expect(filename.toLowerCase()).toContain('pneu_northumbria')

    // Every term must match: a second one narrows further.
    await catalogPage.search('northumbria set1_vid1')
    await catalogPage.expectShown(1)
    await expect(catalogPage.row(ENTRY)).toBeVisible()

    await catalogPage.search('no-such-clip-anywhere')
    await catalogPage.expectShown(0)
    await expect(catalogPage.page.getByTestId('no-match')).toBeVisible()
  })

  test('an opened entry shows its CSV fields and media info', async ({ catalogPage, page }, testInfo) => {
    await catalogPage.openEntry(ENTRY)

    await expect(catalogPage.detail.getByTestId('csv-field')).toHaveCount(44)
    await expect(catalogPage.csvField('Filename')).toHaveText(ENTRY)
    await expect(catalogPage.csvField('Label')).toHaveText('Bacterial pneumonia')
    await expect(catalogPage.csvField('License')).toHaveText('CC BY-NC 4.0')
    await expect(catalogPage.csvField('Resolution')).toHaveText('516x516')
    await expect(catalogPage.csvField('MD2')).toHaveText('unsure, effusion?')
    await expect(catalogPage.detail.locator('[data-testid="csv-field"][data-column=""] dt')).toHaveText(
      '(unnamed column)'
    )

    const clinical = catalogPage.detail.getByTestId('detail-clinical')
    await expect(clinical).toContainText('Bacterial pneumonia')
    await expect(clinical).toContainText('Convex')

    await expect(catalogPage.mediaField('media-path')).toContainText(ENTRY)
    await expect(catalogPage.mediaField('media-frames')).toHaveText(/^\d[\d,]*$/)
    await expect(catalogPage.mediaField('media-fps')).toHaveText(/^\d[\d.,]* fps$/)
    await page.screenshot({ path: testInfo.outputPath('detail.png') })
  })

  test('a linked still image is previewed from the media endpoint', async ({ catalogPage }) => {
    await catalogPage.openEntry('Pneu_Avi_subpleural-consolidation')
    await expect(catalogPage.mediaField('media-kind')).toHaveText('Image')
    await expect(catalogPage.mediaField('media-fps'), 'a still image has no frame rate').toHaveCount(0)
    const preview = catalogPage.detail.getByRole('img')
    await expect(preview).toBeVisible()
    await expect.poll(() => preview.evaluate((img) => ('naturalWidth' in img ? Number(img.naturalWidth) : 0))).toBeGreaterThan(0)
  })

  test('linked media have a thumbnail, entries without media none', async ({ catalogPage }) => {
    await catalogPage.search('Cov-Atlas')
    const linked = catalogPage.row('Cov-Atlas-Day+2').getByTestId('catalog-thumb')
    await expect(linked).toBeVisible()
    await expect.poll(() => linked.evaluate((img) => ('naturalWidth' in img ? Number(img.naturalWidth) : 0))).toBeGreaterThan(0)
    await expect(catalogPage.row('Cov-Atlas+(44)').getByTestId('catalog-thumb')).toHaveCount(0)
  })

  test('the Open button, Enter and a double-click open the review; Esc comes back', async ({ catalogPage, page }) => {
    const review = page.getByTestId('review-view')
    const reviewed = page.getByTestId('review-filename')
    // Without a name set, the review asks for one first; "Not now" views without editing.
    const skipName = async (): Promise<void> => {
      const user = page.getByTestId('user-name')
      await expect(user).not.toHaveAttribute('data-state', 'loading')
      if ((await user.getAttribute('data-state')) !== 'unset') return
      const dialog = page.getByTestId('user-name-dialog')
      await expect(dialog).toBeVisible()
      await dialog.getByTestId('user-name-cancel').click()
      await expect(dialog).toBeHidden()
    }

    await catalogPage.openEntry(ENTRY)
    await catalogPage.detail.getByTestId('open-review').click()
    await expect(reviewed).toHaveText(ENTRY)
    await skipName()
    await page.getByTestId('back-to-catalog').click()
    await expect(catalogPage.row(ENTRY)).toHaveAttribute('aria-selected', 'true')

    await catalogPage.table.focus()
    await page.keyboard.press('Enter')
    await expect(reviewed).toHaveText(ENTRY)
    await skipName()
    await page.keyboard.press('Escape')
    await expect(review).toHaveCount(0)

    await catalogPage.row(ENTRY).dblclick()
    await expect(reviewed).toHaveText(ENTRY)
  })

  test('rows sort by a clicked header and the keyboard moves the selection', async ({ catalogPage }) => {
    const header = catalogPage.page.getByTestId('sort-filename')
    await header.click()
    const ascending = await catalogPage.renderedFilenames()
    await header.click()
    const descending = await catalogPage.renderedFilenames()
    expect(ascending[0]).not.toBe(descending[0])
    await expect(catalogPage.page.locator('[role="columnheader"][aria-sort="descending"]')).toHaveCount(1)

    const [first, second] = descending
    await catalogPage.row(first ?? '').click()
    await expect(catalogPage.detail.getByTestId('detail-filename')).toHaveText(first ?? '')
    await catalogPage.page.keyboard.press('ArrowDown')
    await expect(catalogPage.row(second ?? '')).toHaveAttribute('aria-selected', 'true')
    await expect(catalogPage.detail.getByTestId('detail-filename')).toHaveText(second ?? '')
    await catalogPage.page.keyboard.press('ArrowUp')
    await expect(catalogPage.detail.getByTestId('detail-filename')).toHaveText(first ?? '')
  })
})

test.describe('export', () => {
  test('Export CSV downloads the catalog as dataset_metadata.csv', async ({ catalogPage, datasetServer, page }) => {
    await catalogPage.open(datasetServer.url)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
    expect(download.suggestedFilename()).toBe('dataset_metadata.csv')
    const file = await download.path()
    const csv = await readFile(file, 'utf8')
    expect(csv.split(/\r?\n/, 1)[0]).toContain('Date added,Current location,Filename')
    expect(csv).toContain(ENTRY)
    await expect(page.getByTestId('export-error')).toHaveCount(0)
  })
})

test('an empty catalog offers the import, which fills the table', async ({
  catalogPage,
  emptyServer,
  datasetDir,
  page
}, testInfo) => {
  // The import probes 125 files with ffprobe: about 40 s on a quiet 2-core machine, longer on a loaded one.
  test.setTimeout(180_000)
  await catalogPage.open(emptyServer.url)
  await expect(catalogPage.emptyState).toContainText('The catalog is empty')
  await page.screenshot({ path: testInfo.outputPath('empty.png') })

  await catalogPage.emptyState.getByTestId('empty-open-folder').click()
  const dialog = new OpenFolderDialog(page)
  await dialog.importFolder(datasetDir)
  await expect(dialog.report).toBeVisible({ timeout: 120_000 })
  await expect(dialog.error).toBeHidden()
  await expect(dialog.reportFigure('report-rows')).toHaveText(String(DATASET_ENTRIES))
  await page.screenshot({ path: testInfo.outputPath('import-report.png') })
  await dialog.close()

  await expect(catalogPage.statusCounts).toContainText(`${DATASET_ENTRIES} entries`)
  await expect(catalogPage.rows().first()).toBeVisible()
})

test('media that no CSV record names can be added as new entries', async ({
  catalogPage,
  emptyServer,
  datasetDir,
  page
}, testInfo) => {
  const folder = await makeOneClipDataset(datasetDir, testInfo.outputPath('one-clip-dataset'))
  await catalogPage.open(emptyServer.url)
  await catalogPage.emptyState.getByTestId('empty-open-folder').click()
  const dialog = new OpenFolderDialog(page)
  await dialog.importFolder(folder)
  await expect(dialog.reportFigure('report-rows')).toHaveText('1', { timeout: 60_000 })
  await expect(dialog.report.getByTestId('report-orphans')).toContainText('1 media file matches no CSV record')

  await dialog.root.getByTestId('add-orphans').click()
  await expect(dialog.reportFigure('report-orphans-added')).toHaveText('1', { timeout: 60_000 })
  await expect(dialog.root.getByTestId('add-orphans')).toHaveCount(0)
  await dialog.close()

  await expect(catalogPage.statusCounts).toContainText('2 entries · 2 shown')
  await expect(catalogPage.row('Unlisted_clip')).toBeVisible()
})

test('a folder that is not a dataset reports the error in the dialog', async ({ catalogPage, emptyServer, page }) => {
  await catalogPage.open(emptyServer.url)
  await catalogPage.emptyState.getByTestId('empty-open-folder').click()
  const dialog = new OpenFolderDialog(page)
  await dialog.importFolder(path.join(REPO_ROOT, 'no-such-dataset-folder'))
  await expect(dialog.error).toBeVisible({ timeout: 30_000 })
  await expect(dialog.error).toHaveAttribute('role', 'alert')
  await expect(catalogPage.emptyState).toBeAttached()
})
