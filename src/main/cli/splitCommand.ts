/**
 * `lus-review split --folds 5 --seed S --out DIR [--frames] [--no-leakage-check] [--catalog FILE] [--json]`
 *
 * Patient-grouped, label-stratified cross-validation folds of the catalog's
 * entries with media: folds.csv and cross_val.json in DIR, and with --frames
 * the dataset scripts' frame folders (split{i}/{covid,pneumonia,regular}/…jpg).
 * Then the leakage check: near-duplicate clips that landed in different folds.
 */
import { resolve } from 'node:path'
import { Command } from 'commander'
import { openCatalog } from '../catalog/database'
import { ClassifierService } from '../classifier/classifierService'
import { action, catalogOption, catalogPathOf, CONSOLE, intOption, jsonOption, quietIo, quietOption, runStandalone, UsageError, type CommandIo, type CommonOptions } from './commandKit'

interface SplitOptions extends CommonOptions {
  out?: string
  folds?: string
  seed?: string
  frames?: boolean
  leakageCheck: boolean
}

export function defineSplitCommand(io: CommandIo = CONSOLE): Command {
  return new Command('split')
    .summary('patient-level cross-validation folds, with a leakage check')
    .description(
      'Cross-validation folds grouped by patient and stratified by label: DIR/folds.csv, DIR/cross_val.json ' +
        '(--frames: also DIR/split{i}/{covid,pneumonia,regular}/<video>_frame<N>.jpg at 3 Hz), then a ' +
        'near-duplicate check (dHash) that lists similar clips sitting in different folds.'
    )
    .usage('--out DIR [--folds 5] [--seed 42] [--frames] [--no-leakage-check] [--catalog FILE] [--json] [--quiet]')
    .option('--out <dir>', 'where to write the folds')
    .option('--folds <n>', 'the number of folds, 2 to 20 (default 5)')
    .option('--seed <n>', 'the seed (default 42)')
    .option('--frames', 'also write the frame folders')
    .option('--no-leakage-check', 'skip the near-duplicate check')
    .addOption(catalogOption())
    .addOption(jsonOption('the folds and the leakage check'))
    .addOption(quietOption())
    .action(
      action(async (o: SplitOptions) => {
        if (!o.out) throw new UsageError('split needs --out DIR')
        const folds = intOption(o.folds, 'folds', 5, 2, 20)
        const seed = intOption(o.seed, 'seed', 42, 0, 2 ** 31 - 1)
        const out = quietIo(io, o.quiet)
        const outDir = resolve(o.out)
        // Read-only: a split works beside a running app and never creates or migrates a catalog.
        const db = openCatalog(catalogPathOf(o), { readonly: true })
        const service = new ClassifierService(db)
        try {
          const split = service.split(folds, seed)
          const ctl = { signal: new AbortController().signal, update: (done: number, total: number, message?: string) => out.progress?.(done, total, message) }
          const files = await service.writeSplit(split, outDir, o.frames ?? false, ctl)
          const leakage = o.leakageCheck ? await service.leakageCheck(folds, seed, ctl) : null
          out.progressDone?.()
          if (o.json) {
            out.log(JSON.stringify({ folds, seed, perFold: split.perFold, groupedBySourceStem: split.groupedBySourceStem, files, leakage }))
            return 0
          }
          out.log(`${split.assignments.length} entries with media in ${folds} folds (seed ${seed}), grouped by patient, stratified by label:`)
          for (const f of split.perFold)
            out.log(`  fold ${f.fold}: ${f.groups} groups; covid ${f.counts.covid}, pneumonia ${f.counts.pneumonia}, healthy ${f.counts.healthy}, other ${f.counts.other}`)
          if (split.groupedBySourceStem.length > 0)
            out.log(`  ${split.groupedBySourceStem.length} entries have no Patient ID and were grouped by Source ID + file-name stem: ${split.groupedBySourceStem.join(', ')}`)
          else out.log('  every entry has a Patient ID; no entry was grouped by source + file-name stem')
          out.log(`Wrote ${files.join(', ')}${o.frames ? ' and the frame folders' : ''}.`)
          if (leakage) {
            const cross = leakage.pairs.filter((p) => p.crossFold)
            out.log(`Leakage check (dHash of ${leakage.clipsHashed} clips): ${leakage.pairs.length} near-duplicate pairs, ${cross.length} of them in different folds.`)
            for (const p of cross) out.log(`  WARNING: ${p.a.filename} (fold ${p.a.fold}) ~ ${p.b.filename} (fold ${p.b.fold}), distance ${p.distance}`)
            for (const f of leakage.hashFailures) out.log(`  could not hash ${f.filename}: ${f.reason}`)
          }
          return 0
        } finally {
          await service.close()
          db.close()
        }
      })
    )
}

/** `split` with its arguments, in process (tests); a usage mistake rejects. */
export function runSplitCommand(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  return runStandalone(defineSplitCommand, argv, { ...CONSOLE, log })
}
