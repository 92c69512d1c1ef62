/**
 * The shape every host's handlers share: one function per operation of the
 * contract, given arguments `dispatch` has already validated. The app's are
 * built by the composition root (src/main/app/services.ts); a reader
 * workstation answers only its study's (reader/readerHandlers.ts).
 */
import type { z } from 'zod'
import type { Contract, OpResult } from '../../shared/contract'
import type { OperationName } from '../../shared/operations'

/** The handler of operation K of a contract part C: its validated arguments in, its result (or a promise of it) out. */
export type HandlerOf<C, K extends keyof C> = C[K] extends { args: z.ZodType; result: z.ZodType }
  ? (args: z.output<C[K]['args']>) => z.output<C[K]['result']> | Promise<z.output<C[K]['result']>>
  : never

/** The handlers of a contract part (ratingsContract, submissionContract, …), or of some of its operations. */
export type HandlersOf<C, K extends keyof C = keyof C> = { [P in K]: HandlerOf<C, P> }

export type Handlers = {
  [K in OperationName]: (args: z.output<Contract[K]['args']>) => OpResult<K> | Promise<OpResult<K>>
}
