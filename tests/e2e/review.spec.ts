import { parse } from 'csv-parse/sync'
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CSV_COLUMNS } from '../../src/shared/vocabulary'
import { expect, test } from './fixtures'
import { ReviewPage } from './pages/ReviewPage'
import { StatsPage } from './pages/StatsPage'
import { callApi, entryByFilename } from './support/api'
import { ffprobeFrameCount } from './support/media'
import { leaveAndStop, makeTempDir, REPO_ROOT, runImport, startServe, type ServeInstance } from './support/serveProcess'
import { docsScreenshot } from './support/docsScreenshot'

/** One clip of every format the dataset holds; most need a proxy (made on first request). */
const CLIPS = [
  { ext: '.avi', filename: 'Pneu_northumbria_0409_set1_vid1' },
  { ext: '.mp4', filename: 'Reg_liftl_pneucase3_clip1' },
  { ext: '.mov', filename: 'Cov_convex_volpecelli_sonographic_v3' },
  { ext: '.mpeg', filename: 'Reg_pat1Image_133410' },
  { ext: '.gif', filename: 'Cov-Atlas-Day+1' },
  { ext: '.jpg', filename: 'Pneu_northumbria_0409_set6_img6' },
  { ext: '.png', filename: 'Pneu_emdocs_1' }
] as const

const READY_TIMEOUT_MS = 60_000
const REVIEWER = 'Dr. E2E Reviewer'

const counterText = (k: number, times: readonly number[]): string =>
  `frame ${k + 1} / ${times.length} · ${(times[k] ?? 0).toFixed(2)} s`

test.describe('player', () => {
  // Ask for every clip's playback once up front, so the proxies are made side by side.
  test.beforeAll(async ({ datasetServer }) => {
    for (const clip of CLIPS) {
      const entry = await entryByFilename(datasetServer, clip.filename)
      if (entry.mediaId !== null) await callApi(datasetServer, 'media/playback', { mediaId: entry.mediaId })
    }
  })

  for (const clip of CLIPS) {
    test(`a ${clip.ext} clip steps frame by frame to its last frame`, async ({
      catalogPage,
      datasetServer,
      datasetDir,
      page
    }, testInfo) => {
      test.setTimeout(90_000)
      const entry = await entryByFilename(datasetServer, clip.filename)
      const detail = await callApi(datasetServer, 'catalog/get', { id: entry.id })
      expect(detail.media, `${clip.filename} has a media file`).not.toBeNull()
      const file = path.join(datasetDir, detail.media?.relPath ?? '')
      expect(path.extname(file).toLowerCase()).toBe(clip.ext)

      await catalogPage.open(datasetServer.url)
      const review = new ReviewPage(page)
      if (clip.ext === '.avi') {
        // Through the catalog, as a reviewer would: search, then double-click the row.
        await catalogPage.search(clip.filename)
        await catalogPage.row(clip.filename).dblclick()
        await expect(review.filename).toHaveText(clip.filename)
      } else await review.openById(entry.id, clip.filename)
      await review.dismissNameDialog()
      await review.waitReady(READY_TIMEOUT_MS)

      const playback = await callApi(datasetServer, 'media/playback', { mediaId: detail.media?.id ?? 0 })
      expect(playback.state).toBe('ready')
      const times = playback.frameTimes
      const n = times.length
      expect(n, 'frames the player knows = frames ffprobe decodes').toBe(ffprobeFrameCount(file))
      await expect(review.counter).toHaveText(counterText(0, times))

      const clamp = (k: number): number => Math.min(n - 1, Math.max(0, k))
      /** Presses a key and checks the counter, and that the browser presents exactly that frame. */
      const expectAfter = async (key: string, k: number): Promise<void> => {
        await review.press(key)
        await expect(review.counter).toHaveText(counterText(k, times))
        if (playback.source !== 'image') {
          await expect
            .poll(async () => Math.abs(((await review.presentedTime()) ?? -1) - (times[k] ?? 0)), {
              message: `presented media time of frame ${k + 1}`
            })
            .toBeLessThan(0.002)
        }
      }

      await expectAfter('ArrowRight', clamp(1))
      await expectAfter('Shift+ArrowRight', clamp(11))
      await expectAfter('ArrowLeft', clamp(10))
      await expectAfter('End', n - 1)
      await expectAfter('ArrowRight', n - 1)
      await expectAfter('Shift+ArrowLeft', clamp(n - 11))
      await expectAfter('Home', 0)
      await expect(review.counter).toHaveText(new RegExp(`^frame 1 / ${n} · \\d+\\.\\d\\d s$`))

      if (playback.source !== 'image') {
        // Space plays and pauses; paused, the counter still names a frame of the clip.
        await review.press('Space')
        await expect(page.getByTestId('play-pause')).toHaveAttribute('aria-label', 'Pause')
        await review.press('Space')
        await expect(page.getByTestId('play-pause')).toHaveAttribute('aria-label', 'Play')
        await expect(review.counter).toHaveText(new RegExp(`^frame \\d+ / ${n} · `))
      }
      await page.screenshot({ path: testInfo.outputPath(`player${clip.ext}.png`) })
    })
  }

  test('? lists every shortcut and Esc closes the list', async ({ catalogPage, datasetServer, page }) => {
    const entry = await entryByFilename(datasetServer, 'Pneu_emdocs_1')
    await catalogPage.open(datasetServer.url)
    const review = new ReviewPage(page)
    await review.openById(entry.id, 'Pneu_emdocs_1')
    await review.dismissNameDialog()
    await review.press('?')
    const help = page.getByTestId('shortcut-help')
    await expect(help).toBeVisible()
    for (const text of ['Play / pause', 'One frame forward', '10 frames back', 'Last frame', 'Mark the current frame', 'B-lines', 'Fever', 'Label Healthy', 'Undo', 'Next clip'])
      await expect(help).toContainText(text)
    await review.press('Escape')
    await expect(help).toBeHidden()
    // Esc again leaves the review.
    await review.press('Escape')
    await expect(catalogPage.table).toBeVisible()
  })
})

