/**
 * `lus-review reader-bundle --set NAME --out FILE.zip [--rater NAME]...`:
 * the blinded reader bundle of a review set (readerBundle/readerBundleExport.ts)
 * for raters who rate on their own machines. Their ratings bundles come back
 * through bundles/import on this machine, which alone maps clip numbers
 * back to catalog entries.
 */
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { ReviewSet } from '../../shared/ratingsContract'
import { UserError } from '../errors'
import { defaultCatalogPath, userDataDir } from '../paths'
import { openRatingsSession } from '../ratings/ratingsSession'
import { APP_VERSION } from '../version'
import { UsageError, withUsage, type CommandIo } from './setsCommand'

export const READER_BUNDLE_USAGE = `lus-review reader-bundle --set NAME --out FILE.zip [--rater NAME]... [--catalog FILE] [--json]
      A blinded reader bundle of a review set: its clips under opaque names with container metadata
      stripped, the form and each rater's queue; no label, file name or source. For all of the set's
      raters, or those named with --rater. Their ratings bundles are imported back on this machine.`

const CONSOLE: CommandIo = { log: (l) => console.log(l), error: (l) => console.error(l) }

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

export async function runReaderBundleCommand(argv: string[], io: CommandIo = CONSOLE): Promise<number> {
  return withUsage('reader-bundle', io, async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        set: { type: 'string' },
        out: { type: 'string' },
        rater: { type: 'string', multiple: true },
        catalog: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
    if (values.help) {
      io.log(READER_BUNDLE_USAGE)
      return 0
    }
    if (values.set === undefined) throw new UsageError('--set is required')
    if (values.out === undefined) throw new UsageError('--out is required')

    const { service, close } = openRatingsSession(resolve(values.catalog ?? defaultCatalogPath()), {
      version: APP_VERSION,
      cacheDir: join(userDataDir(), 'media-cache')
    })
    try {
      const set = findSet(service.sets.list(), values.set)
      const raterIds = values.rater ? findRaters(set, values.rater) : undefined
      if (!values.json) io.log(`Preparing the ${set.clips} clips of "${set.name}" (playable copies are made where needed; this can take a while)…`)
      const r = await service.exportReaderBundle(set.id, resolve(values.out), raterIds)
      if (values.json) io.log(JSON.stringify(r))
      else {
        io.log(`Wrote ${r.path} (${megabytes(r.bytes)}, ${r.bytes} bytes): ${r.clips} clips${r.transcoded > 0 ? ` (${r.transcoded} transcoded)` : ''}, for ${r.raters.join(', ')}.`)
        io.log(`  Study id ${r.studyId}.`)
        for (const w of r.warnings) io.log(`  Warning: ${w}`)
      }
      return 0
    } finally {
      await close()
    }
  })
}
