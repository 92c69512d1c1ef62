/**
 * Running ffmpeg/ffprobe as child processes that can be cancelled: an
 * aborted run kills its process and settles only once the process has
 * exited, so the caller can then delete the process's output safely (on
 * Windows an open file cannot be removed).
 */
import { spawn } from 'node:child_process'
import { basename } from 'node:path'

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

export function runProcess(bin: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const { signal } = options
  if (signal?.aborted) return Promise.reject(new ProcessError('cancelled', true))
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
    const out: Buffer[] = []
    let partial = ''
    let stderr = ''
    let aborted = false
    let killTimer: NodeJS.Timeout | undefined

    child.stdout.on('data', (chunk: Buffer) => {
      if (options.collectStdout) out.push(chunk)
      if (options.onStdoutLine) {
        const text = partial + chunk.toString('utf8')
        const lines = text.split('\n')
        partial = lines.pop() ?? ''
        for (const l of lines) options.onStdoutLine(l.trim())
      }
    })
    child.stderr.on('data', (chunk: Buffer) => {
      // Only the tail matters for the reason; a chatty decoder must not grow memory without bound.
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP)
    })

    const onAbort = (): void => {
      aborted = true
      child.kill('SIGTERM')
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS)
    }
    signal?.addEventListener('abort', onAbort, { once: true })

    child.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort)
      if (killTimer) clearTimeout(killTimer)
      reject(new ProcessError(`could not start ${bin}: ${e.message}`))
    })
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort)
      if (killTimer) clearTimeout(killTimer)
      if (aborted) return reject(new ProcessError('cancelled', true))
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'))
      let why = processReason(stderr) || (sig ? `killed by ${sig}` : `exit code ${code}`)
      for (const p of options.redact ?? []) why = why.replaceAll(p, basename(p))
      reject(new ProcessError(why))
    })
  })
}
