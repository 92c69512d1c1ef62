/** `npm run test:crash`: the full crash-safety run; prints its figures and fails on any loss. */
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runCrashTrials } from './harness'

// The processes the trials start log here, never into the user's own log folder.
process.env.LUS_REVIEW_LOG_DIR ??= join(tmpdir(), 'lus-review-test-logs')

const trials = Number(process.env.CRASH_TRIALS ?? 50)
runCrashTrials({ trials, dataset: resolve(__dirname, '../../../shared/lus-dataset'), seed: Number(process.env.CRASH_SEED ?? 7), log: console.log }).then((r) => {
  console.log(
    `\n${r.trials} trials (${r.importTrials} killed during or after an import), ${r.acknowledgedEdits} acknowledged edits: ` +
      `${r.corruptions} corruptions, ${r.lostEdits} lost acknowledged edits, ${r.halfImports} half-done imports`
  )
  process.exitCode = r.corruptions + r.lostEdits + r.halfImports === 0 ? 0 : 1
})
