import { parse } from 'csv-parse/sync'
import { mkdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { CSV_COLUMNS } from '../../src/shared/vocabulary'
import { expect, test } from './fixtures'
import { RatingsPage } from './pages/RatingsPage'
import { ReviewPage } from './pages/ReviewPage'
import { callApi } from './support/api'
import { startMachine, type Machine } from './support/ratings'
import { REPO_ROOT } from './support/serveProcess'
import { docsScreenshot } from './support/docsScreenshot'

/** Five COVID-19 images, one search away ("oliviera" is in their file names only). */
const SEARCH = 'oliviera'
const FILENAMES = ['Cov_Oliviera_2020_Fig14', 'Cov_Oliviera_2020_Fig5A', 'Cov_Oliviera_2020_Fig4A', 'Cov_Oliviera_2020_Fig15A', 'Cov_Oliviera_2020_Fig16']
const SET_NAME = 'Pilot set A'
const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots')

/** What rater mode may ask main for: rater/* and the player's media requests (plus the app shell's own polling). */
const RATER_MODE_OPS = new Set(['rater/sets', 'rater/next', 'rater/clip', 'rater/submit', 'media/playback', 'media/proxyQueue', 'history/status'])

function recordOps(page: Page): string[] {
  const ops: string[] = []
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.pathname.startsWith('/api/')) ops.push(decodeURIComponent(url.pathname.slice(5)))
  })
  return ops
}

/** The two window sizes a physician's laptop and a desktop give; the player must be as large in rating as in review at both. */
const WINDOWS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 }
] as const

/** The player's box at each window size (the page is resized, then put back to the first size). */
async function playerBoxes(page: Page, shotPrefix?: string): Promise<{ width: number; height: number }[]> {
  const boxes: { width: number; height: number }[] = []
  for (const size of [...WINDOWS, WINDOWS[0]]) {
    await page.setViewportSize(size)
    // One frame for the layout to follow the new size.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))')
    const box = await page.getByTestId('player').locator('.viewport').boundingBox()
    expect(box, 'the player is on screen').not.toBeNull()
    boxes.push({ width: box!.width, height: box!.height })
    if (shotPrefix) await page.screenshot({ path: `${shotPrefix}-${size.width}x${size.height}.png` })
  }
  return boxes.slice(0, WINDOWS.length)
}

/** Rates every clip of the queue; `label(clipNo)` says which label this rater gives. Checks the blinding on each clip. */
async function rateAll(ratings: RatingsPage, hidden: readonly string[], label: (clipNo: number) => string, comment: string): Promise<number[]> {
  const seen: number[] = []
  for (let k = 1; k <= 5; k++) {
    await expect(ratings.handle).toHaveText(/Clip \d+ of 5/)
    const clipNo = await ratings.clipNo()
    seen.push(clipNo)
    // Nothing on the page names the clip or its reference label; the form starts with no label chosen.
    const text = await ratings.page.locator('body').innerText()
    for (const h of hidden) expect(text.toLowerCase(), `"${h}" shown in rater mode`).not.toContain(h.toLowerCase())
    // The reference label (COVID-19 for all five) appears only as one of the label choices, none of them chosen.
    const choices = await ratings.form.getByTestId('rating-field-label').innerText()
    expect(text.replace(choices, '').toLowerCase()).not.toContain('covid')
    await expect(ratings.form.getByTestId('rating-field-label').locator('.checked')).toHaveCount(0)
    await expect(ratings.page.getByTestId('rating-revealed')).toHaveCount(0)
    await ratings.rate({ label: label(clipNo), 'B-lines': 'present' }, 4, `${comment} on clip ${clipNo}`)
    await expect(ratings.progress).toContainText(`${k} of 5 rated`)
  }
  await expect(ratings.page.getByTestId('rater-done')).toBeVisible()
  return seen
}

