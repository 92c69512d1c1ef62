/**
 * `lus-review agreement FILE.csv`: agreement statistics for ratings given in
 * long format, one rating per row (`item,rater,value`; other columns are
 * ignored), printed as JSON. An empty value means the rater did not rate the
 * item. Errors name the file and line, as the dataset import's do.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Command } from 'commander'
import { CsvError, parse } from 'csv-parse/sync'
import { analyzeAgreement, DEFAULT_BOOTSTRAP } from '../agreement/agreementReport'
import { buildRatingTable, type RatingTriple } from '../agreement/ratingTable'
import { UserError } from '../errors'
import { action, CONSOLE, jsonOption, UsageError, type CommandIo } from './commandKit'

export interface AgreementCommandOptions {
  seed?: number
  replicates?: number
}

const REQUIRED = ['item', 'rater', 'value'] as const

interface Parsed {
  record: string[]
  info: { lines: number }
}

export function readLongFormatRatings(file: string): RatingTriple[] {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (e) {
    throw new UserError('bad_input', `Cannot read ${file}: ${(e as Error).message}`)
  }
  const text = bytes.toString('utf8')
  if (text.trim() === '') throw new UserError('bad_input', `${file} is empty; it needs a header line "item,rater,value" and one rating per line.`)
  let rows: Parsed[]
  try {
    rows = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as Parsed[]
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines
      throw new UserError('bad_input', `${file}${line ? ` line ${line}` : ''}: ${e.message}`)
    }
    throw e
  }
  const [header, ...records] = rows
  if (!header) throw new UserError('bad_input', `${file} is empty.`)
  const names = header.record.map((h) => h.toLowerCase())
  const missing = REQUIRED.filter((c) => !names.includes(c))
  if (missing.length > 0)
    throw new UserError(
      'bad_input',
      `${file} line ${header.info.lines}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the header must name item, rater and value (found: ${header.record.join(', ') || 'nothing'}).`
    )
  const [itemCol, raterCol, valueCol] = REQUIRED.map((c) => names.indexOf(c)) as [number, number, number]
  if (records.length === 0) throw new UserError('bad_input', `${file} has a header but no ratings.`)

  const seen = new Map<string, { value: string; line: number }>()
  const triples: RatingTriple[] = []
  for (const { record, info } of records) {
    const line = info.lines
    if (record.length < header.record.length)
      throw new UserError('bad_input', `${file} line ${line}: ${record.length} fields, but the header has ${header.record.length}.`)
    const item = record[itemCol]!
    const rater = record[raterCol]!
    const value = record[valueCol]!
    if (item === '') throw new UserError('bad_input', `${file} line ${line}: the item is empty.`)
    if (rater === '') throw new UserError('bad_input', `${file} line ${line}: the rater is empty.`)
    if (value === '') continue // not rated
    // The key joins with a character CSV text cannot hold unescaped, so "a,b"+"c" never meets "a"+"b,c".
    const key = `${item}\u0000${rater}`
    const before = seen.get(key)
    if (before) {
      if (before.value !== value)
        throw new UserError(
          'bad_input',
          `${file} line ${line}: rater "${rater}" rated item "${item}" twice with different values ("${before.value}" on line ${before.line}, "${value}" here).`
        )
      continue // the same rating repeated: harmless
    }
    seen.set(key, { value, line })
    triples.push({ item, rater, value })
  }
  if (triples.length === 0) throw new UserError('bad_input', `${file} has no ratings: every value is empty.`)
  return triples
}

export function runAgreementCommand(file: string, opts: AgreementCommandOptions = {}): string {
  const replicates = opts.replicates ?? DEFAULT_BOOTSTRAP.replicates
  const seed = opts.seed ?? DEFAULT_BOOTSTRAP.seed
  if (!Number.isInteger(replicates) || replicates < 0 || replicates > 100_000)
    throw new UserError('invalid_request', `--replicates must be a whole number from 0 to 100000 (got ${replicates}).`)
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1)
    throw new UserError('invalid_request', `--seed must be a whole number from 0 to 4294967295 (got ${seed}).`)
  const table = buildRatingTable(readLongFormatRatings(file))
  if (table.raters.length < 2) throw new UserError('bad_input', `${file} has ratings by one rater only (${table.raters[0]}); agreement needs two or more.`)
  return JSON.stringify({ file, ...analyzeAgreement(table, { replicates, seed }) }, null, 2)
}

/** Parses the CLI's `--seed` and `--replicates` strings. */
export function agreementOptions(seed: string | undefined, replicates: string | undefined): AgreementCommandOptions {
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined
    if (!/^\d+$/.test(v.trim())) throw new UserError('invalid_request', `--${name} must be a whole number (got "${v}").`)
    return Number(v)
  }
  const out: AgreementCommandOptions = {}
  const s = num('seed', seed)
  const r = num('replicates', replicates)
  if (s !== undefined) out.seed = s
  if (r !== undefined) out.replicates = r
  return out
}

export function defineAgreementCommand(io: CommandIo = CONSOLE): Command {
  return new Command('agreement')
    .summary("agreement statistics (percent agreement, Fleiss' and Cohen's κ) for a ratings CSV, as JSON")
    .description(
      "Agreement statistics (percent agreement, Fleiss' and pairwise Cohen's κ with bootstrap 95% CIs) for long-format " +
        'ratings: columns item,rater,value, one rating per row (an empty value: not rated). Prints JSON.'
    )
    .usage('RATINGS.csv [--seed N] [--replicates N] [--json]')
    .argument('<ratings>', 'a CSV file with columns item,rater,value')
    .option('--seed <n>', `the bootstrap's seed (default ${DEFAULT_BOOTSTRAP.seed})`)
    .option('--replicates <n>', `bootstrap replicates, 0 to 100000 (default ${DEFAULT_BOOTSTRAP.replicates})`)
    .addOption(jsonOption('the statistics (always JSON; accepted for uniformity)'))
    .action(
      action((file: string, o: { seed?: string; replicates?: string }) => {
        try {
          io.log(runAgreementCommand(resolve(file), agreementOptions(o.seed, o.replicates)))
        } catch (e) {
          // The option checks answer invalid_request; a file that cannot be read or used answers bad_input.
          throw e instanceof UserError && e.code === 'invalid_request' ? new UsageError(e.message) : e
        }
        return 0
      })
    )
}
