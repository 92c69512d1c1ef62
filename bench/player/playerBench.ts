/**
 * Player figures measured in Debian's Chromium against serve mode: time to
 * first frame when opening a clip (its playback file already prepared), and
 * the latency of one frame step (→ until the counter shows the next frame).
 * Prints figures; asserts nothing. Needs `npm run build` first.
 */
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../chromium'
import { join } from 'node:path'
import { callApi } from '../../tests/e2e/support/api'
import { makeTempDir, runImport, startServe } from '../../tests/e2e/support/serveProcess'
import { percentile } from '../stats'

export interface PlayerBenchResult {
  clips: number
  firstFrameMs: { p50: number; p95: number }
  frameStepMs: { p50: number; p95: number; samples: number }
}


export async function benchPlayer(dataset: string, clipsPerFormat = 3, stepsPerClip = 10): Promise<PlayerBenchResult> {
  const tmp = await makeTempDir()
  const catalog = join(tmp.dir, 'catalog.db')
  await runImport(dataset, catalog)
  const server = await startServe(catalog)
  const browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: [...CHROMIUM_ARGS] })
  try {
    await callApi(server, 'settings/setUserName', { name: 'bench' })
    const { entries } = await callApi(server, 'catalog/list', {})
    const byFormat = new Map<string, typeof entries>()
    for (const e of entries) {
      if (e.mediaId === null || e.mediaStatus !== 'linked') continue
      const d = await callApi(server, 'catalog/get', { id: e.id })
      const ext = d.media!.relPath.split('.').pop()!.toLowerCase()
      const list = byFormat.get(ext) ?? []
      if (list.length < clipsPerFormat) byFormat.set(ext, [...list, e])
    }
    const clips = [...byFormat.values()].flat()
    // Prepare every playback file first: the figures are about opening and stepping, not transcoding.
    for (const c of clips) {
      for (let i = 0; i < 600; i++) {
        const p = await callApi(server, 'media/playback', { mediaId: c.mediaId! })
        if (p.state !== 'preparing') break
        await new Promise((r) => setTimeout(r, 250))
      }
    }
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.goto(server.url)
    await page.waitForSelector('[data-testid="catalog-row"]')
    const firstFrame: number[] = []
    const steps: number[] = []
    for (const c of clips) {
      const t0 = Date.now()
      await page.evaluate((id) => (window.location.hash = `#/review/${id}`), c.id)
      await page.waitForFunction(() => {
        const counter = document.querySelector('[data-testid="frame-counter"]')?.textContent ?? ''
        const video = document.querySelector('[data-testid="player"] video') as HTMLVideoElement | null
        const image = document.querySelector('[data-testid="player"] img') as HTMLImageElement | null
        const shown = (video !== null && video.readyState >= 2) || (image !== null && image.complete && image.naturalWidth > 0)
        return counter.startsWith('frame 1 /') && shown
      }, undefined, { polling: 'raf', timeout: 60_000 })
      firstFrame.push(Date.now() - t0)
      if (c.type.toLowerCase() !== 'video') continue
      for (let s = 0; s < stepsPerClip; s++) {
        // Measured inside the page: key press to the counter showing the next frame.
        const ms = await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const counter = document.querySelector('[data-testid="frame-counter"]')!
              const before = counter.textContent
              const t = performance.now()
              const observer = new MutationObserver(() => {
                if (counter.textContent !== before) {
                  observer.disconnect()
                  resolve(performance.now() - t)
                }
              })
              observer.observe(counter, { childList: true, characterData: true, subtree: true })
              document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))
              setTimeout(() => {
                observer.disconnect()
                resolve(Number.NaN)
              }, 5000)
            })
        )
        if (Number.isFinite(ms)) steps.push(ms)
      }
    }
    return {
      clips: clips.length,
      firstFrameMs: { p50: percentile(firstFrame, 50), p95: percentile(firstFrame, 95) },
      frameStepMs: { p50: percentile(steps, 50), p95: percentile(steps, 95), samples: steps.length }
    }
  } finally {
    await browser.close()
    await server.stop()
    await tmp.remove()
  }
}

// Run as its own process by bench/index.ts (it needs DOM types for the page code): prints one JSON line.
if (require.main === module) {
  benchPlayer(process.argv[2]!).then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e)
      process.exitCode = 1
    }
  )
}