test('two raters rate blind on two machines, merge bundles, agree, adjudicate and export', async ({
  catalogPage,
  editableServer,
  datasetCatalog,
  browser,
  page
}) => {
  test.setTimeout(90_000)
  const machineA = editableServer
  let machineB: Machine | null = await startMachine(datasetCatalog)
  try {
    const serverB = machineB.server
    await mkdir(SCREENSHOTS, { recursive: true })
    await callApi(machineA, 'settings/setUserName', { name: 'Dr. Coordinator' })
    await callApi(serverB, 'settings/setUserName', { name: 'Dr. Ben' })
    const { entries } = await callApi(machineA, 'catalog/list', {})
    const clips = entries.filter((e) => FILENAMES.includes(e.filename))
    expect(clips).toHaveLength(5)
    const hidden = [...FILENAMES, SEARCH, ...clips.map((c) => c.title).filter((t) => t.trim().length > 3)]

    // --- Machine A, the coordinator: profiles and a blinded set from the catalog's filter.
    await catalogPage.open(machineA.url)
    await catalogPage.search(SEARCH)
    await catalogPage.expectShown(5)
    const a = new RatingsPage(page)
    await a.open()
    await a.createRater('Coordinator', 'coordinator')
    await a.createRater('Dr. Ada', 'rater')
    await a.createRater('Dr. Ben', 'rater')
    await page.getByTestId('set-name').fill(SET_NAME)
    await page.getByTestId('set-field-B-lines').check()
    await page.getByTestId('set-rater-Dr. Ada').check()
    await page.getByTestId('set-rater-Dr. Ben').check()
    await page.getByTestId('set-seed').fill('7')
    await page.getByTestId('set-create').click()
    await expect(page.getByTestId('set-notice')).toContainText('5 clips')
    const setBundle = path.join(machineB.dir, 'set.zip')
    await a.exportBundle(setBundle, 'none')

    // --- Machine B: Dr. Ben imports the set and rates blind; he calls clip 1 bacterial pneumonia.
    const contextB = await browser.newContext()
    const pageB = await contextB.newPage()
    const problemsB: string[] = []
    pageB.on('console', (m) => {
      if (m.type() === 'error') problemsB.push(m.text())
    })
    await pageB.goto(serverB.url)
    const b = new RatingsPage(pageB)
    await b.open()
    expect(await b.importBundle(setBundle)).toBe(0)
    const opsB = recordOps(pageB)
    await b.startRating('Dr. Ben', SET_NAME)
    await expect(b.handle).toBeVisible()
    await docsScreenshot(pageB, path.join(SCREENSHOTS, 'ratings-rater.png'))
    await rateAll(b, hidden, (n) => (n === 1 ? 'bacterial_pneumonia' : 'covid'), 'Ben saw B-lines')
    const notAllowed = opsB.filter((op) => !RATER_MODE_OPS.has(op))
    expect(notAllowed, 'operations called in rater mode').toEqual([])

    // Dr. Ada also rated clip 1 on machine B (differently from what she will say on A): a conflict to resolve.
    const ratersB = (await callApi(serverB, 'raters/list', {})).raters
    const setB = (await callApi(serverB, 'reviewSets/list', {})).sets.find((s) => s.name === SET_NAME)
    const adaB = ratersB.find((r) => r.name === 'Dr. Ada')
    if (!setB || !adaB) throw new Error('the set or Dr. Ada is missing on machine B')
    await callApi(serverB, 'rater/submit', { setId: setB.id, raterId: adaB.id, clipNo: 1, values: { label: 'other', 'B-lines': 'absent' }, confidence: 2, comment: 'first look' })
    const ratingsBundle = path.join(machineB.dir, 'ratings-b.zip')
    await b.exportBundle(ratingsBundle, 'all')
    await contextB.close()
    expect(problemsB, 'errors in machine B console').toEqual([])

    // --- Machine A: Dr. Ada rates blind, then the coordinator merges B's bundle (keeping Ada's own rating).
    await a.startRating('Dr. Ada', SET_NAME)
    await rateAll(a, hidden, () => 'covid', 'Ada: regular pleura')
    expect(await a.importBundle(ratingsBundle, 'mine')).toBe(1)

    // --- Agreement: 4 of 5 clips agree on the label.
    await a.tab('agreement')
    await a.selectSet(SET_NAME)
    const label = page.getByTestId('agreement-field-label')
    await expect(label.getByTestId('stat-percent').getByTestId('stat-value')).toHaveText('0.800', { timeout: 30_000 })
    await expect(label.getByTestId('stat-fleiss').getByTestId('stat-value')).toHaveText(/^-?\d\.\d{3}$|^–$/)
    await expect(label.getByTestId('stat-cohen')).toHaveCount(1)
    await expect(label.getByTestId('confusion-heatmap')).toHaveCount(1)
    await expect(label.getByTestId('confusion-heatmap').locator('canvas').first()).toBeVisible()
    await expect(page.getByTestId('agreement-missing-count')).toHaveText(['0', '0'])
    await docsScreenshot(page, path.join(SCREENSHOTS, 'ratings-agreement.png'))
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('agreement-export-csv').click()])
    const reportCsv = await readFile(await csvDownload.path(), 'utf8')
    expect(reportCsv).toMatch(/^field,statistic,raters,category,value,ci95_low,ci95_high,n/)
    expect(reportCsv).toContain('label,percent_agreement,Dr. Ada | Dr. Ben,,0.8,')
    const [htmlDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('agreement-export-html').click()])
    const html = await readFile(await htmlDownload.path(), 'utf8')
    expect(html).toContain('<svg')
    expect(html).toContain("Fleiss' κ")

    // --- Adjudication of the disagreement (clip 1), applied to the catalog; comments to MD1/MD2.
    await a.tab('adjudication')
    await page.getByTestId('adjudicator-select').selectOption({ label: 'Coordinator (coordinator)' })
    await expect(page.getByTestId('adjudication-item')).toHaveCount(1)
    await expect(page.getByTestId('adjudication-item')).toHaveAttribute('data-clip', '1')
    const row = page.getByTestId('adjudication-field-label')
    await expect(row).toHaveAttribute('data-status', 'disagree')
    await row.locator('[data-testid="consensus-option"][data-value="bacterial_pneumonia"] input').check()
    await row.getByTestId('consensus-reason-label').fill('Subpleural consolidation on review')
    await row.getByTestId('consensus-save-label').click()
    await expect(row.getByTestId('consensus-current')).toContainText('Bacterial pneumonia')
    await page.getByTestId('apply-consensus').click()
    await expect(page.getByTestId('apply-report')).toContainText('1 cells in 1 entries')
    await page.getByTestId('export-comments').click()
    await expect(page.getByTestId('comments-report')).toContainText('10 cells in 5 entries')
    await expect(a.error).toHaveCount(0)

    const setA = (await callApi(machineA, 'reviewSets/list', {})).sets.find((s) => s.name === SET_NAME)
    const adjudicated = (await callApi(machineA, 'adjudication/list', { setId: setA?.id ?? '', onlyDisagreements: true })).items[0]
    expect(adjudicated?.clipNo).toBe(1)

    // --- The dataset CSV (header's Export CSV) carries the consensus label and the raters' comments.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
    const exported = parse(await readFile(await download.path(), 'utf8'), { relax_column_count: true }) as string[][]
    const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name)
    const byName = new Map(exported.map((r) => [r[col('Filename')] ?? '', r]))
    const target = byName.get(adjudicated?.filename ?? '')
    expect(target?.[col('Label')]).toBe('Bacterial pneumonia')
    expect(target?.[col('Comments first medical doctor (MD1)')]).toBe('Ada: regular pleura on clip 1')
    expect(target?.[col('MD2')]).toBe('Ben saw B-lines on clip 1')
    for (const f of FILENAMES.filter((f) => f !== adjudicated?.filename)) expect(byName.get(f)?.[col('Label')]).toBe('COVID-19')
  } finally {
    await machineB?.stop()
    machineB = null
  }
})

