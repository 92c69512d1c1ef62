/**
 * The app's own worker threads (the import's parsing and writing, building a
 * large catalog list), started the same way from source (tsx, vitest) and
 * from the built bundle (out/main), so heavy work never blocks the event loop
 * that answers the UI. Each worker is one input of the main build
 * (electron.vite.config.ts), emitted as out/main/<name>.js.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { ErrorCode } from '../../shared/result'
import { UserError } from '../errors'

/** Each worker entry and its source file under src/main; the build config names the same files. */
export const WORKER_ENTRIES = {
  importWorker: 'dataset/importWorker.ts',
  listWorker: 'jobs/listWorker.ts',
  modelWorker: 'classifier/modelWorker.ts'
} as const

export type WorkerEntry = keyof typeof WORKER_ENTRIES

/**
 * Where a worker's code is. From source, this file is src/main/jobs/workerThread.ts.
 * In the bundle this code sits in an entry (out/main/index.js, cli.js) or in a
 * shared chunk (out/main/chunks/…), and the workers are entries beside index.js.
 */
export function workerEntryFile(
  entry: WorkerEntry,
  here: string = __filename,
  exists: (file: string) => boolean = existsSync
): { file: string; fromSource: boolean } {
  if (here.endsWith('.ts')) return { file: resolve(dirname(here), '..', WORKER_ENTRIES[entry]), fromSource: true }
  for (const dir of [dirname(here), resolve(dirname(here), '..')]) {
    const file = join(dir, `${entry}.js`)
    if (exists(file)) return { file, fromSource: false }
  }
  throw new Error(`The ${entry} worker is missing beside ${here}: the build is incomplete (run npm run build).`)
}

export function startWorker(entry: WorkerEntry, workerData: unknown): Worker {
  const { file, fromSource } = workerEntryFile(entry)
  if (!fromSource) return new Worker(file, { workerData })
  // From source the worker compiles TypeScript as the parent does; `--import tsx` in execArgv does not reach a worker's entry on Node 20.
  const tsx = createRequire(__filename).resolve('tsx/cjs')
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)})`, { eval: true, workerData })
}

/** How a worker reports a failure: a UserError keeps its code and message across the thread boundary. */
export interface WorkerFailure {
  type: 'failed'
  userError: boolean
  code: string
  message: string
}

export function toWorkerFailure(e: unknown): WorkerFailure {
  if (e instanceof UserError) return { type: 'failed', userError: true, code: e.code, message: e.message }
  return { type: 'failed', userError: false, code: 'internal', message: e instanceof Error ? e.message : String(e) }
}

export function fromWorkerFailure(f: WorkerFailure): Error {
  return f.userError ? new UserError(f.code as ErrorCode, f.message) : new Error(f.message)
}

/**
 * One side of a request/answer conversation with a worker: answers are
 * awaited in order, `progress` messages go to `onProgress` as they come. A
 * worker that fails, dies or exits early fails whatever is awaited.
 */
export class WorkerConversation<Out extends { type: string }> {
  private readonly answers: Out[] = []
  private waiter: { resolve: (m: Out) => void; reject: (e: Error) => void } | null = null
  private ended: Error | null = null

  constructor(
    readonly worker: Worker,
    private readonly onProgress: (m: Out) => void = () => {}
  ) {
    worker.on('message', (m: Out | WorkerFailure) => {
      if (m.type === 'failed') this.end(fromWorkerFailure(m as WorkerFailure))
      else if (m.type === 'progress') this.onProgress(m as Out)
      else this.answers.push(m as Out)
      this.deliver()
    })
    worker.on('error', (e) => {
      this.end(e)
      this.deliver()
    })
    worker.on('exit', (code) => {
      this.end(new Error(`The worker stopped (exit code ${code}) before it answered.`))
      this.deliver()
    })
  }

  send(message: unknown): void {
    this.worker.postMessage(message)
  }

  /** The next answer, which must be of `type`. */
  async next<T extends Out['type']>(type: T): Promise<Extract<Out, { type: T }>> {
    const m = await new Promise<Out>((resolveNext, reject) => {
      this.waiter = { resolve: resolveNext, reject }
      this.deliver()
    })
    if (m.type !== type) throw new Error(`The worker answered ${m.type} where ${type} was expected.`)
    return m as Extract<Out, { type: T }>
  }

  async close(): Promise<void> {
    this.end(new Error('The worker was closed.'))
    await this.worker.terminate()
  }

  private end(e: Error): void {
    this.ended ??= e
  }

  private deliver(): void {
    const w = this.waiter
    if (!w) return
    const m = this.answers.shift()
    if (m !== undefined) {
      this.waiter = null
      w.resolve(m)
    } else if (this.ended) {
      this.waiter = null
      w.reject(this.ended)
    }
  }
}
