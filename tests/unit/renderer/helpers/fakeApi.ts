/**
 * A scripted stand-in for the backend, so the renderer's stores are tested
 * without Electron, a server or a browser: each test says what main answers
 * for the operations it expects, and reads back exactly what the store sent.
 * An operation the test did not script fails the test loudly instead of
 * answering something plausible.
 */
import type { LusApi, OpArgs, OpResult } from '../../../../src/shared/contract'
import type { OperationName } from '../../../../src/shared/operations'
import type { ErrorCode, Result } from '../../../../src/shared/result'

type Answer<K extends OperationName> = (args: OpArgs<K>) => Result<OpResult<K>> | Promise<Result<OpResult<K>>>

export interface SentCall {
  op: OperationName
  args: unknown
}

export class FakeApi {
  /** Every call the store made, in order. */
  readonly calls: SentCall[] = []
  private readonly answers = new Map<OperationName, Answer<never>>()

  /** The object the stores receive as their API. */
  readonly api: LusApi = new Proxy({} as LusApi, {
    get: (_target, name) => {
      const op = name as OperationName
      return async (args: unknown) => {
        this.calls.push({ op, args })
        const answer = this.answers.get(op) as Answer<OperationName> | undefined
        if (!answer) throw new Error(`the test did not script ${op}`)
        return answer(args as never)
      }
    }
  })

  /** Answers `op` with `answer(args)` from now on. */
  on<K extends OperationName>(op: K, answer: Answer<K>): this {
    this.answers.set(op, answer as Answer<never>)
    return this
  }

  /** Answers `op` successfully with `value` (or what `value(args)` returns). */
  ok<K extends OperationName>(op: K, value: OpResult<K> | ((args: OpArgs<K>) => OpResult<K>)): this {
    return this.on(op, (args) => ({ ok: true, value: typeof value === 'function' ? (value as (a: OpArgs<K>) => OpResult<K>)(args) : value }))
  }

  /** Answers `op` with an error, as main does when it refuses. */
  fail(op: OperationName, code: ErrorCode, message: string): this {
    return this.on(op, () => ({ ok: false, error: { code, message } }))
  }

  /** The arguments of each call of `op`, in order. */
  sent<K extends OperationName>(op: K): OpArgs<K>[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.args as OpArgs<K>)
  }

  /** The names of the operations called, in order. */
  ops(): OperationName[] {
    return this.calls.map((c) => c.op)
  }
}

/** A promise the test resolves itself: to hold an answer back while it looks at the store in between. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}