test('a set from the "label uncertain" preset holds the clips whose location says so', async ({ catalogPage, editableServer, page }) => {
  test.setTimeout(60_000)
  const { entries } = await callApi(editableServer, 'catalog/list', {})
  const uncertain = entries.filter((e) => e.searchText.includes('label_uncertain')).length
  expect(uncertain).toBeGreaterThan(0)
  await catalogPage.open(editableServer.url)
  const ratings = new RatingsPage(page)
  await ratings.open()
  await ratings.createRater('Dr. Solo', 'rater')
  await page.getByTestId('set-name').fill('Uncertain pilot')
  await page.getByTestId('set-source-uncertain').check()
  await page.getByTestId('set-rater-Dr. Solo').check()
  await page.getByTestId('set-order').selectOption('catalog')
  // Kept in on purpose: this test is about what the preset selects, not about media.
  await page.getByTestId('set-exclude-without-media').setChecked(false)
  await page.getByTestId('set-create').click()
  await expect(page.getByTestId('set-notice')).toContainText(`${uncertain} clips`)
  await expect(page.getByTestId('set-row').filter({ hasText: 'Uncertain pilot' })).toContainText('1. Dr. Solo (0)')
  await ratings.startRating('Dr. Solo', 'Uncertain pilot')
  await expect(ratings.handle).toHaveText(new RegExp(`^Clip \\d+ of ${uncertain}$`))
})