test('keyboard-only labeling is saved, survives a reload, is in the history, undoes, and exports', async ({
  catalogPage,
  editableServer,
  datasetDir,
  page
}, testInfo) => {
  test.setTimeout(90_000)
  const filename = 'Pneu_liftl_pneu_case3_clip3'
  const entry = await entryByFilename(editableServer, filename)
  await catalogPage.open(editableServer.url)

  // Open from the catalog with the keyboard: search, select, Enter.
  await catalogPage.search(filename)
  await catalogPage.row(filename).click()
  await page.keyboard.press('Enter')
  const review = new ReviewPage(page)
  await expect(review.filename).toHaveText(filename)
  // First start: the name is asked before any edit.
  await review.setName(REVIEWER)
  await expect(page.getByTestId('user-name-text')).toHaveText(REVIEWER)
  await review.waitReady(READY_TIMEOUT_MS)

  const labels = review.labels
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'bacterial_pneumonia')

  // A key frame at frame 3, with a note.
  await review.press('End')
  await review.press('Home')
  await review.press('ArrowRight')
  await review.press('ArrowRight')
  await expect(review.counter).toHaveText(/^frame 3 \//)
  await review.press('m')
  await page.getByTestId('keyframe-note').fill('consolidation best seen')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('keyframe-item')).toHaveCount(1)
  await expect(page.getByTestId('keyframe-item')).toContainText('consolidation best seen')
  await expect(page.getByTestId('keyframe-tick')).toHaveCount(1)
  // The form closes once the save is answered; until then a key typed would go into the note.
  await expect(page.getByTestId('keyframe-form')).toHaveCount(0)

  // Label Healthy (4), B-lines present (b), Cough n/A (Shift+C), Effusion not assessed (e).
  await review.press('4')
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'healthy')
  await labels.expectSaved()
  await labels.cycleTo(labels.pathology('b'), 'b', 'present')
  await labels.cycleTo(labels.symptom('c'), 'Shift+C', 'n/A')
  // Typing in a text field types: its letters are no shortcuts. Ctrl+Enter saves the comment.
  const comments = labels.field('field-comments')
  await comments.fill('')
  await comments.pressSequentially('b-lines basal')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('header-undo')).toHaveAttribute('aria-label', /Comments first medical doctor/)
  await labels.expectSaved()
  await expect(labels.pathology('b')).toHaveAttribute('data-state', 'present')
  await expect(labels.pathology('e')).toHaveAttribute('data-state', 'absent')
  await labels.cycleTo(labels.pathology('e'), 'e', 'not_assessed')
  // The catalog's summary row follows at once.
  await expect(page.getByTestId('review-label')).toHaveText('Healthy')
  // For the README: the whole label panel in view, from its top.
  await page.evaluate(`document.querySelector('[data-testid="label-panel"]').parentElement.scrollTop = 0`)
  await docsScreenshot(page, path.join(REPO_ROOT, 'docs', 'screenshots', 'player.png'))

  // Reload: the review comes back to the same clip with every value.
  await page.reload()
  await expect(review.filename).toHaveText(filename)
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'healthy')
  await expect(labels.pathology('b')).toHaveAttribute('data-state', 'present')
  await expect(labels.symptom('c')).toHaveAttribute('data-state', 'n/A')
  await expect(labels.pathology('e')).toHaveAttribute('data-state', 'not_assessed')
  await expect(page.getByTestId('keyframe-item')).toHaveCount(1)

  // The history lists each change with the reviewer's name.
  await review.showTab('history')
  const rows = review.historyRows()
  await expect(rows.filter({ hasText: 'Label' })).toHaveCount(1)
  await expect(rows.filter({ hasText: 'B-lines' }).first()).toContainText(REVIEWER)
  await expect(rows.filter({ hasText: 'Cough' })).not.toHaveCount(0)
  await expect(rows.filter({ hasText: 'Key frame 3' })).toHaveCount(1)
  await testInfo.attach('history', { body: await page.screenshot(), contentType: 'image/png' })

  // Ctrl+Z undoes the last change (Effusion), and the history records the undo.
  await page.getByTestId('review-filename').click()
  await page.keyboard.press('Control+z')
  await expect(review.history.locator('[data-testid="history-row"][data-kind="undo"]')).toHaveCount(1)
  await review.showTab('labels')
  await expect(labels.pathology('e')).toHaveAttribute('data-state', 'absent')
  await expect(labels.pathology('b')).toHaveAttribute('data-state', 'present')
  // Redo puts it back (Ctrl+Shift+Z, or Ctrl+Y); undo again for the export below.
  await page.keyboard.press('Control+Shift+Z')
  await expect(labels.pathology('e')).toHaveAttribute('data-state', 'not_assessed')
  await page.keyboard.press('Control+z')
  await expect(labels.pathology('e')).toHaveAttribute('data-state', 'absent')
  await page.keyboard.press('Control+y')
  await expect(labels.pathology('e')).toHaveAttribute('data-state', 'not_assessed')
  await page.keyboard.press('Control+z')
  await expect(labels.pathology('e')).toHaveAttribute('data-state', 'absent')
  await expect(labels.field('field-comments')).toHaveValue('b-lines basal')

  // Export through the header's button: edited cells in the dataset's spelling, every other cell as it was.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
  const exported = parse(await readFile(await download.path(), 'utf8'), { relax_column_count: true }) as string[][]
  const original = parse(await readFile(path.join(datasetDir, 'dataset_metadata.csv'), 'utf8'), {
    relax_column_count: true
  }) as string[][]
  expect(exported.length).toBe(original.length)
  const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name)
  const expected = new Map<number, string>([
    [col('Label'), 'regular'],
    [col('B-lines'), '1'],
    [col('Cough'), 'n/A'],
    [col('Comments first medical doctor (MD1)'), 'b-lines basal']
  ])
  const rowIndex = original.findIndex((r) => r[col('Filename')] === filename)
  expect(rowIndex).toBeGreaterThan(0)
  expect(entry.row).toBe(rowIndex)
  for (let r = 0; r < original.length; r++) {
    const before = original[r] ?? []
    const after = exported[r] ?? []
    if (r !== rowIndex) {
      expect(after, `CSV record ${r} is untouched`).toEqual(before)
      continue
    }
    for (let c = 0; c < before.length; c++) {
      const want = expected.get(c) ?? before[c]
      expect(after[c], `${CSV_COLUMNS[c]} of ${filename}`).toBe(want)
    }
  }
})

