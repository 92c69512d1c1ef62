/**
 * `lus-review reader-bundle --set NAME --out FILE.zip [--rater NAME]...`:
 * the blinded reader bundle of a review set (readerBundle/readerBundleExport.ts)
 * for raters who rate on their own machines. Their ratings bundles come back
 * through bundles/import on this machine, which alone maps clip numbers
 * back to catalog entries.
 */
import { join, resolve } from 'node:path'
import { Command } from 'commander'
import type { ReviewSet } from '../../shared/ratingsContract'
import { UserError } from '../errors'
import { userDataDir } from '../paths'
import { openRatingsSession } from '../ratings/ratingsSession'
import { APP_VERSION } from '../version'
import { action, catalogOption, catalogPathOf, CONSOLE, jsonOption, quietIo, quietOption, repeatable, runStandalone, UsageError, withUsage, type CommandIo, type CommonOptions } from './commandKit'

/** By id, or by name regardless of case; names are not unique, so two sets of one name are told apart by id. */
function findSet(sets: readonly ReviewSet[], wanted: string): ReviewSet {
  const byId = sets.find((s) => s.id === wanted)
  if (byId) return byId
  const named = sets.filter((s) => s.name.toLowerCase() === wanted.trim().toLowerCase())
  if (named.length === 1) return named[0]!
  if (named.length > 1)
    throw new UserError('conflict', `${named.length} review sets are called "${wanted}"; give one by id: ${named.map((s) => `${s.id} (created ${s.createdAt})`).join(', ')}.`)
  throw new UserError(
    'not_found',
    `No review set called "${wanted}" in this catalog` + (sets.length > 0 ? ` (its sets: ${sets.map((s) => `"${s.name}"`).join(', ')}).` : '; it has none.')
  )
}

function findRaters(set: ReviewSet, names: readonly string[]): string[] {
  return names.map((name) => {
    const r = set.raters.find((x) => x.name.toLowerCase() === name.trim().toLowerCase())
    if (!r) throw new UserError('bad_input', `"${name}" is not a rater of review set "${set.name}" (its raters: ${set.raters.map((x) => x.name).join(', ')}).`)
    return r.id
  })
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`

interface ReaderBundleOptions extends CommonOptions {
  set?: string
  out?: string
  rater: string[]
}

export function defineReaderBundleCommand(io: CommandIo = CONSOLE): Command {
  return new Command('reader-bundle')
    .summary('the blinded reader bundle of a review set, for raters on their own machines')
    .description(
      'A blinded reader bundle of a review set: its clips under opaque names with container metadata ' +
        "stripped, the form and each rater's queue; no label, file name or source. For all of the set's " +
        'raters, or those named with --rater. Their ratings bundles are imported back on this machine.'
    )
    .usage('--set NAME --out FILE.zip [--rater NAME]... [--catalog FILE] [--json] [--quiet]')
    .option('--set <name>', 'the review set, by name or id')
    .option('--out <zip>', 'the bundle to write')
    .option('--rater <name>', 'only this rater (repeatable)', repeatable, [])
    .addOption(catalogOption())
    .addOption(jsonOption('what was written'))
    .addOption(quietOption())
    .action(
      action(async (o: ReaderBundleOptions) => {
        if (o.set === undefined) throw new UsageError('--set is required')
        if (o.out === undefined) throw new UsageError('--out is required')
        const out = quietIo(io, o.quiet || o.json)
        const { service, close } = openRatingsSession(catalogPathOf(o), {
          version: APP_VERSION,
          cacheDir: join(userDataDir(), 'media-cache')
        })
        try {
          const set = findSet(service.sets.list(), o.set)
          const raterIds = o.rater.length > 0 ? findRaters(set, o.rater) : undefined
          out.note(`Preparing the ${set.clips} clips of "${set.name}" (playable copies are made where needed; this can take a while)…`)
          const r = await service.exportReaderBundle(set.id, resolve(o.out), raterIds)
          if (o.json) out.log(JSON.stringify(r))
          else {
            out.log(`Wrote ${r.path} (${megabytes(r.bytes)}, ${r.bytes} bytes): ${r.clips} clips${r.transcoded > 0 ? ` (${r.transcoded} transcoded)` : ''}, for ${r.raters.join(', ')}.`)
            out.log(`  Study id ${r.studyId}.`)
            for (const w of r.warnings) out.log(`  Warning: ${w}`)
          }
          return 0
        } finally {
          await close()
        }
      })
    )
}

/** `reader-bundle …` in process (tests): usage mistakes print one line and answer 2, failures reject. */
export function runReaderBundleCommand(argv: string[], io: CommandIo = CONSOLE): Promise<number> {
  return withUsage(io, () => runStandalone(defineReaderBundleCommand, argv, io))
}
