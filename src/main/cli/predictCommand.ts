/**
 * `lus-review predict [--catalog FILE] [--json] [--skip-done] [--entry ID …] [--model FILE]`
 *
 * Runs the shipped classifier over the catalog's clips under Node
 * (onnxruntime-web, WASM) and stores each prediction in the catalog; expert
 * labels are not touched. With --json, one JSON line per clip.
 */
import { resolve } from 'node:path'
import { Command } from 'commander'
import { openCatalog } from '../catalog/database'
import { ClassifierService, type ClipResult } from '../classifier/classifierService'
import { UserError } from '../errors'
import { action, catalogCommand, catalogPathOf, type CommandIo, CONSOLE, quietIo, quietOption, repeatable, runStandalone, UsageError, type CommonOptions } from './commandKit'

interface PredictOptions extends CommonOptions {
  skipDone?: boolean
  entry: string[]
  model?: string
}

export function definePredictCommand(io: CommandIo = CONSOLE): Command {
  return catalogCommand('predict', {
    summary: 'run the shipped classifier over the clips (expert labels are never changed)',
    description: "Run the classifier over the catalog's clips (frames at 3 Hz, WASM under Node) and store the predictions " +
      '(expert labels are never changed). --json: one line per clip.',
    usage: '[--catalog FILE] [--json] [--skip-done] [--entry ID]... [--model FILE] [--quiet]',
    json: 'one line per clip'
  })
    .option('--skip-done', 'leave clips that already have a prediction')
    .option('--entry <id>', 'only this catalog entry (repeatable)', repeatable, [])
    .option('--model <file>', 'another ONNX model (default: the shipped one)')
    .addOption(quietOption())
    .action(
      action(async (o: PredictOptions) => {
        const entryIds = o.entry.map((e) => {
          const n = Number(e)
          if (!/^\d+$/.test(e) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--entry takes a catalog entry id (got "${e}")`)
          return n
        })
        const out = quietIo(io, o.quiet || o.json)
        const db = openCatalog(catalogPathOf(o))
        const service = new ClassifierService(db, ...(o.model ? [resolve(o.model)] : []))
        const controller = new AbortController()
        const onSigint = (): void => controller.abort()
        process.once('SIGINT', onSigint)
        try {
          const status = await service.modelStatus()
          if (!status.available) throw new UserError('unsupported', status.error)
          out.note(`Model ${status.info.name} ${status.info.version} (sha256 ${status.info.sha256.slice(0, 12)}…)`)
          const print = (r: ClipResult): void => {
            if (o.json) {
              out.log(
                JSON.stringify({
                  entryId: r.entryId,
                  filename: r.filename,
                  ok: r.ok,
                  probabilities: r.probabilities,
                  predicted: r.predicted,
                  entropy: r.entropy,
                  framesUsed: r.framesUsed,
                  // null for a model without a findings head; otherwise every finding, in the app's order.
                  findings: r.findings ? Object.fromEntries(r.findings.map((f) => [f.name, round4(f.probability)])) : null,
                  reason: r.reason
                })
              )
            } else if (r.ok) {
              const p = r.probabilities!
              const likely = r.findings?.filter((f) => f.probability >= 0.5).map((f) => `${f.name} ${f.probability.toFixed(2)}`)
              out.log(
                `${r.filename}: ${r.predicted} (covid ${p.covid.toFixed(2)}, pneumonia ${p.pneumonia.toFixed(2)}, healthy ${p.healthy.toFixed(2)}, uninformative ${p.uninformative.toFixed(2)}; ${r.framesUsed} frames)` +
                  (likely ? `; findings ≥ 0.5: ${likely.length > 0 ? likely.join(', ') : 'none'}` : '')
              )
            } else out.log(`${r.filename}: no prediction: ${r.reason}`)
          }
          const report = await service.prelabel(
            { force: !o.skipDone, ...(entryIds.length > 0 ? { entryIds } : {}) },
            { signal: controller.signal, update: (done, total) => out.progress?.(done, total) },
            print
          )
          out.progressDone?.()
          out.note(
            `${report.predicted} predicted, ${report.failed} without prediction, ${report.skipped} already done, in ${(report.durationMs / 1000).toFixed(1)} s` +
              (report.cancelled ? ' (interrupted)' : '') +
              '.'
          )
          return report.cancelled ? 130 : 0
        } finally {
          process.removeListener('SIGINT', onSigint)
          await service.close()
          db.close()
        }
      })
    )
}

function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4
}

/** `predict` with its arguments, in process (tests); a usage mistake rejects. */
export function runPredictCommand(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  return runStandalone(definePredictCommand, argv, { ...CONSOLE, log })
}
