/**
 * Classifier figures: frames/s of the shipped model and of a VGG16-shaped
 * model (random weights, made by training/make_bench_models.py into a temp
 * folder) in the same onnxruntime-web WASM runtime, their ratio, and the time
 * to pre-label the whole shared catalog (ffmpeg sampling + preprocessing +
 * inference + storing). Prints figures; asserts nothing.
 *
 *   npx tsx bench/classifier/classifierBench.ts     (or call runClassifierBench from bench/index.ts)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import * as ort from 'onnxruntime-web'
import { INPUT_SIZE } from '../../src/shared/classifierPreprocess'
import { ClassifierService, type PrelabelReport } from '../../src/main/classifier/classifierService'
import { defaultModelPath } from '../../src/main/classifier/modelSession'
import { openCatalog } from '../../src/main/catalog/database'
import { importDataset } from '../../src/main/dataset/datasetImport'
import { benchChromiumModel, type ChromiumModelResult } from './chromiumModelBench'

export interface ClassifierBenchResult {
  machine: string
  shippedFramesPerSecond: number
  shippedBatch: number
  vgg16FramesPerSecond: number | null
  /** How many times faster the shipped model runs than the VGG16-shaped one. */
  speedRatio: number | null
  prelabel: { clips: number; frames: number; seconds: number; framesPerSecond: number; timing: PrelabelReport['timing'] } | null
  /** The shipped model in Chromium's WASM (same runtime as the renderer's worker), batches of pre-labelling's size. */
  chromium: ChromiumModelResult | null
  notes: string[]
}

async function framesPerSecond(session: ort.InferenceSession, shape: [number, number, number], batch: number, minSeconds: number): Promise<number> {
  const data = new Float32Array(batch * shape[0] * shape[1] * shape[2]).map((_, i) => Math.sin(i))
  const input = new ort.Tensor('float32', data, [batch, ...shape])
  await session.run({ [session.inputNames[0]!]: input }) // warm-up
  let frames = 0
  const t = performance.now()
  while (performance.now() - t < minSeconds * 1000) {
    await session.run({ [session.inputNames[0]!]: input })
    frames += batch
  }
  return frames / ((performance.now() - t) / 1000)
}

