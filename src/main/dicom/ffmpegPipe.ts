/**
 * ffmpeg with data on stdin (and optionally frames on stdout): how decoded
 * DICOM frames reach the encoder, and how JPEG fragments reach ffmpeg's
 * maintained MJPEG decoder, without temporary files or holding a whole
 * cine in memory. Writes respect backpressure; a failed run rejects with
 * what ffmpeg said last.
 */
import { basename } from 'node:path'
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { UserError } from '../errors'
import { ffmpegPath } from '../media/ffmpegPaths'
import { processReason, startProcess } from '../media/processRun'

const STDERR_KEEP = 32 * 1024

export function requireFfmpeg(): string {
  const bin = ffmpegPath()
  if (!bin) throw new UserError('unsupported', 'ffmpeg was not found (install ffmpeg, or set FFMPEG_PATH); it is needed to decode and encode DICOM frames.')
  return bin
}

interface Running {
  stdin: Writable
  stdout: Readable
  stderr: () => string
  kill: () => void
  exit: Promise<number | null>
}

function start(args: readonly string[]): Running {
  const run = startProcess(requireFfmpeg(), args, { stdin: true, stderrKeep: STDERR_KEEP })
  const exit = run.exit.then((e) => {
    if (e.startError) throw new UserError('unsupported', `ffmpeg could not be started: ${e.startError.message}`)
    return e.code
  })
  return { stdin: run.child.stdin!, stdout: run.child.stdout, stderr: run.stderr, kill: run.kill, exit }
}

/** Runs ffmpeg on files (no stdin); rejects with its reason, file paths shortened to their names. */
export async function runFfmpeg(args: readonly string[], what: string, redact: readonly string[] = []): Promise<void> {
  const run = start(args)
  run.stdin.end()
  const code = await run.exit
  if (code !== 0) {
    let why = processReason(run.stderr()) || `ffmpeg exit code ${code}`
    for (const p of redact) why = why.replaceAll(p, basename(p))
    throw new UserError('bad_input', `${what} failed: ${why}`)
  }
}

/** Feeds `input` to ffmpeg's stdin; resolves once ffmpeg exits 0, else rejects with its reason. */
export async function runWithInput(args: readonly string[], input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, what: string): Promise<void> {
  const run = start(args)
  let inputError: unknown = null
  await pipeline(Readable.from(input, { objectMode: false }), run.stdin).catch((e: unknown) => {
    inputError = e
    run.kill()
  })
  const code = await run.exit
  // The producer's error (a damaged frame) is the cause; ffmpeg's complaint about a short input is the symptom.
  if (inputError && !isPipeError(inputError)) throw inputError
  if (code !== 0) throw new UserError('bad_input', `${what} failed: ${processReason(run.stderr()) || `ffmpeg exit code ${code}`}`)
}

function isPipeError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_PREMATURE_CLOSE'
}

/**
 * Runs ffmpeg as a filter: `input` on stdin, fixed-size frames of
 * `frameBytes` read back from stdout. Stops ffmpeg if the consumer stops early.
 */
export async function* framesThroughFfmpeg(
  args: readonly string[],
  input: Iterable<Uint8Array>,
  frameBytes: number,
  what: string
): AsyncGenerator<Buffer> {
  const run = start(args)
  let inputError: unknown = null
  const feeding = pipeline(Readable.from(input, { objectMode: false }), run.stdin).catch((e: unknown) => {
    inputError = e
  })
  let pending: Buffer[] = []
  let pendingBytes = 0
  let finished = false
  try {
    for await (const chunk of run.stdout as AsyncIterable<Buffer>) {
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes < frameBytes) continue
      let all = Buffer.concat(pending, pendingBytes)
      while (all.length >= frameBytes) {
        yield Buffer.from(all.subarray(0, frameBytes))
        all = all.subarray(frameBytes)
      }
      pending = all.length ? [all] : []
      pendingBytes = all.length
    }
    await feeding
    const code = await run.exit
    if (inputError && !isPipeError(inputError)) throw inputError
    if (code !== 0) throw new UserError('bad_input', `${what} failed: ${processReason(run.stderr()) || `ffmpeg exit code ${code}`}`)
    if (pendingBytes !== 0) throw new UserError('bad_input', `${what} failed: ffmpeg returned ${pendingBytes} bytes after the last whole frame`)
    finished = true
  } finally {
    if (!finished) {
      run.kill()
      await run.exit.catch(() => null)
    }
  }
}
