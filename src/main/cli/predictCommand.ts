/**
 * `lus-review predict [--catalog FILE] [--json] [--skip-done] [--entry ID …] [--model FILE]`
 *
 * Runs the shipped classifier over the catalog's clips under Node
 * (onnxruntime-web, WASM) and stores each prediction in the catalog; expert
 * labels are not touched. With --json, one JSON line per clip.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openCatalog } from '../catalog/database'
import { ClassifierService, type ClipResult } from '../classifier/classifierService'
import { UserError } from '../errors'
import { defaultCatalogPath } from '../paths'

export const PREDICT_USAGE = `lus-review predict [--catalog FILE] [--json] [--skip-done] [--entry ID ...] [--model FILE]
      Run the classifier over the catalog's clips (frames at 3 Hz) and store the predictions
      (expert labels are never changed). --json: one line per clip.`

export async function runPredictCommand(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      catalog: { type: 'string' },
      json: { type: 'boolean' },
      'skip-done': { type: 'boolean' },
      entry: { type: 'string', multiple: true },
      model: { type: 'string' }
    }
  })
  const entryIds = values.entry?.map((e) => {
    const n = Number(e)
    if (!Number.isInteger(n) || n < 1) throw new UserError('invalid_request', `--entry takes a catalog entry id (got "${e}").`)
    return n
  })
  const db = openCatalog(resolve(values.catalog ?? defaultCatalogPath()))
  const service = new ClassifierService(db, ...(values.model ? [resolve(values.model)] : []))
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  process.once('SIGINT', onSigint)
  try {
    const status = await service.modelStatus()
    if (!status.available) throw new UserError('unsupported', status.error)
    if (!values.json) log(`Model ${status.info.name} ${status.info.version} (sha256 ${status.info.sha256.slice(0, 12)}…)`)
    const print = (r: ClipResult): void => {
      if (values.json) {
        log(
          JSON.stringify({
            entryId: r.entryId,
            filename: r.filename,
            ok: r.ok,
            probabilities: r.probabilities,
            predicted: r.predicted,
            entropy: r.entropy,
            framesUsed: r.framesUsed,
            reason: r.reason
          })
        )
      } else if (r.ok) {
        const p = r.probabilities!
        log(`${r.filename}: ${r.predicted} (covid ${p.covid.toFixed(2)}, pneumonia ${p.pneumonia.toFixed(2)}, healthy ${p.healthy.toFixed(2)}, uninformative ${p.uninformative.toFixed(2)}; ${r.framesUsed} frames)`)
      } else log(`${r.filename}: no prediction: ${r.reason}`)
    }
    const tty = process.stderr.isTTY && !values.json
    const report = await service.prelabel(
      { force: !values['skip-done'], ...(entryIds ? { entryIds } : {}) },
      {
        signal: controller.signal,
        update: (done, total) => {
          if (tty) process.stderr.write(`\r${done}/${total}`)
        }
      },
      print
    )
    if (tty) process.stderr.write('\n')
    if (!values.json)
      log(
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
}
