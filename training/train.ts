/**
 * `npm run train [-- --seed N] [--extra-seeds 7,13] [--dataset DIR] [--work DIR] [--ablate [--variants a,b]] [--frames]`
 * Thin entry point; the pipeline is src/main/classifier/trainPipeline.ts.
 */
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { runTrainingPipeline } from '../src/main/classifier/trainPipeline'

const repoRoot = resolve(__dirname, '..')
const { values } = parseArgs({
  options: {
    dataset: { type: 'string' },
    seed: { type: 'string' },
    folds: { type: 'string' },
    work: { type: 'string' },
    python: { type: 'string' },
    ablate: { type: 'boolean' },
    variants: { type: 'string' },
    'extra-seeds': { type: 'string' },
    frames: { type: 'boolean' }
  }
})
const seed = Number(values.seed ?? 42)
runTrainingPipeline({
  repoRoot,
  dataset: values.dataset ?? process.env.LUS_DATASET ?? resolve(repoRoot, '../shared/lus-dataset'),
  seed,
  folds: Number(values.folds ?? 5),
  work: values.work ?? join(tmpdir(), `lus-train-${seed}`),
  python: values.python ?? process.env.PYTHON ?? '/usr/bin/python3',
  mode: values.ablate ? 'ablate' : 'full',
  ...(values.variants ? { variants: values.variants } : {}),
  ...(values['extra-seeds'] ? { extraSeeds: values['extra-seeds'] } : {}),
  frames: values.frames ?? false
}).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    console.error(`train: ${(e as Error).message}`)
    process.exitCode = 1
  }
)
