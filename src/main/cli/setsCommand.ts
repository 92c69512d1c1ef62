/**
 * `lus-review sets create|list`: review sets from the command line, for a
 * coordinator preparing a reader study without the app.
 *
 * `create` filters the catalog as the catalog view does (search text, probe,
 * type, media status), creates the raters it names that do not exist yet
 * (role rater) and the set, all in one transaction: a refused set leaves no
 * new rater behind.
 */
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createSetArgsSchema, RATING_FIELDS, REVIEW_ORDERS, type CreateSetArgs, type ReviewSet } from '../../shared/ratingsContract'
import { MEDIA_STATUSES, MEDIA_TYPES, PROBES } from '../../shared/vocabulary'
import { defaultCatalogPath, userDataDir } from '../paths'
import { isRatingField } from '../ratings/ratingFields'
import { openRatingsSession } from '../ratings/ratingsSession'
import { APP_VERSION } from '../version'

export const SETS_USAGE = `lus-review sets create --name NAME --raters "A,B" --fields label[,B-lines,...] [--search TEXT] [--probe convex|linear]
        [--type video|image] [--media linked|missing|unreadable] [--order random|catalog] [--seed N] [--unblinded]
        [--catalog FILE] [--json]
      Make a review set of the clips the filters match (as the catalog view filters); raters not known yet are
      created. Fields as the label panel names them: label, B-lines, Fever, …, age, gender, probe, comments.
  lus-review sets list [--catalog FILE] [--json]
      The review sets, with their clips, raters and progress.`

export interface CommandIo {
  log: (line: string) => void
  error: (line: string) => void
}
const CONSOLE: CommandIo = { log: (l) => console.log(l), error: (l) => console.error(l) }

/** A mistake in how the command was called: one line, exit code 2. */
export class UsageError extends Error {}

/** Runs a command body, turning usage mistakes (ours and parseArgs') into one line and exit code 2. */
export async function withUsage(command: string, io: CommandIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body()
  } catch (e) {
    const parseError = (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    if (!(e instanceof UsageError) && !parseError) throw e
    io.error(`lus-review ${command}: ${(e as Error).message.split('\n')[0]} (see lus-review ${command} --help)`)
    return 2
  }
}

function list(value: string | undefined, option: string): string[] {
  if (value === undefined) throw new UsageError(`--${option} is required`)
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (items.length === 0) throw new UsageError(`--${option} names nothing`)
  return items
}

function oneOf<T extends string>(value: string | undefined, option: string, allowed: readonly T[]): T[] {
  if (value === undefined) return []
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${option} must be one of ${allowed.join(', ')} (got "${value}")`)
  return [value as T]
}

function seedOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!/^\d+$/.test(value) || n > 2 ** 31 - 1) throw new UsageError(`--seed must be a whole number from 0 to ${2 ** 31 - 1} (got "${value}")`)
  return n
}

function describeSet(set: ReviewSet, lead = 'Review set'): string[] {
  return [
    `${lead} "${set.name}" (id ${set.id}): ${set.clips} clips, ${set.clipsWithoutMedia} without media; ${set.complete} rated by every rater.`,
    `  Fields: ${set.fields.join(', ')}`,
    `  Raters: ${set.raters.map((r) => `${r.name} (${r.rated}/${set.clips} rated)`).join(', ')}`,
    `  ${set.blinded ? 'Blinded' : 'Not blinded'}${set.revealAfterSubmit ? ', reveals the reference after each rating' : ''}; ${set.order} order, seed ${set.seed}; created ${set.createdAt}.`
  ]
}

/** The set a `create` call asks for; every mistake in the call is found here, before the catalog is opened. */
function parseCreate(values: Record<string, string | boolean | undefined>): { raterNames: string[]; args: Omit<CreateSetArgs, 'raterIds'> } {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined)
  if (str('name') === undefined) throw new UsageError('--name is required')
  const raterNames = list(str('raters'), 'raters')
  const lower = raterNames.map((n) => n.toLowerCase())
  const twice = raterNames.find((_, i) => lower.indexOf(lower[i]!) !== i)
  if (twice) throw new UsageError(`--raters names "${twice}" twice`)
  const fields = list(str('fields'), 'fields')
  const unknown = fields.find((f) => !isRatingField(f))
  if (unknown) throw new UsageError(`unknown field "${unknown}"; fields are ${RATING_FIELDS.join(', ')}`)
  const order = oneOf(str('order'), 'order', REVIEW_ORDERS)[0]
  const seed = seedOption(str('seed'))
  const checked = createSetArgsSchema.omit({ raterIds: true }).safeParse({
    name: str('name'),
    query: {
      search: str('search') ?? '',
      probes: oneOf(str('probe'), 'probe', PROBES),
      types: oneOf(str('type'), 'type', MEDIA_TYPES),
      mediaStatuses: oneOf(str('media'), 'media', MEDIA_STATUSES)
    },
    fields,
    blinded: values.unblinded !== true,
    ...(order ? { order } : {}),
    ...(seed !== undefined ? { seed } : {})
  })
  if (!checked.success) {
    const issue = checked.error.issues[0]!
    throw new UsageError(`--${String(issue.path[0] ?? 'name')}: ${issue.message}`)
  }
  return { raterNames, args: checked.data }
}

export async function runSetsCommand(argv: string[], io: CommandIo = CONSOLE): Promise<number> {
  return withUsage('sets', io, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        raters: { type: 'string' },
        fields: { type: 'string' },
        search: { type: 'string' },
        probe: { type: 'string' },
        type: { type: 'string' },
        media: { type: 'string' },
        order: { type: 'string' },
        seed: { type: 'string' },
        unblinded: { type: 'boolean' },
        catalog: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
    if (values.help) {
      io.log(SETS_USAGE)
      return 0
    }
    const [sub, ...extra] = positionals
    if (sub !== 'create' && sub !== 'list') throw new UsageError(sub === undefined ? 'say create or list' : `unknown subcommand "${sub}"; say create or list`)
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
    const request = sub === 'create' ? parseCreate(values) : null

    const { service, close } = openRatingsSession(resolve(values.catalog ?? defaultCatalogPath()), {
      version: APP_VERSION,
      cacheDir: join(userDataDir(), 'media-cache')
    })
    try {
      if (request) {
        const made = service.createSetForRaterNames(request.raterNames, request.args)
        if (values.json) io.log(JSON.stringify(made))
        else {
          for (const line of describeSet(made.set, 'Created review set')) io.log(line)
          if (made.ratersCreated.length > 0) io.log(`  New rater profiles: ${made.ratersCreated.join(', ')}.`)
        }
        return 0
      }
      const sets = service.sets.list()
      if (values.json) io.log(JSON.stringify({ sets }))
      else if (sets.length === 0) io.log('No review sets in this catalog.')
      else for (const set of sets) for (const line of describeSet(set)) io.log(line)
      return 0
    } finally {
      await close()
    }
  })
}