test('rater mode in the catalog: keyboard rating, key frames that save, no catalog undo, no relink, no file names', async ({
  catalogPage,
  editableServer,
  page
}) => {
  test.setTimeout(90_000)
  await callApi(editableServer, 'settings/setUserName', { name: 'Dr. Coordinator' })
  const { entries } = await callApi(editableServer, 'catalog/list', {})
  const clips = entries.filter((e) => FILENAMES.includes(e.filename))
  // A catalog edit made before rating: the catalog's undo would revert it (and name its clip).
  const edited = clips[0]!
  await callApi(editableServer, 'catalog/update', { id: edited.id, cells: { 'Comments first medical doctor (MD1)': 'checked by coordinator' } })
  const before = await callApi(editableServer, 'history/status', {})
  expect(before.undo).not.toBeNull()

  await catalogPage.open(editableServer.url)
  // The review workspace's player, the size the rating player must match (it was once about 230 px tall).
  const review = new ReviewPage(page)
  await review.openById(edited.id, edited.filename)
  await review.waitReady()
  const reviewBoxes = await playerBoxes(page)
  await catalogPage.open(editableServer.url)
  await catalogPage.search(SEARCH)
  const ratings = new RatingsPage(page)
  await ratings.open()
  await ratings.createRater('Dr. Keys', 'rater')
  await ratings.createSet({ name: 'Keyboard set', raters: ['Dr. Keys'], fields: ['B-lines'], seed: 3 })
  const ops = recordOps(page)
  await ratings.startRating('Dr. Keys', 'Keyboard set')
  await expect(ratings.handle).toHaveText(/Clip \d+ of 5/)
  await expect(page.getByTestId('player')).toHaveAttribute('data-state', 'ready')
  const ratingBoxes = await playerBoxes(page, test.info().outputPath('rating'))
  console.log(`player boxes: review ${JSON.stringify(reviewBoxes)}, rating ${JSON.stringify(ratingBoxes)}`)
  for (const [i, size] of WINDOWS.entries()) {
    const r = reviewBoxes[i]!
    const q = ratingBoxes[i]!
    expect(q.height, `rating player height at ${size.width}×${size.height}`).toBeGreaterThanOrEqual(r.height - 1)
    expect(q.width * q.height, `rating player area at ${size.width}×${size.height}`).toBeGreaterThanOrEqual(r.width * r.height * 0.95)
  }
  await page.getByTestId('rating-workspace').focus()

  // Ctrl+Z while rating: a notice, no catalog undo, no catalog entry fetched.
  await page.keyboard.press('Control+z')
  await expect(page.getByTestId('rating-confirmation')).toContainText('Undo is not used while rating')
  expect(ops.filter((op) => op.startsWith('history/undo') || op === 'catalog/get')).toEqual([])
  expect((await callApi(editableServer, 'catalog/get', { id: edited.id })).cells).toContain('checked by coordinator')

  // M marks a key frame with a note, and it is saved (it belongs to the rating, not the catalog).
  await page.keyboard.press('m')
  await page.keyboard.type('B-lines here')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('keyframe-form')).toHaveCount(0)
  await expect(page.getByTestId('rating-keyframe')).toContainText('frame 1')
  expect(ops).toContain('rater/keyFrames/set')

  // Keys 1–5, the finding keys, Shift+digit for confidence, Enter to submit, with a visible confirmation.
  const handle = (await ratings.handle.textContent()) ?? ''
  await page.keyboard.press('2')
  await page.keyboard.press('b')
  await page.keyboard.press('Shift+Digit5')
  await expect(ratings.option('label', 'bacterial_pneumonia')).toHaveClass(/checked/)
  await expect(ratings.option('B-lines', 'present')).toHaveClass(/checked/)
  await expect(page.getByTestId('rating-confidence-5')).toHaveClass(/checked/)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('rating-confirmation')).toContainText(`${handle}: rating saved. 1 of 5 rated.`)
  await expect(ratings.handle).not.toHaveText(handle)

  // Nothing on the page names a clip, and the media line (size, frame rate, transcoded) is not shown.
  const text = await page.locator('body').innerText()
  for (const f of FILENAMES) expect(text).not.toContain(f)
  await expect(page.getByTestId('playback-facts')).toHaveCount(0)
  expect(ops.filter((op) => !RATER_MODE_OPS.has(op) && !op.startsWith('rater/keyFrames/'))).toEqual([])
})