test('undo never changes a clip out of view: Ctrl+Z first shows the clip it would change, a second press undoes', async ({
  catalogPage,
  editableServer,
  page
}) => {
  const clipA = await entryByFilename(editableServer, 'Cov_Oliviera_2020_Fig5A')
  const clipB = await entryByFilename(editableServer, 'Pneu_emdocs_1')
  expect(clipA.label).toBe('covid')
  await callApi(editableServer, 'settings/setUserName', { name: REVIEWER })
  await catalogPage.open(editableServer.url)
  const review = new ReviewPage(page)
  const labels = review.labels

  // Clip A: COVID-19 → Healthy.
  await review.openById(clipA.id, clipA.filename)
  await review.press('4')
  await labels.expectSaved()
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'healthy')

  // Clip B on screen: the controls say the last change is elsewhere, and what a press would do.
  await review.openById(clipB.id, clipB.filename)
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', clipB.label)
  await expect(review.headerUndo).toHaveAttribute('aria-label', `Show ${clipA.filename} to undo Label (COVID-19 → Healthy)`)
  await expect(review.headerUndo).toHaveAttribute(
    'title',
    `The last change was on ${clipA.filename}: Label (COVID-19 → Healthy). Ctrl+Z shows that clip first; press again to undo it there.`
  )

  // First Ctrl+Z: clip A is shown with a notice, and nothing is undone yet.
  await page.keyboard.press('Control+z')
  await expect(review.filename).toHaveText(clipA.filename)
  await expect(review.historyNotice).toHaveAttribute('data-kind', 'shown')
  await expect(review.historyNotice).toContainText(
    'The last change was on this clip: Label (COVID-19 → Healthy). Press Ctrl+Z (or Undo) again to undo it.'
  )
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'healthy')
  expect((await callApi(editableServer, 'catalog/get', { id: clipA.id })).summary.label).toBe('healthy')
  await expect(review.headerUndo).toHaveAttribute('aria-label', 'Undo Label (COVID-19 → Healthy)')

  // Second Ctrl+Z, with A on screen: undone, and said so.
  await page.keyboard.press('Control+z')
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'covid')
  await expect(review.historyNotice).toHaveAttribute('data-kind', 'done')
  await expect(review.historyNotice).toContainText('Undid Label (COVID-19 → Healthy) on this clip. Ctrl+Shift+Z redoes it.')
  await expect(review.historyStep).toHaveText(`Undid Label (COVID-19 → Healthy) of ${clipA.filename}`)
  expect((await callApi(editableServer, 'catalog/get', { id: clipA.id })).summary.label).toBe('covid')

  // Redo from clip B with the header's button: the same two steps.
  await review.openById(clipB.id, clipB.filename)
  await expect(review.historyNotice).toHaveCount(0)
  await review.headerRedo.click()
  await expect(review.filename).toHaveText(clipA.filename)
  await expect(review.historyNotice).toContainText('The change to redo was on this clip: Label (COVID-19 → Healthy).')
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'covid')
  await review.headerRedo.click()
  await expect(labels.checkedLabel()).toHaveAttribute('data-value', 'healthy')
  await expect(review.historyStep).toHaveText(`Redid Label (COVID-19 → Healthy) of ${clipA.filename}`)

  // Clip B was never changed.
  expect((await callApi(editableServer, 'history/list', { entryId: clipB.id })).changes).toEqual([])
  expect((await callApi(editableServer, 'catalog/get', { id: clipB.id })).summary.label).toBe(clipB.label)
})

