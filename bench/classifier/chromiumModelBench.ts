/**
 * The shipped model's speed in Debian's Chromium, through the same
 * onnxruntime-web WASM build the renderer's worker loads (1 thread, batches
 * of the size pre-labelling uses), so the bench can say what the model's
 * share of pre-labelling would be in the browser beside the Node figure.
 * The page and its files are served by Playwright's router from disk: no
 * server, no network. Prints nothing itself; asserts nothing.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../chromium'
import { INPUT_SIZE } from '../../src/shared/classifierPreprocess'

const ORIGIN = 'http://bench.invalid'
const ORT_DIST = resolve(__dirname, '../../node_modules/onnxruntime-web/dist')

export interface ChromiumModelResult {
  framesPerSecond: number
  batch: number
  browser: string
}

export async function benchChromiumModel(modelPath: string, batch: number, minSeconds = 8): Promise<ChromiumModelResult> {
  const files: Record<string, { body: Buffer; type: string }> = {
    '/': { body: Buffer.from('<!doctype html><title>model bench</title>'), type: 'text/html' },
    '/ort.wasm.bundle.min.mjs': { body: readFileSync(join(ORT_DIST, 'ort.wasm.bundle.min.mjs')), type: 'text/javascript' },
    '/ort-wasm-simd-threaded.wasm': { body: readFileSync(join(ORT_DIST, 'ort-wasm-simd-threaded.wasm')), type: 'application/wasm' },
    '/model.onnx': { body: readFileSync(modelPath), type: 'application/octet-stream' }
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: [...CHROMIUM_ARGS] })
  try {
    const page = await browser.newPage()
    await page.route(`${ORIGIN}/**`, (route) => {
      const f = files[new URL(route.request().url()).pathname]
      return f ? route.fulfill({ status: 200, body: f.body, contentType: f.type }) : route.fulfill({ status: 404, body: '' })
    })
    await page.goto(`${ORIGIN}/`)
    // A module script, not import() inside evaluate: the bench's own transpiler may rewrite import() for Node.
    await page.addScriptTag({ type: 'module', content: `import * as ort from '${ORIGIN}/ort.wasm.bundle.min.mjs'; window.benchOrt = ort` })
    await page.waitForFunction(() => 'benchOrt' in globalThis)
    const framesPerSecond = await page.evaluate(
      async ({ origin, size, batch, minSeconds }) => {
        const ort = (globalThis as unknown as { benchOrt: typeof import('onnxruntime-web') }).benchOrt
        ort.env.wasm.wasmPaths = { wasm: `${origin}/ort-wasm-simd-threaded.wasm` }
        ort.env.wasm.numThreads = 1
        ort.env.wasm.proxy = false
        const bytes = new Uint8Array(await (await fetch(`${origin}/model.onnx`)).arrayBuffer())
        const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' })
        const data = new Float32Array(batch * size * size).map((_, i) => Math.sin(i))
        const input = new ort.Tensor('float32', data, [batch, 1, size, size])
        await session.run({ input }) // warm-up
        let frames = 0
        const t = performance.now()
        while (performance.now() - t < minSeconds * 1000) {
          await session.run({ input })
          frames += batch
        }
        const fps = frames / ((performance.now() - t) / 1000)
        await session.release()
        return fps
      },
      { origin: ORIGIN, size: INPUT_SIZE, batch, minSeconds }
    )
    return { framesPerSecond, batch, browser: `Chromium ${browser.version()}` }
  } finally {
    await browser.close()
  }
}
