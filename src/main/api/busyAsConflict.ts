/**
 * While an import's worker holds the catalog's write lock, a write on this
 * connection fails at once with SQLITE_BUSY (datasetImport.ts sets no busy
 * timeout for that time, so this thread never waits). Say so to the user.
 */
import { UserError } from '../errors'
import type { Handlers } from './handlers'

function isBusy(e: unknown): boolean {
  const code = String((e as { code?: unknown }).code)
  return code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')
}

/** `handlers` with SQLITE_BUSY told as a conflict, in the words `message()` gives at the time. */
export function answerBusyAsConflict(handlers: Handlers, message: () => string): Handlers {
  const asConflict = (e: unknown): never => {
    if (isBusy(e)) throw new UserError('conflict', message())
    throw e
  }
  const wrap =
    (handler: (args: unknown) => unknown) =>
    (args: unknown): unknown => {
      try {
        const r = handler(args)
        return r instanceof Promise ? r.catch(asConflict) : r
      } catch (e) {
        return asConflict(e)
      }
    }
  return Object.fromEntries(Object.entries(handlers).map(([op, h]) => [op, wrap(h as (args: unknown) => unknown)])) as Handlers
}