test('a set of the label-uncertain clips warns about missing media; a reader bundle of clips without media is refused with the list', async ({
  catalogPage,
  editableServer,
  page
}) => {
  test.setTimeout(90_000)
  const { entries } = await callApi(editableServer, 'catalog/list', {})
  const uncertain = entries.filter((e) => e.searchText.includes('label_uncertain'))
  const withMedia = uncertain.filter((e) => e.mediaStatus === 'linked').length
  expect(uncertain.length - withMedia).toBeGreaterThan(0)
  await catalogPage.open(editableServer.url)
  const ratings = new RatingsPage(page)
  await ratings.open()
  await ratings.createRater('Dr. Solo', 'rater')
  await ratings.tab('setup')
  await page.getByTestId('set-source-uncertain').check()
  await expect(ratings.mediaWarning).toContainText(`${uncertain.length - withMedia} of ${uncertain.length}`)

  // Kept in on purpose: the set is made, but no reader bundle can be made of it.
  const kept = await ratings.createSet({ name: 'All uncertain', source: 'uncertain', raters: ['Dr. Solo'], leaveOutWithoutMedia: false })
  expect(kept.notice).toContain(`${uncertain.length} clips`)
  const refusal = await ratings.exportReaderBundleRefused(path.join(tmpdir(), `lus-refused-${Date.now()}.zip`), undefined, 'All uncertain')
  const missing = uncertain.filter((e) => e.mediaStatus !== 'linked')
  for (const e of missing.slice(0, 3)) expect(refusal).toContain(e.filename)

  // A clip without media in a set: no relink offered to the rater, and it cannot be rated.
  await ratings.startRating('Dr. Solo', 'All uncertain')
  const player = page.getByTestId('player')
  for (let k = 0; k < 6 && (await player.getAttribute('data-state')) !== 'no-media'; k++) await page.keyboard.press('n')
  await expect(player).toHaveAttribute('data-state', 'no-media')
  await expect(page.getByTestId('media-alert')).toContainText('no media file on this machine')
  await expect(page.getByTestId('relink-form')).toHaveCount(0)
  await expect(page.getByTestId('rating-final')).toContainText('cannot be rated')
  await expect(page.getByTestId('rating-submit')).toBeDisabled()

  // Left out (the default): only the clips with media, and the rater never sees a clip without media.
  const left = await ratings.createSet({ name: 'Uncertain with media', source: 'uncertain', raters: ['Dr. Solo'] })
  expect(left.notice).toContain(`${withMedia} clip`)
  if (withMedia > 0) {
    await ratings.startRating('Dr. Solo', 'Uncertain with media')
    await expect(page.getByTestId('player')).toHaveAttribute('data-state', 'ready')
    await expect(page.getByTestId('relink-form')).toHaveCount(0)
  }
})
