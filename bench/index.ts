/**
 * `npm run bench`: prints figures; it is not a test and asserts nothing.
 * Runs on whatever machine it is given; quote the machine with the figures.
 */
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { CatalogRepository } from '../src/main/catalog/catalogRepository'
import { openCatalog } from '../src/main/catalog/database'
import { importDataset } from '../src/main/dataset/datasetImport'
import { exportCsv } from '../src/main/export/csvExport'
import { CatalogIndex, SORT_KEYS, emptyQuery, type CatalogQuery, type SortKey } from '../src/shared/catalogQuery'
import { prelabelShareLines, runClassifierBench } from './classifier/classifierBench'
import { benchProxies } from './playbackBench'
import { execFileSync } from 'node:child_process'
import { percentile, timeIt } from './stats'
import { benchLiveness } from './livenessBench'
import { writeSyntheticDataset } from './syntheticDataset'

const SHARED = resolve(__dirname, '../../shared/lus-dataset')
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)
const QUERIES = 200
/** `BENCH_ONLY=scale npm run bench` runs only the named parts: import, proxies, player, classifier, scale, liveness. */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null
const runs = (part: string): boolean => ONLY === null || ONLY.has(part)

const work = mkdtempSync(join(tmpdir(), 'lus-bench-'))
const line = (name: string, value: string): void => console.log(`${name.padEnd(52)} ${value}`)

