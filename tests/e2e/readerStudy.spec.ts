/**
 * A blinded reader study end to end, one test per step, as its users do it:
 * the coordinator makes a set of the linear videos and exports a reader
 * bundle; each rater opens it on "their machine" (`serve --study`), rates
 * every clip with the keyboard only and exports their ratings; the
 * coordinator imports them and reads the agreement.
 *
 * While the raters work, everything their page shows (texts, attributes) and
 * every API answer is collected and searched for the clips' labels in any
 * spelling, file names, sources and URLs.
 */
import { copyFile, mkdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { CatalogPage } from './pages/CatalogPage'
import { RatingsPage } from './pages/RatingsPage'
import { callApi } from './support/api'
import { docsScreenshot } from './support/docsScreenshot'
import { keysOf, leakedTokens, READER_ANSWER_KEYS, recordLeaks, withoutOwnRatings } from './support/leakScan'
import { makeTempDir, REPO_ROOT, startServe, startServeStudy, type ServeInstance } from './support/serveProcess'

const SET_NAME = 'Linear pilot'
const RATERS = ['Dr. Ada', 'Dr. Ben'] as const
const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots')
/** Parts of file names that are ordinary words of the interface or of the rating form. */
const COMMON_WORDS = new Set(['image', 'video', 'pleural', 'normal', 'lines'])
/** Operations the test itself sends from the reader page, to see them refused. */
const PROBED_OPS = ['catalog/list', 'catalog/get', 'history/undo', 'reviewSets/list', 'backup/list', 'app/info']

/** Shared by the steps, which run in order. */
const study = {
  dir: '',
  catalog: '',
  bundle: '',
  clips: 0,
  /** Words that must never reach a rater: per clip, its file name, label spellings, URL, source, title. */
  hidden: [] as string[],
  ratingsFiles: [] as string[],
  remove: async (): Promise<void> => undefined
}

test.describe.configure({ mode: 'serial' })

test.afterAll(async () => {
  await study.remove()
})

/** The page may only ask main for the study: the mode, reader/*, its clips and the app's own files. */
function expectOnlyReaderRequests(requests: readonly string[]): void {
  const foreign = requests.filter(
    (p) => !(p === '/' || p.startsWith('/assets/') || p === '/favicon.ico' || p.startsWith('/study/clips/') || p === '/api/app/mode' || p.startsWith('/api/reader/'))
  )
  expect(foreign, 'requests a reader page made').toEqual([])
}

async function withCoordinator<T>(page: Page, act: (server: ServeInstance) => Promise<T>): Promise<T> {
  const server = await startServe(study.catalog)
  try {
    return await act(server)
  } finally {
    await page.goto('about:blank').catch(() => undefined)
    await server.stop()
  }
}

test('the coordinator makes a set of the linear videos and exports a reader bundle', async ({ datasetCatalog, page }) => {
  test.setTimeout(120_000)
  const temp = await makeTempDir()
  study.dir = temp.dir
  study.remove = temp.remove
  study.catalog = path.join(temp.dir, 'coordinator.db')
  await copyFile(datasetCatalog, study.catalog)
  study.bundle = path.join(temp.dir, 'for-raters', 'linear-pilot.zip')
  await mkdir(path.dirname(study.bundle))

  await withCoordinator(page, async (server) => {
    const { entries } = await callApi(server, 'catalog/list', {})
    const linear = entries.filter((e) => e.probe.toLowerCase() === 'linear' && e.type.toLowerCase() === 'video' && e.mediaStatus === 'linked')
    expect(linear.length).toBeGreaterThanOrEqual(5)
    study.clips = linear.length
    const labelWords = ['covid', 'pneumonia', 'bacterial', 'viral', 'regular', 'healthy']
    study.hidden = [
      ...labelWords,
      ...linear.flatMap((e) => [e.filename, e.labelRaw, e.source, e.location, e.title].filter((t) => t.trim().length >= 4)),
      // Distinctive parts of the names too (Atlas, prospective, liftl, …), not words any UI may use.
      ...linear.flatMap((e) => e.filename.split(/[-_]/).filter((part) => part.length >= 5 && !/^\d+$/.test(part) && !COMMON_WORDS.has(part.toLowerCase()))),
      'Cov_',
      'Cov-',
      'Pneu_',
      'Pneu-',
      'Reg_',
      'Reg-',
      'Vir_',
      'Vir-',
      'http',
      'doi.org'
    ]

    const catalog = new CatalogPage(page)
    await catalog.open(server.url)
    await catalog.filter('filter-probe', 'linear')
    await catalog.filter('filter-type', 'video')
    await catalog.filter('filter-media-status', 'Linked')
    await catalog.expectShown(linear.length)

    const ratings = new RatingsPage(page)
    await ratings.open()
    for (const name of RATERS) await ratings.createRater(name, 'rater')
    const { previewed } = await ratings.createSet({ name: SET_NAME, raters: RATERS, fields: ['B-lines'], seed: 11 })
    expect(previewed).toBe(linear.length)
    await expect(ratings.mediaWarning).toHaveCount(0)

    const result = await ratings.exportReaderBundle(study.bundle)
    expect(result).toContain(`${linear.length} clips`)
  })
  expect((await stat(study.bundle)).size).toBeGreaterThan(10_000)
})

for (const [i, rater] of RATERS.entries()) {
  test(`${rater} rates every clip blind, with the keyboard only, and exports the ratings`, async ({ page }) => {
    test.setTimeout(150_000)
    expect(study.bundle, 'the bundle from the first step').not.toBe('')
    const store = path.join(study.dir, `store-${i}`)
    const server = await startServeStudy(study.bundle, store)
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(e.message))
    const leaks = recordLeaks(page)
    try {
      await page.goto(server.url)
      await expect(page.getByTestId('reader-app')).toBeVisible()
      await expect(page.getByTestId('reader-welcome')).toBeVisible()
      // No catalog view exists here, whatever is pressed.
      await expect(page.getByTestId('view-ratings')).toHaveCount(0)
      await expect(page.getByTestId('catalog-table')).toHaveCount(0)
      await leaks.snapshot()

      // "I am …" by keyboard: focus the picker, choose the name.
      await page.keyboard.press('Tab')
      await expect(page.getByTestId('reader-rater-select')).toBeFocused()
      await page.getByTestId('reader-rater-select').selectOption({ label: rater })
      await expect(page.getByTestId('rater-handle')).toHaveText(new RegExp(`^Clip \\d+ of ${study.clips}$`))
      // Choosing the name hands the keys to the clip.
      await expect(page.getByTestId('rating-workspace')).toBeFocused()

      // The catalog's undo does nothing here but say so.
      await page.keyboard.press('Control+z')
      await expect(page.getByTestId('rating-confirmation')).toContainText('Undo is not used while rating')

      if (i === 0) {
        await expect(page.getByTestId('player-video')).toBeVisible()
        await docsScreenshot(page, path.join(SCREENSHOTS, 'reader-study.png'))
      }

      for (let k = 1; k <= study.clips; k++) {
        const handle = (await page.getByTestId('rater-handle').textContent()) ?? ''
        const clipNo = Number(/Clip (\d+) of/.exec(handle)?.[1])
        expect(clipNo, handle).toBeGreaterThan(0)
        await expect(page.getByTestId('player')).toHaveAttribute('data-state', 'ready')
        await leaks.snapshot()
        // Dr. Ada calls every clip COVID-19; Dr. Ben calls the even-numbered ones healthy.
        await page.keyboard.press(i === 1 && clipNo % 2 === 0 ? '4' : '1')
        await page.keyboard.press('b')
        await page.keyboard.press('Shift+Digit4')
        if (k === 1) {
          await page.keyboard.press('ArrowRight')
          await page.keyboard.press('ArrowRight')
          await page.keyboard.press('m')
          await expect(page.getByTestId('keyframe-form')).toBeVisible()
          await page.keyboard.type('B-lines best seen here')
          await page.keyboard.press('Enter')
          await expect(page.getByTestId('keyframe-form')).toHaveCount(0)
          await expect(page.getByTestId('rating-keyframe')).toContainText('frame 3')
          await expect(page.getByTestId('rating-keyframe')).toContainText('B-lines best seen here')
        }
        await expect(page.getByTestId('rating-field-label').locator('.checked')).toHaveCount(1)
        await leaks.snapshot()
        await page.keyboard.press('Enter')
        await expect(page.getByTestId('rating-confirmation')).toContainText(`${handle}: rating saved. ${k} of ${study.clips} rated.`)
        await leaks.snapshot()
      }
      await expect(page.getByTestId('reader-done')).toBeVisible()

      // P goes back along the queue; the clip's own answers come back for revision.
      await page.keyboard.press('p')
      await expect(page.getByTestId('rating-saved')).toBeVisible()
      await leaks.snapshot()

      // The shortcut list, and the API refusing anything that is not the study's, whatever the page asks.
      await page.keyboard.press('?')
      await expect(page.getByTestId('shortcut-help')).toBeVisible()
      await page.keyboard.press('Escape')
      const refused = await page.evaluate(async (ops) => {
        const out: string[] = []
        for (const op of ops) {
          const r = await fetch(`/api/${op}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: op === 'catalog/get' ? '{"id":1}' : '{}' })
          const body = (await r.json()) as { ok: boolean; error?: { code: string } }
          out.push(`${op}:${body.ok ? 'ok' : body.error?.code}`)
        }
        return out
      }, PROBED_OPS)
      expect(refused).toEqual([
        'catalog/list:forbidden',
        'catalog/get:forbidden',
        'history/undo:forbidden',
        'reviewSets/list:forbidden',
        'backup/list:forbidden',
        'app/info:forbidden'
      ])
      // Catalog media, asked from outside the page (a 404 in the page would be logged as a console error).
      const origin = new URL(server.url)
      const media = await fetch(`${origin.origin}/media/1`, { headers: { authorization: `Bearer ${origin.searchParams.get('token') ?? ''}` } })
      expect(media.status).toBe(404)

      // Export, by keyboard: Shift+Tab back to the header's button, Enter; in the dialog, Tab to the file name, Enter.
      const exportButton = page.getByTestId('reader-export-open')
      for (let tabs = 0; tabs < 80 && !(await exportButton.evaluate((el) => el === document.activeElement)); tabs++)
        await page.keyboard.press('Shift+Tab')
      await expect(exportButton).toBeFocused()
      await page.keyboard.press('Enter')
      await expect(page.getByTestId('reader-export-dialog')).toBeVisible()
      await expect(page.getByTestId('reader-export-unrated')).toHaveCount(0)
      await expect(page.getByTestId('reader-export-final')).toBeChecked()
      await page.keyboard.press('Tab')
      await expect(page.getByTestId('reader-export-path')).toBeFocused()
      await page.keyboard.press('Enter')
      await expect(page.getByTestId('reader-export-result')).toContainText(`${study.clips} of ${study.clips} clips`)
      await expect(page.getByTestId('reader-final')).toBeVisible()
      await leaks.snapshot()
      const written = /written to (\S+\.zip)/.exec((await page.getByTestId('reader-export-result').textContent()) ?? '')?.[1]
      expect(written).toBeTruthy()
      study.ratingsFiles.push(written!)
      if (i === 0) await docsScreenshot(page, path.join(SCREENSHOTS, 'reader-study-exported.png'))

      // Final ratings cannot be revised.
      await expect(page.getByTestId('rating-final')).toBeVisible()

      // --- The blinding, over everything collected.
      for (const text of leaks.texts()) expect(leakedTokens(text, study.hidden), 'shown to the rater').toEqual([])
      for (const { op, body } of leaks.answers()) {
        expect(leakedTokens(JSON.stringify(withoutOwnRatings(body)), study.hidden), `in the answer to ${op}`).toEqual([])
        const foreign = [...keysOf(body)].filter((k) => !READER_ANSWER_KEYS.has(k))
        expect(foreign, `keys in the answer to ${op}`).toEqual([])
      }
      // Leaves out only the requests this test sent itself to see them refused.
      expectOnlyReaderRequests(leaks.requests().filter((p) => !PROBED_OPS.some((op) => p === `/api/${op}`)))
      expect(problems, 'errors in the reader page').toEqual([])
    } finally {
      await page.goto('about:blank').catch(() => undefined)
      await server.stop()
    }

    // Reopening the same bundle resumes: the ratings are still there, final.
    const again = await startServeStudy(study.bundle, store)
    try {
      await page.goto(again.url)
      await expect(page.getByTestId('reader-rater-select')).toBeVisible()
      await page.getByTestId('reader-rater-select').selectOption({ label: rater })
      await expect(page.getByTestId('reader-done')).toBeVisible()
      await expect(page.getByTestId('reader-final')).toBeVisible()
    } finally {
      await page.goto('about:blank').catch(() => undefined)
      await again.stop()
    }
  })
}

test('the coordinator imports both raters’ ratings and reads the agreement', async ({ page }) => {
  test.setTimeout(120_000)
  expect(study.ratingsFiles).toHaveLength(2)
  await withCoordinator(page, async (server) => {
    const catalog = new CatalogPage(page)
    await catalog.open(server.url)
    const ratings = new RatingsPage(page)
    await ratings.open()
    for (const file of study.ratingsFiles) expect(await ratings.importBundle(file)).toBe(0)
    // Importing again changes nothing.
    expect(await ratings.importBundle(study.ratingsFiles[0]!)).toBe(0)

    const set = (await callApi(server, 'reviewSets/list', {})).sets.find((s) => s.name === SET_NAME)
    expect(set?.complete).toBe(study.clips)

    await ratings.tab('agreement')
    await ratings.selectSet(SET_NAME)
    const label = page.getByTestId('agreement-field-label')
    const odd = Math.ceil(study.clips / 2)
    await expect(label.getByTestId('stat-percent').getByTestId('stat-value')).toHaveText((odd / study.clips).toFixed(3), { timeout: 30_000 })
    await expect(label).toContainText('COVID-19')
    await expect(label).not.toContainText('bacterial_pneumonia')
    await expect(label).not.toContainText('not_assessed')
    await expect(page.getByTestId('agreement-field-B-lines').getByTestId('stat-percent').getByTestId('stat-value')).toHaveText('1.000')

    // The raters' key frames came back with their ratings, matched to the clip they marked.
    const adjudication = await callApi(server, 'adjudication/list', { setId: set?.id ?? '', onlyDisagreements: false })
    expect(adjudication.items).toHaveLength(study.clips)
  })
  await rm(study.bundle)
})
