/**
 * The one entry point both transports use: validate the operation name and
 * its arguments against the contract, refuse operations this host does not
 * answer (a reader workstation answers only its study's), run the handler,
 * check what it returns against the contract (always for what a blinded rater
 * sees; every operation in tests and development), and turn every outcome into
 * a Result the other side can show.
 */
import { z } from 'zod'
import { contract } from '../../shared/contract'
import { OPERATION_NAMES, READER_MODE_OPERATIONS, type OperationName } from '../../shared/operations'
import { RATER_MODE_OPERATIONS } from '../../shared/ratingsContract'
import { fail, ok, type Result } from '../../shared/result'
import { firstMalformedString } from '../../shared/wellFormedText'
import { UserError } from '../errors'
import { PreparedJson } from '../jobs/preparedJson'
import { log, logFailure } from '../log/logger'
import type { Handlers } from './handlers'

export function isOperationName(op: unknown): op is OperationName {
  return typeof op === 'string' && (OPERATION_NAMES as readonly string[]).includes(op)
}

/**
 * Results that reach a blinded rater are checked against their (strict)
 * schema on every call, whatever the host: a key outside the allow-list, or
 * a value of the wrong shape, fails the call instead of reaching the rater.
 */
export const ALWAYS_CHECKED_RESULTS: ReadonlySet<OperationName> = new Set<OperationName>([...RATER_MODE_OPERATIONS, ...READER_MODE_OPERATIONS])

export interface DispatchOptions {
  /** The operations this host answers; every other known operation is refused with 'forbidden'. All when omitted. */
  allowed?: readonly OperationName[]
  /** Why an operation outside `allowed` is refused, written for the user. */
  refusal?: string
  /**
   * Which results are checked besides ALWAYS_CHECKED_RESULTS: 'all' (every
   * one), 'rater-only' (those alone), or a list. Defaults to 'all' in tests and
   * development and to 'rater-only' when NODE_ENV is 'production'.
   */
  checkResults?: readonly OperationName[] | 'all' | 'rater-only'
}

/**
 * Results not checked even under 'all': the catalog list is as long as the
 * catalog (100k rows), and building it off the main thread is what keeps the
 * app answering; checking it there would undo that.
 */
const TOO_LARGE_TO_CHECK: ReadonlySet<OperationName> = new Set<OperationName>(['catalog/list'])

/** A host's handlers: every operation for the catalog, only its own for a reader workstation. */
export type HandlerMap = Partial<Handlers>

const DEFAULT_REFUSAL = 'This operation is not available here.'

export async function dispatch(handlers: HandlerMap, op: unknown, payload: unknown, options: DispatchOptions = {}): Promise<Result<unknown>> {
  if (!isOperationName(op)) return fail('invalid_request', `Unknown operation ${JSON.stringify(op)?.slice(0, 80)}.`)
  // Refused before the arguments are read: a host that does not answer an operation says so whatever was sent.
  if (options.allowed && !options.allowed.includes(op)) return fail('forbidden', options.refusal ?? DEFAULT_REFUSAL)
  const malformed = firstMalformedString(payload)
  if (malformed !== null)
    return fail(
      'invalid_request',
      `Invalid arguments for ${op}: the text ${malformed} is not well-formed Unicode (it holds half of a surrogate pair, which no file or database can store). Nothing was changed; type or paste the text again.`
    )
  const parsed = contract[op].args.safeParse(payload ?? {})
  if (!parsed.success) return fail('invalid_request', `Invalid arguments for ${op}: ${z.prettifyError(parsed.error)}`)
  const handler = handlers[op] as ((args: unknown) => unknown) | undefined
  if (!handler) return fail('forbidden', options.refusal ?? DEFAULT_REFUSAL)
  let value: unknown
  try {
    value = await handler(parsed.data)
  } catch (e) {
    if (e instanceof UserError) return fail(e.code, e.message)
    console.error(`[lus-review] ${op} failed:`, e)
    // The log file keeps the operation and where it failed, never the arguments or the message (they may quote a cell).
    logFailure(op, e)
    return fail('internal', `Unexpected error in ${op}: ${(e as Error).message}`)
  }
  const always = ALWAYS_CHECKED_RESULTS.has(op)
  if (!always && !checksResult(op, options, value)) return ok(value)
  const checked = contract[op].result.safeParse(value)
  // Only the strict rater-facing schemas shape the answer; elsewhere the check only checks, so development answers as production does.
  if (checked.success) return ok(always ? checked.data : value)
  // The value itself is never sent, nor quoted in the message: it may hold what a blinded rater must not see.
  console.error(`[lus-review] ${op} returned a result that does not match its schema; withheld:\n${z.prettifyError(checked.error)}`)
  log().error({ op, check: 'result-schema' }, 'result withheld')
  return fail('internal', `Unexpected error in ${op}: its answer failed the app's own checks and was withheld.`)
}

function checksResult(op: OperationName, options: DispatchOptions, value: unknown): boolean {
  const which = options.checkResults ?? (process.env.NODE_ENV === 'production' ? 'rater-only' : 'all')
  if (which === 'rater-only') return false
  if (which !== 'all') return which.includes(op)
  // Serve mode's large list arrives serialized already (catalog/list): there is no value here to check.
  return !TOO_LARGE_TO_CHECK.has(op) && !(value instanceof PreparedJson)
}
