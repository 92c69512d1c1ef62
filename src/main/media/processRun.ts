/**
 * Running the app's child processes (ffmpeg, ffprobe) through one helper
 * that owns what every caller needs: kill on abort (SIGTERM, then SIGKILL
 * after a grace period) and on a timeout, the tail of stderr for the reason,
 * and settling only once the process has exited, so the caller can then
 * delete the process's output safely (on Windows an open file cannot be
 * removed). Streaming callers read `child.stdout` themselves; `runProcess`
 * collects it.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { basename } from 'node:path'
import type { Readable, Writable } from 'node:stream'

export class ProcessError extends Error {
  constructor(
    message: string,
    /** True when the run was cancelled (service closing), not a failure of the input. */
    readonly aborted = false
  ) {
    super(message)
    this.name = 'ProcessError'
  }
}

export interface RunOptions {
  signal?: AbortSignal
  /** Each complete line of stdout, as it arrives (ffmpeg's `-progress pipe:1`). */
  onStdoutLine?: (line: string) => void
  /** Collect stdout (ffprobe's JSON); off for ffmpeg, whose stdout is progress only. */
  collectStdout?: boolean
  /** Paths to shorten to their file name in the reason: messages reach the UI, which never sees paths. */
  redact?: readonly string[]
}

const STDERR_KEEP = 64 * 1024
/** A process that ignores SIGTERM this long gets SIGKILL. */
const KILL_GRACE_MS = 2000

/**
 * What ffmpeg said last, without the `[mpeg4 @ 0x55…]` prefixes: the
 * reason a user can act on ("corrupt input packet in stream 0").
 */
export function processReason(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\]\s*/i, '').trim())
    .filter((l) => l !== '')
  return lines.slice(-2).join('; ')
}

export interface StartOptions {
  signal?: AbortSignal
  /** Killed (SIGKILL) after this long; `exit` then says timedOut. */
  timeoutMs?: number
  /** A process stopped by abort gets SIGTERM, then SIGKILL after this long; 0: SIGKILL at once. */
  killGraceMs?: number
  /** Keep this much of the end of stderr. */
  stderrKeep?: number
  /** Open a pipe to the process's stdin (else it reads nothing). */
  stdin?: boolean
}

/** How a process ended. `startError`: it never ran (the binary is missing, …). */
export interface ProcessExit {
  code: number | null
  signal: NodeJS.Signals | null
  aborted: boolean
  timedOut: boolean
  startError: Error | null
}

export interface StartedProcess {
  child: ChildProcessByStdio<Writable | null, Readable, Readable>
  /** The tail of what it wrote to stderr so far. */
  stderr(): string
  /** Kills it now (SIGKILL), e.g. when its output turned out unusable. */
  kill(): void
  /** Settles (never rejects) once the process has exited or failed to start. */
  exit: Promise<ProcessExit>
}

export function startProcess(bin: string, args: readonly string[], options: StartOptions = {}): StartedProcess {
  const { signal } = options
  const keep = options.stderrKeep ?? STDERR_KEEP
  const grace = options.killGraceMs ?? KILL_GRACE_MS
  const child = spawn(bin, args, { stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true }) as ChildProcessByStdio<Writable | null, Readable, Readable>
  let stderr = ''
  let aborted = false
  let timedOut = false
  let killTimer: NodeJS.Timeout | undefined
  child.stderr.on('data', (chunk: Buffer) => {
    // Only the tail matters for the reason; a chatty decoder must not grow memory without bound.
    stderr = (stderr + chunk.toString('utf8')).slice(-keep)
  })
  // A closed stdin (the process exited early) is told by its exit status, not as an EPIPE crash.
  child.stdin?.on('error', () => {})
  const kill = (): void => {
    child.kill('SIGKILL')
  }
  const onAbort = (): void => {
    aborted = true
    if (grace === 0) return kill()
    child.kill('SIGTERM')
    killTimer = setTimeout(kill, grace)
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true
        kill()
      }, options.timeoutMs)
    : undefined
  const exit = new Promise<ProcessExit>((resolve) => {
    const settle = (code: number | null, sig: NodeJS.Signals | null, startError: Error | null): void => {
      signal?.removeEventListener('abort', onAbort)
      clearTimeout(killTimer)
      clearTimeout(timer)
      resolve({ code, signal: sig, aborted, timedOut, startError })
    }
    child.on('error', (e) => settle(null, null, e))
    child.on('close', (code, sig) => settle(code, sig, null))
  })
  return { child, stderr: () => stderr, kill, exit }
}

/** A failed run's reason from its stderr, paths shortened to their file names. */
export function exitReason(run: StartedProcess, e: ProcessExit, redact: readonly string[] = []): string {
  let why = processReason(run.stderr()) || (e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`)
  for (const p of redact) why = why.replaceAll(p, basename(p))
  return why
}

export async function runProcess(bin: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const { signal } = options
  if (signal?.aborted) throw new ProcessError('cancelled', true)
  const run = startProcess(bin, args, signal ? { signal } : {})
  const out: Buffer[] = []
  let partial = ''
  run.child.stdout.on('data', (chunk: Buffer) => {
    if (options.collectStdout) out.push(chunk)
    if (options.onStdoutLine) {
      const text = partial + chunk.toString('utf8')
      const lines = text.split('\n')
      partial = lines.pop() ?? ''
      for (const l of lines) options.onStdoutLine(l.trim())
    }
  })
  const e = await run.exit
  if (e.startError) throw new ProcessError(`could not start ${bin}: ${e.startError.message}`)
  if (e.aborted) throw new ProcessError('cancelled', true)
  if (e.code === 0) return Buffer.concat(out).toString('utf8')
  throw new ProcessError(exitReason(run, e, options.redact))
}