async function main(): Promise<void> {
  console.log(`LUS Review bench · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · node ${process.version}\n`)

  // 1. Import of the shared dataset, ffprobe included.
  if (runs('import')) {
    const db = openCatalog(join(work, 'shared.db'))
    const t = performance.now()
    const report = await importDataset(db, SHARED)
    line('import shared dataset (375 rows, 125 media, ffprobe)', `${((performance.now() - t) / 1000).toFixed(2)} s`)
    const again = performance.now()
    await importDataset(db, SHARED)
    line('re-import shared dataset (unchanged, probes reused)', `${((performance.now() - again) / 1000).toFixed(2)} s`)
    if (report.rows !== 375) throw new Error('unexpected import result')
    db.close()
  }

  // 2. Playback proxies for the clips Chromium cannot play, through the service's queue vs bare ffmpeg.
  if (runs('proxies')) {
    const r = await benchProxies(SHARED, join(work, 'proxies'))
    line(`proxies for ${r.files} shared clips, service (queue, ${cpus().length} jobs)`, `${r.proxyAllSeconds.toFixed(1)} s`)
    line('same ffmpeg commands, bare, sequential', `${r.bareFfmpegSeconds.toFixed(1)} s (ratio ${r.ratio.toFixed(2)})`)
  }

  // 2b. Opening a clip and stepping frames in Chromium (serve mode).
  if (runs('player')) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'player', 'playerBench.ts'), SHARED], { encoding: 'utf8', timeout: 900_000 })
    const r = JSON.parse(out.trim().split('\n').pop()!) as { clips: number; firstFrameMs: { p50: number; p95: number }; frameStepMs: { p50: number; p95: number; samples: number } }
    line(`time to first frame, ${r.clips} clips of every format`, `p50 ${r.firstFrameMs.p50} ms · p95 ${r.firstFrameMs.p95} ms`)
    line(`frame step (→ to counter update), ${r.frameStepMs.samples} steps`, `p50 ${r.frameStepMs.p50.toFixed(1)} ms · p95 ${r.frameStepMs.p95.toFixed(1)} ms`)
  }

  // 3. The classifier: shipped model vs a VGG16-shaped one in the same WASM runtime, and pre-labelling.
  if (runs('classifier')) {
    const r = await runClassifierBench({ dataset: SHARED, log: () => {} })
    line('classifier (shipped model), WASM 1 thread', `${r.shippedFramesPerSecond.toFixed(1)} frames/s (batch ${r.shippedBatch})`)
    line('VGG16-shaped model (random weights), same runtime', r.vgg16FramesPerSecond === null ? 'not measured' : `${r.vgg16FramesPerSecond.toFixed(2)} frames/s`)
    if (r.speedRatio !== null) line('  ratio shipped / VGG16', `${r.speedRatio.toFixed(1)}×`)
    if (r.chromium) line(`classifier (shipped model), ${r.chromium.browser} WASM`, `${r.chromium.framesPerSecond.toFixed(1)} frames/s (batch ${r.chromium.batch})`)
    if (r.prelabel) {
      line(`pre-label the shared catalog (${r.prelabel.clips} clips, Node)`, `${r.prelabel.seconds.toFixed(1)} s (${r.prelabel.framesPerSecond.toFixed(1)} frames/s, ${r.prelabel.frames} frames)`)
      for (const l of prelabelShareLines(r.prelabel, r.chromium)) console.log(l)
    }
    for (const n of r.notes) console.log(`  note: ${n}`)
  }

  if (runs('liveness')) await benchLiveness(ROWS, line)
  if (!runs('scale')) return
  // 4. A synthetic catalog of ROWS entries.
  const root = join(work, 'synthetic')
  writeSyntheticDataset(root, join(SHARED, 'dataset_metadata.csv'), ROWS)
  const db = openCatalog(join(work, 'synthetic.db'))
  const imp = performance.now()
  await importDataset(db, root)
  line(`import synthetic catalog (${ROWS} rows, no media)`, `${((performance.now() - imp) / 1000).toFixed(2)} s`)
  const repo = new CatalogRepository(db)

  const exp = timeIt(() => exportCsv(db))
  line(`CSV export, ${ROWS} rows unedited`, `${(exp.ms / 1000).toFixed(3)} s (${(exp.value.bytes.length / 1e6).toFixed(1)} MB)`)
  const ids = repo.list().map((e) => e.id)
  const edit = db.transaction(() => {
    for (let i = 0; i < ids.length; i += 10) repo.update(ids[i]!, { MD3: `bench ${i}` })
  })
  edit()
  const exp2 = timeIt(() => exportCsv(db))
  line(`CSV export, ${ROWS} rows with 10% edited`, `${(exp2.ms / 1000).toFixed(3)} s`)

  const list = timeIt(() => repo.list())
  line(`catalog/list (${ROWS} summaries from SQLite)`, `${list.ms.toFixed(0)} ms`)
  const built = timeIt(() => new CatalogIndex(list.value))
  line(`build query index (${ROWS} entries, once per list)`, `${built.ms.toFixed(0)} ms`)
  const index = built.value
  const firstSort = timeIt(() => index.query({ ...emptyQuery(), sortKey: 'filename' }))
  line('first sort by a new column (builds its order, once)', `${firstSort.ms.toFixed(0)} ms`)
  const firstSearch = timeIt(() => index.query({ ...emptyQuery(), search: 'pleural' }))
  line('first search (builds the token index, once per list)', `${firstSearch.ms.toFixed(0)} ms`)
  // What the renderer does after an edit: a new index over the list with one summary replaced, reusing the old one's tokens.
  const edited = list.value.slice()
  edited[7] = { ...edited[7]!, searchText: `${edited[7]!.searchText}\u0001edited` }
  const rebuilt = timeIt(() => new CatalogIndex(edited, index).query({ ...emptyQuery(), search: 'edited' }))
  line('after one edit: new index + search, reusing the old tokens', `${rebuilt.ms.toFixed(0)} ms (${rebuilt.value.length} shown)`)
  // Every column's order once, so the figures below are the steady state of a session.
  for (const key of SORT_KEYS) index.query({ ...emptyQuery(), sortKey: key })

  // 5. Filter / sort / search as the renderer runs them on every keystroke.
  const words = ['covid', 'northumbria', 'b-lines', 'pleural', 'butterfly', 'effusion', 'atlas', 'consolidation', 'lin', 'synthetic_9']
  const sortKeys: SortKey[] = ['filename', 'label', 'probe', 'type', 'license', 'source', 'mediaStatus']
  const measure = (name: string, make: (i: number) => CatalogQuery): void => {
    const samples: number[] = []
    let shown = 0
    for (let i = 0; i < QUERIES; i++) {
      const q = make(i)
      const r = timeIt(() => index.query(q))
      samples.push(r.ms)
      shown += r.value.length
    }
    line(`${name} at ${ROWS} rows`, `p50 ${percentile(samples, 50).toFixed(2)} ms · p95 ${percentile(samples, 95).toFixed(2)} ms (mean ${Math.round(shown / QUERIES)} shown)`)
  }
  const labels = ['covid', 'healthy', 'bacterial_pneumonia'] as const
  measure('filter (label + probe)', (i) => ({ ...emptyQuery(), labels: [labels[i % 3]!], probes: [i % 2 ? 'linear' : 'convex'] }))
  measure('sort (one column, alternating direction)', (i) => ({ ...emptyQuery(), sortKey: sortKeys[i % sortKeys.length]!, sortDescending: i % 2 === 1 }))
  measure('search (free text)', (i) => ({ ...emptyQuery(), search: words[i % words.length]! }))
  measure('filter + search + sort', (i) => ({ ...emptyQuery(), labels: [labels[i % 3]!], search: words[i % words.length]!, sortKey: sortKeys[i % sortKeys.length]! }))
  db.close()
}

main()
  .catch((e: unknown) => {
    console.error(e)
    process.exitCode = 1
  })
  .finally(() => rmSync(work, { recursive: true, force: true }))
