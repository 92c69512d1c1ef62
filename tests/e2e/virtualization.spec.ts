import type { EntrySummary } from '../../src/shared/contract'
import { LABELS, MEDIA_STATUSES } from '../../src/shared/vocabulary'
import { expect, test } from './fixtures'

const ROWS = 100_000

/** Synthetic summaries: the UI only needs the list; nothing here reaches the catalog file. */
function syntheticEntries(n: number): EntrySummary[] {
  return Array.from({ length: n }, (_, i) => {
    const filename = `synthetic_clip_${String(i).padStart(6, '0')}`
    const probe = i % 3 === 0 ? 'linear' : 'convex'
    return {
      id: i + 1,
      sourceId: 1,
      row: i + 1,
      filename,
      label: LABELS[i % LABELS.length] ?? 'other',
      labelRaw: '',
      probe,
      type: i % 7 === 0 ? 'image' : 'video',
      license: 'CC BY 4.0',
      source: 'synthetic',
      location: 'pocus_videos/convex',
      title: '',
      mediaStatus: MEDIA_STATUSES[i % MEDIA_STATUSES.length] ?? 'missing',
      mediaId: null,
      rebuildFrom: null,
      warningCount: 0,
      searchText: `${filename}\u0001${probe}`
    }
  })
}

test('the table stays virtualized and responsive at 100k rows', async ({ catalogPage, datasetServer, page }) => {
  const entries = syntheticEntries(ROWS)
  // The default order lists the clips that can be reviewed (linked) first: the last row is the last of the others.
  const last = entries.findLast((e) => e.mediaStatus !== 'linked')!
  const body = JSON.stringify({ ok: true, value: { entries } })
  await page.route('**/api/catalog/list', (route) => route.fulfill({ contentType: 'application/json', body }))
  await catalogPage.open(datasetServer.url)
  await expect(catalogPage.statusCounts).toContainText('100,000 entries · 100,000 shown')

  // Only the rows near the viewport exist in the DOM.
  expect(await catalogPage.rows().count()).toBeLessThan(100)

  const started = Date.now()
  await catalogPage.search('synthetic_clip_009999')
  await catalogPage.expectShown(1)
  // Generous: the bound catches a non-virtualized table (seconds to minutes), not jitter.
  expect(Date.now() - started).toBeLessThan(3_000)

  await catalogPage.search('')
  await catalogPage.expectShown(ROWS)
  await catalogPage.rows().first().click()
  await catalogPage.page.keyboard.press('End')
  await expect(catalogPage.row(last.filename)).toHaveAttribute('aria-selected', 'true')
})
