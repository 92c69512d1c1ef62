/**
 * The one entry point both transports use: validate the operation name and
 * its arguments against the contract, run the handler, and turn every
 * outcome into a Result the other side can show.
 */
import { z } from 'zod'
import { contract } from '../../shared/contract'
import { OPERATION_NAMES, type OperationName } from '../../shared/operations'
import { fail, ok, type Result } from '../../shared/result'
import { UserError } from '../errors'
import type { Handlers } from './handlers'

export function isOperationName(op: unknown): op is OperationName {
  return typeof op === 'string' && (OPERATION_NAMES as readonly string[]).includes(op)
}

export async function dispatch(handlers: Handlers, op: unknown, payload: unknown): Promise<Result<unknown>> {
  if (!isOperationName(op)) return fail('invalid_request', `Unknown operation ${JSON.stringify(op)?.slice(0, 80)}.`)
  const parsed = contract[op].args.safeParse(payload ?? {})
  if (!parsed.success) return fail('invalid_request', `Invalid arguments for ${op}: ${z.prettifyError(parsed.error)}`)
  try {
    const handler = handlers[op] as (args: unknown) => unknown
    return ok(await handler(parsed.data))
  } catch (e) {
    if (e instanceof UserError) return fail(e.code, e.message)
    console.error(`[lus-review] ${op} failed:`, e)
    return fail('internal', `Unexpected error in ${op}: ${(e as Error).message}`)
  }
}
