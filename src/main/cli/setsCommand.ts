/**
 * `lus-review sets create|list`: review sets from the command line, for a
 * coordinator preparing a reader study without the app.
 *
 * `create` filters the catalog as the catalog view does (search text, probe,
 * type, media status), creates the raters it names that do not exist yet
 * (role rater) and the set, all in one transaction: a refused set leaves no
 * new rater behind.
 */
import { join } from 'node:path'
import { Command } from 'commander'
import { createSetArgsSchema, RATING_FIELDS, REVIEW_ORDERS, type CreateSetArgs, type ReviewSet } from '../../shared/ratingsContract'
import { MEDIA_STATUSES, MEDIA_TYPES, PROBES } from '../../shared/vocabulary'
import { userDataDir } from '../paths'
import { isRatingField } from '../../shared/ratingFieldVocabulary'
import { openRatingsSession } from '../ratings/ratingsSession'
import { APP_VERSION } from '../version'
import { action, catalogCommand, catalogOption, catalogPathOf, type CommandIo, type CommonOptions, CONSOLE, jsonOption, runStandalone, UsageError, withUsage } from './commandKit'

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

interface CreateOptions extends CommonOptions {
  name?: string
  raters?: string
  fields?: string
  search?: string
  probe?: string
  type?: string
  media?: string
  order?: string
  seed?: string
  unblinded?: boolean
}

function openSession(catalog: string | undefined): ReturnType<typeof openRatingsSession> {
  return openRatingsSession(catalogPathOf({ catalog }), { version: APP_VERSION, cacheDir: join(userDataDir(), 'media-cache') })
}

export function defineSetsCommand(io: CommandIo = CONSOLE): Command {
  const create = new Command('create')
    .summary('make a review set of the clips the filters match')
    .description(
      'Make a review set of the clips the filters match (as the catalog view filters); raters not known yet are ' +
        'created. Fields as the label panel names them: label, B-lines, Fever, …, age, gender, probe, comments.'
    )
    .usage('--name NAME --raters "A,B" --fields label[,B-lines,...] [--search TEXT] [--probe convex|linear] [--type video|image] [--media linked|missing|unreadable] [--order random|catalog] [--seed N] [--unblinded] [--catalog FILE] [--json]')
    .option('--name <name>', 'the set\'s name')
    .option('--raters <names>', 'the raters, separated by commas')
    .option('--fields <fields>', 'what is rated, separated by commas')
    .option('--search <text>', 'free-text filter')
    .option('--probe <probe>', `filter: ${PROBES.join(' or ')}`)
    .option('--type <type>', `filter: ${MEDIA_TYPES.join(' or ')}`)
    .option('--media <status>', `filter: ${MEDIA_STATUSES.join(', ')}`)
    .option('--order <order>', `clip order: ${REVIEW_ORDERS.join(' or ')}`)
    .option('--seed <n>', 'the seed of the random order')
    .option('--unblinded', 'show raters the reference labels')
    .addOption(catalogOption())
    .addOption(jsonOption('the set made'))
    .action(
      action(async (o: CreateOptions) => {
        // Every mistake in the call is found before the catalog is opened.
        const request = parseCreate(o as Record<string, string | boolean | undefined>)
        const { service, close } = openSession(o.catalog)
        try {
          const made = service.createSetForRaterNames(request.raterNames, request.args)
          if (o.json) io.log(JSON.stringify(made))
          else {
            for (const line of describeSet(made.set, 'Created review set')) io.log(line)
            if (made.ratersCreated.length > 0) io.log(`  New rater profiles: ${made.ratersCreated.join(', ')}.`)
          }
          return 0
        } finally {
          await close()
        }
      })
    )
  const list = catalogCommand('list', {
    summary: 'the review sets, with their clips, raters and progress',
    description: 'The review sets, with their clips, raters and progress.',
    usage: '[--catalog FILE] [--json]',
    json: 'the sets'
  })
    .action(
      action(async (o: CommonOptions) => {
        const { service, close } = openSession(o.catalog)
        try {
          const sets = service.sets.list()
          if (o.json) io.log(JSON.stringify({ sets }))
          else if (sets.length === 0) io.log('No review sets in this catalog.')
          else for (const set of sets) for (const line of describeSet(set)) io.log(line)
          return 0
        } finally {
          await close()
        }
      })
    )
  return new Command('sets')
    .summary('review sets: create one from catalog filters, or list them')
    .description('Review sets for a reader study, made without the app: lus-review sets create …, lus-review sets list.')
    .usage('create|list [options]')
    .addCommand(create)
    .addCommand(list)
}

/** `sets create|list …` in process (tests): usage mistakes print one line and answer 2, failures reject. */
export function runSetsCommand(argv: string[], io: CommandIo = CONSOLE): Promise<number> {
  return withUsage(io, () => runStandalone(defineSetsCommand, argv, io))
}