export async function runClassifierBench(
  options: { dataset?: string; python?: string; batch?: number; prelabel?: boolean; chromium?: boolean; log?: (l: string) => void } = {}
): Promise<ClassifierBenchResult> {
  const log = options.log ?? ((l: string) => console.log(l))
  const batch = options.batch ?? 16
  const work = mkdtempSync(join(tmpdir(), 'lus-classifier-bench-'))
  const notes: string[] = []
  ort.env.wasm.numThreads = 1
  const result: ClassifierBenchResult = {
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, onnxruntime-web WASM, 1 thread`,
    shippedFramesPerSecond: 0,
    shippedBatch: batch,
    vgg16FramesPerSecond: null,
    speedRatio: null,
    prelabel: null,
    chromium: null,
    notes
  }
  try {
    const shipped = await ort.InferenceSession.create(defaultModelPath())
    result.shippedFramesPerSecond = await framesPerSecond(shipped, [1, INPUT_SIZE, INPUT_SIZE], batch, 5)
    await shipped.release()
    log(`shipped model (${INPUT_SIZE}²)`.padEnd(52) + `${result.shippedFramesPerSecond.toFixed(1)} frames/s (batch ${batch})`)

    try {
      const script = resolve(__dirname, '../../training/make_bench_models.py')
      execFileSync(options.python ?? process.env.PYTHON ?? '/usr/bin/python3', [script, work], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }
      })
      const vgg = await ort.InferenceSession.create(join(work, 'vgg16-cam.onnx'))
      result.vgg16FramesPerSecond = await framesPerSecond(vgg, [3, 224, 224], 2, 8)
      await vgg.release()
      result.speedRatio = result.shippedFramesPerSecond / result.vgg16FramesPerSecond
      log('VGG16-shaped model (224², random weights)'.padEnd(52) + `${result.vgg16FramesPerSecond.toFixed(2)} frames/s (batch 2)`)
      log('speed ratio shipped / VGG16'.padEnd(52) + `${result.speedRatio.toFixed(1)}×`)
    } catch (e) {
      // Say how to turn it on, not only that it is off: the comparison needs training's Python packages.
      notes.push(
        `VGG16 comparison skipped: ${(e as Error).message.split('\n')[0]}. To run it: apt-get install python3-torch python3-torchvision python3-onnx ` +
          '(training/requirements.txt; `python3 training/check.py` lists what is missing), or set PYTHON to a python3 that has them.'
      )
      log(notes[notes.length - 1]!)
    }

    if (options.prelabel !== false) {
      const dataset = options.dataset ?? resolve(__dirname, '../../../shared/lus-dataset')
      const db = openCatalog(join(work, 'catalog.db'))
      try {
        await importDataset(db, dataset)
        const service = new ClassifierService(db)
        await service.model() // load outside the timing
        const t = performance.now()
        const report = await service.prelabel({ force: true }, { signal: new AbortController().signal, update: () => {} })
        const seconds = (performance.now() - t) / 1000
        result.prelabel = {
          clips: report.predicted + report.failed,
          frames: report.framesUsed,
          seconds,
          framesPerSecond: report.framesUsed / seconds,
          timing: report.timing
        }
        log(`pre-label shared catalog (${result.prelabel.clips} clips, ${report.framesUsed} frames)`.padEnd(52) + `${seconds.toFixed(1)} s (${result.prelabel.framesPerSecond.toFixed(1)} frames/s end to end)`)
        for (const l of prelabelShareLines(result.prelabel)) log(l)
        await service.close()
      } finally {
        db.close()
      }
    }

    if (options.chromium !== false) {
      try {
        result.chromium = await benchChromiumModel(defaultModelPath(), 4)
        log(`shipped model in ${result.chromium.browser} (WASM, 1 thread)`.padEnd(52) + `${result.chromium.framesPerSecond.toFixed(1)} frames/s (batch 4)`)
      } catch (e) {
        notes.push(`Chromium model figure skipped: ${(e as Error).message.split('\n')[0]} (needs /usr/bin/chromium).`)
        log(notes[notes.length - 1]!)
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return result
}

/**
 * Where pre-labelling's time went: the model's runs, and decoding (ffmpeg +
 * preprocessing, summed over clips; it overlaps the model's runs, so the
 * wait for it is the part it added); with Chromium's model speed, the
 * model's time the same frames would take in the browser.
 */
export function prelabelShareLines(p: NonNullable<ClassifierBenchResult['prelabel']>, chromium: ChromiumModelResult | null = null): string[] {
  const total = p.seconds * 1000
  const pct = (ms: number): string => `${((100 * ms) / total).toFixed(0)} %`
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
  const t = p.timing
  const lines = [
    `  model (Node, WASM 1 thread)`.padEnd(52) + `${s(t.modelMs)} (${pct(t.modelMs)} of the run)`,
    `  decoding + preprocessing, summed over clips`.padEnd(52) + `${s(t.decodeMs)} (${pct(t.decodeMs)}; overlaps the model)`,
    `  model idle, waiting for decoding`.padEnd(52) + `${s(t.decodeWaitMs)} (${pct(t.decodeWaitMs)})`,
    `  storing predictions`.padEnd(52) + `${s(t.storeMs)} (${pct(t.storeMs)})`
  ]
  if (chromium) lines.push(`  model time for these frames in Chromium WASM`.padEnd(52) + `${s((1000 * p.frames) / chromium.framesPerSecond)}`)
  return lines
}

// Run directly: print the figures.
if (require.main === module) {
  runClassifierBench().then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e)
      process.exitCode = 1
    }
  )
}
