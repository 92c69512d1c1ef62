/**
 * `lus-review split --folds 5 --seed S --out DIR [--frames] [--no-leakage-check] [--catalog FILE] [--json]`
 *
 * Patient-grouped, label-stratified cross-validation folds of the catalog's
 * entries with media: folds.csv and cross_val.json in DIR, and with --frames
 * the dataset scripts' frame folders (split{i}/{covid,pneumonia,regular}/…jpg).
 * Then the leakage check: near-duplicate clips that landed in different folds.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openCatalog } from '../catalog/database'
import { ClassifierService } from '../classifier/classifierService'
import { UserError } from '../errors'
import { defaultCatalogPath } from '../paths'

export const SPLIT_USAGE = `lus-review split --out DIR [--folds 5] [--seed 42] [--frames] [--no-leakage-check] [--catalog FILE] [--json]
      Cross-validation folds grouped by patient and stratified by label: DIR/folds.csv, DIR/cross_val.json
      (--frames: also DIR/split{i}/{covid,pneumonia,regular}/<video>_frame<N>.jpg at 3 Hz), then a
      near-duplicate check (dHash) that lists similar clips sitting in different folds.`

function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError('invalid_request', `--${name} must be an integer from ${min} to ${max} (got "${value}").`)
  return n
}

export async function runSplitCommand(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      catalog: { type: 'string' },
      folds: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      frames: { type: 'boolean' },
      'no-leakage-check': { type: 'boolean' },
      json: { type: 'boolean' }
    }
  })
  if (!values.out) throw new UserError('invalid_request', `split needs --out DIR.\n\n${SPLIT_USAGE}`)
  const folds = intOption(values.folds, 'folds', 5, 2, 20)
  const seed = intOption(values.seed, 'seed', 42, 0, 2 ** 31 - 1)
  const outDir = resolve(values.out)
  // Read-only: a split works beside a running app and never creates or migrates a catalog.
  const db = openCatalog(resolve(values.catalog ?? defaultCatalogPath()), { readonly: true })
  const service = new ClassifierService(db)
  try {
    const split = service.split(folds, seed)
    const files = await service.writeSplit(split, outDir, values.frames ?? false)
    const leakage = values['no-leakage-check']
      ? null
      : await service.leakageCheck(folds, seed, { signal: new AbortController().signal, update: () => {} })
    if (values.json) {
      log(JSON.stringify({ folds, seed, perFold: split.perFold, groupedBySourceStem: split.groupedBySourceStem, files, leakage }))
      return 0
    }
    log(`${split.assignments.length} entries with media in ${folds} folds (seed ${seed}), grouped by patient, stratified by label:`)
    for (const f of split.perFold)
      log(`  fold ${f.fold}: ${f.groups} groups; covid ${f.counts.covid}, pneumonia ${f.counts.pneumonia}, healthy ${f.counts.healthy}, other ${f.counts.other}`)
    if (split.groupedBySourceStem.length > 0)
      log(`  ${split.groupedBySourceStem.length} entries have no Patient ID and were grouped by Source ID + file-name stem: ${split.groupedBySourceStem.join(', ')}`)
    else log('  every entry has a Patient ID; no entry was grouped by source + file-name stem')
    log(`Wrote ${files.join(', ')}${values.frames ? ' and the frame folders' : ''}.`)
    if (leakage) {
      const cross = leakage.pairs.filter((p) => p.crossFold)
      log(`Leakage check (dHash of ${leakage.clipsHashed} clips): ${leakage.pairs.length} near-duplicate pairs, ${cross.length} of them in different folds.`)
      for (const p of cross) log(`  WARNING: ${p.a.filename} (fold ${p.a.fold}) ~ ${p.b.filename} (fold ${p.b.fold}), distance ${p.distance}`)
      for (const f of leakage.hashFailures) log(`  could not hash ${f.filename}: ${f.reason}`)
    }
    return 0
  } finally {
    await service.close()
    db.close()
  }
}