test('a key frame is named by the frame number the player shows, in the history and in undo', async ({
  catalogPage,
  editableServer,
  page
}) => {
  test.setTimeout(90_000)
  const filename = 'Pneu_liftl_pneu_case3_clip3'
  const entry = await entryByFilename(editableServer, filename)
  await callApi(editableServer, 'settings/setUserName', { name: REVIEWER })
  await catalogPage.open(editableServer.url)
  const review = new ReviewPage(page)
  await review.openById(entry.id, filename)
  await review.waitReady(READY_TIMEOUT_MS)

  // Mark the frame the counter shows as 5 (stored as the decoded frame index 4).
  await review.press('Home')
  for (let i = 0; i < 4; i++) await review.press('ArrowRight')
  await expect(review.counter).toHaveText(/^frame 5 \//)
  await review.press('m')
  await page.getByTestId('keyframe-note').fill('pleural line')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('keyframe-form')).toHaveCount(0)
  await expect(page.getByTestId('keyframe-item')).toHaveAttribute('data-frame', '4')
  await expect(page.getByTestId('keyframe-item')).toContainText('frame 5')

  await expect(review.headerUndo).toHaveAttribute('aria-label', 'Undo Key frame 5 (marked: "pleural line")')
  await review.showTab('history')
  await expect(review.history.getByTestId('next-undo')).toHaveText('Undo would revert on this clip: Key frame 5 (marked: "pleural line")')
  await expect(review.historyRows().filter({ hasText: 'Key frame 5' })).toHaveCount(1)

  await review.filename.click()
  await page.keyboard.press('Control+z')
  await expect(review.historyStep).toHaveText(`Undid Key frame 5 (marked: "pleural line") of ${filename}`)
  await expect(review.historyNotice).toContainText('Undid Key frame 5 (marked: "pleural line") on this clip.')
  await expect(page.getByTestId('keyframe-item')).toHaveCount(0)
  await expect(review.historyRows().filter({ hasText: 'Key frame 5' })).toHaveCount(2)
  await expect(review.history).not.toContainText('Key frame 4')
})

