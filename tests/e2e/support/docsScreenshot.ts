import type { Page } from '@playwright/test'

/**
 * Screenshots for the README and docs. The dataset's clips carry third-party
 * licences, so nothing derived from them may be committed: every element that
 * shows media (video, thumbnails, previews, canvases drawn from frames) is
 * blanked, leaving the interface around it.
 */
export async function docsScreenshot(page: Page, path: string): Promise<void> {
  const style = await page.addStyleTag({
    content: `video, [data-testid="player"] canvas, img[src*="/media/"], img[src*="/study/"], img[src*="lus-media:"] {
      visibility: hidden !important;
    }
    [data-testid="player"] .viewport { background: repeating-linear-gradient(45deg, #2a2f36 0 12px, #30363e 12px 24px) !important; }
    img[src*="/media/"], img[src*="/study/"] { background: repeating-linear-gradient(45deg, #2a2f36 0 12px, #30363e 12px 24px) !important; }`
  })
  try {
    await page.screenshot({ path })
  } finally {
    await style.evaluate((el) => (el as Element).remove())
  }
}