test('statistics draw live charts and export PNG and SVG', async ({ catalogPage, editableServer, page }, testInfo) => {
  test.setTimeout(90_000)
  await catalogPage.open(editableServer.url)
  const stats = new StatsPage(page)
  await stats.open()
  await expect(stats.charts).toHaveCount(4)
  for (const id of ['clips-by-label-probe-type', 'findings-by-label', 'symptoms-by-label', 'licences'])
    await expect(stats.chart(id).locator('canvas')).toBeVisible()
  const labelChart = stats.chart('clips-by-label-probe-type')
  await expect(labelChart).toHaveAttribute('data-summary', /Bacterial pneumonia=82;.*Healthy=110/)
  await docsScreenshot(page, path.join(REPO_ROOT, 'docs', 'screenshots', 'statistics.png'))
  await page.screenshot({ path: testInfo.outputPath('statistics.png') })

  const png = await stats.export('clips-by-label-probe-type', 'png')
  expect(png.suggestedFilename()).toBe('lus-clips-by-label-probe-type.png')
  const pngBytes = await readFile(await png.path())
  expect(pngBytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true)

  const svg = await stats.export('findings-by-label', 'svg')
  expect(svg.suggestedFilename()).toBe('lus-findings-by-label.svg')
  const svgText = await readFile(await svg.path(), 'utf8')
  expect(svgText).toMatch(/^<svg[\s>]/)
  expect(svgText).toContain('B-lines')

  // Live: relabel a clip in the review, come back, the chart has moved one clip.
  const entry = await entryByFilename(editableServer, 'Pneu_liftl_pneu_case3_clip3')
  await callApi(editableServer, 'settings/setUserName', { name: REVIEWER })
  await page.reload()
  const review = new ReviewPage(page)
  await review.openById(entry.id, 'Pneu_liftl_pneu_case3_clip3')
  await review.press('4')
  await review.labels.expectSaved()
  await stats.open()
  await expect(labelChart).toHaveAttribute('data-summary', /Bacterial pneumonia=81;.*Healthy=111/)
})

/**
 * A dataset of two CSV records, a clip and a still, copied from the public
 * one so the test can delete and change files.
 */
async function makeSmallDataset(source: string, target: string): Promise<void> {
  const text = await readFile(path.join(source, 'dataset_metadata.csv'), 'utf8')
  const [header, ...records] = text.split(/\r?\n/)
  const pick = (stem: string): string => {
    const record = records.find((line) => line.includes(`,${stem},`))
    if (record === undefined) throw new Error(`${stem} is not in the dataset CSV`)
    return record
  }
  await mkdir(path.join(target, 'pocus_videos', 'convex'), { recursive: true })
  await mkdir(path.join(target, 'pocus_images', 'convex'), { recursive: true })
  await writeFile(
    path.join(target, 'dataset_metadata.csv'),
    `${header}\n${pick('Pneu_northumbria_0409_set1_vid1')}\n${pick('Pneu_northumbria_0409_set6_img6')}\n`
  )
  await copyFile(
    path.join(source, 'pocus_videos', 'convex', 'Pneu_northumbria_0409_set1_vid1.avi'),
    path.join(target, 'pocus_videos', 'convex', 'Pneu_northumbria_0409_set1_vid1.avi')
  )
  await copyFile(
    path.join(source, 'pocus_images', 'convex', 'Pneu_northumbria_0409_set6_img6.jpg'),
    path.join(target, 'pocus_images', 'convex', 'Pneu_northumbria_0409_set6_img6.jpg')
  )
}

test('missing and changed media show an alert with a relink form, and relinking plays again', async ({
  catalogPage: _catalogPage,
  datasetDir,
  page
}, testInfo) => {
  test.setTimeout(90_000)
  const temp = await makeTempDir()
  let server: ServeInstance | null = null
  try {
    const folder = path.join(temp.dir, 'dataset')
    await makeSmallDataset(datasetDir, folder)
    const catalogPath = path.join(temp.dir, 'catalog.db')
    await runImport(folder, catalogPath)
    server = await startServe(catalogPath)
    const clip = await entryByFilename(server, 'Pneu_northumbria_0409_set1_vid1')
    const still = await entryByFilename(server, 'Pneu_northumbria_0409_set6_img6')
    await callApi(server, 'settings/setUserName', { name: REVIEWER })
    // Main records what the still looked like when first shown; that is what "changed" is measured against.
    if (still.mediaId !== null) await callApi(server, 'media/playback', { mediaId: still.mediaId })

    // The clip's file is moved away: missing, the entry and its labels intact.
    const clipFile = path.join(folder, 'pocus_videos', 'convex', 'Pneu_northumbria_0409_set1_vid1.avi')
    const movedFile = path.join(folder, 'pocus_videos', 'convex', 'moved_clip.avi')
    await copyFile(clipFile, movedFile)
    await rm(clipFile)

    // Straight to the review (the catalog would ask for the moved clip's thumbnail, a 404 the console logs).
    await page.goto(`${server.url}#/review/${clip.id}`)
    const review = new ReviewPage(page)
    await expect(review.filename).toHaveText('Pneu_northumbria_0409_set1_vid1')
    await expect(review.player).toHaveAttribute('data-state', 'missing', { timeout: 30_000 })
    await expect(review.mediaAlert).toHaveAttribute('role', 'alert')
    await expect(review.mediaAlert).toContainText('missing')
    await expect(review.mediaAlert).toContainText('labels are kept')
    await expect(review.relinkForm).toBeVisible()
    await expect(review.labels.checkedLabel()).toHaveAttribute('data-value', 'bacterial_pneumonia')
    await page.screenshot({ path: testInfo.outputPath('missing.png') })

    // Relink to where the file went: it plays again.
    await review.relinkForm.getByTestId('relink-path').fill('pocus_videos/convex/moved_clip.avi')
    await review.relinkForm.getByTestId('relink-submit').click()
    await review.waitReady(READY_TIMEOUT_MS)
    await expect(review.mediaAlert).toHaveCount(0)
    await expect(review.counter).toHaveText(/^frame 1 \/ 90 · /)

    // The still is overwritten by another picture: changed since import.
    await copyFile(
      path.join(datasetDir, 'pocus_images', 'convex', 'Pneu_northumbria_0409_set5_img1.jpg'),
      path.join(folder, 'pocus_images', 'convex', 'Pneu_northumbria_0409_set6_img6.jpg')
    )
    await review.openById(still.id, 'Pneu_northumbria_0409_set6_img6')
    await expect(review.player).toHaveAttribute('data-state', 'changed', { timeout: 30_000 })
    await expect(review.mediaAlert).toContainText('changed')
    await expect(review.relinkForm).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath('changed.png') })
  } finally {
    await leaveAndStop(page, server)
    await temp.remove()
  }
})
