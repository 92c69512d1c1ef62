/**
 * Frames at SAMPLE_RATE_HZ from any clip or still, decoded by ffmpeg as a
 * stream of binary PPM images. training/frames.py runs the same command line,
 * so training and prediction see the same pixels. PPM, not bare rgb24, because
 * each image carries its own size: no probe first, and a stream that changes
 * size midway is still read correctly.
 */
import { basename } from 'node:path'
import { MAX_FRAMES_PER_CLIP, SAMPLE_RATE_HZ, sampleIndices, type RgbFrame } from '../../shared/classifierPreprocess'
import { ffmpegPath } from '../media/ffmpegPaths'
import { processReason, ProcessError, startProcess } from '../media/processRun'

/** ffmpeg's arguments, minus the binary; `eof_action=pass` keeps the one frame of a still image. */
export function samplerArgs(file: string, rateHz: number = SAMPLE_RATE_HZ): string[] {
  return ['-v', 'error', '-nostdin', '-i', file, '-an', '-sn', '-vf', `fps=${rateHz}:eof_action=pass`, '-pix_fmt', 'rgb24', '-f', 'image2pipe', '-vcodec', 'ppm', '-']
}

/** Incremental parser of concatenated binary PPM (P6, maxval 255) images. */
export class PpmStreamParser {
  private buf: Buffer = Buffer.alloc(0)

  constructor(private readonly onFrame: (frame: RgbFrame) => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    for (;;) {
      const header = parseHeader(this.buf)
      if (!header) return
      const end = header.dataStart + header.width * header.height * 3
      if (this.buf.length < end) return
      // A copy, so the (large) stream buffer can be released as frames are taken.
      const data = new Uint8Array(this.buf.subarray(header.dataStart, end))
      this.onFrame({ data, width: header.width, height: header.height, channels: 3 })
      this.buf = this.buf.subarray(end)
    }
  }

  /** Bytes received that do not (yet) form a whole image. */
  get pending(): number {
    return this.buf.length
  }
}

interface Header {
  width: number
  height: number
  dataStart: number
}

function parseHeader(buf: Buffer): Header | null {
  const tokens: string[] = []
  let pos = 0
  while (tokens.length < 4) {
    while (pos < buf.length && isSpace(buf[pos]!)) pos++
    const start = pos
    while (pos < buf.length && !isSpace(buf[pos]!)) pos++
    if (pos >= buf.length) return null // the header is not complete yet
    tokens.push(buf.toString('latin1', start, pos))
  }
  const [magic, w, h, max] = tokens as [string, string, string, string]
  if (magic !== 'P6') throw new Error(`ffmpeg did not write PPM images (got "${magic.slice(0, 8)}")`)
  if (max !== '255') throw new Error(`unexpected PPM maxval ${max}`)
  const width = Number(w)
  const height = Number(h)
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`bad PPM size ${w}×${h}`)
  return { width, height, dataStart: pos + 1 }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09
}

export interface SampleOptions {
  rateHz?: number
  maxFrames?: number
  signal?: AbortSignal
  /** Give up on a clip that decodes for longer than this. */
  timeoutMs?: number
}

export interface SampledClip<T> {
  /** What `map` made of each kept frame. */
  frames: T[]
  /** Index of each kept frame among all samples (time = index / rate). */
  sampleIndex: number[]
  /** All samples ffmpeg produced, before thinning to maxFrames. */
  totalSamples: number
  /** What ffmpeg reported, if anything, even when some frames decoded. */
  warning: string | null
}

/**
 * Decodes a clip's samples; `map` turns each decoded frame into what is kept
 * (a preprocessed tensor), as it arrives, so a long high-resolution clip never
 * holds all its raw frames in memory at once. Frames that decoded before an error are kept (a
 * truncated file still has its start); a clip with none throws a ProcessError
 * whose message says why, for the prediction store's `reason`.
 */
export function sampleClip<T>(file: string, map: (frame: RgbFrame) => T, options: SampleOptions = {}): Promise<SampledClip<T>> {
  const bin = ffmpegPath()
  if (!bin) return Promise.reject(new ProcessError('ffmpeg was not found (install ffmpeg, or set FFMPEG_PATH)'))
  const { signal } = options
  if (signal?.aborted) return Promise.reject(new ProcessError('cancelled', true))
  const maxFrames = options.maxFrames ?? MAX_FRAMES_PER_CLIP
  const run = startProcess(bin, samplerArgs(file, options.rateHz), {
    killGraceMs: 0,
    stderrKeep: 16_384,
    ...(signal ? { signal } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {})
  })
  const all: T[] = []
  const parser = new PpmStreamParser((frame) => all.push(map(frame)))
  let failure: Error | null = null
  run.child.stdout.on('data', (chunk: Buffer) => {
    try {
      parser.push(chunk)
    } catch (e) {
      failure = e as Error
      run.kill()
    }
  })
  return run.exit.then((e) => {
    if (e.aborted) throw new ProcessError('cancelled', true)
    if (e.timedOut) failure = new ProcessError('decoding took too long')
    if (e.startError) failure = new ProcessError(`could not start ffmpeg: ${e.startError.message}`)
    const why = processReason(run.stderr()).replaceAll(file, basename(file)) || null
    if (all.length === 0) {
      const reason = failure?.message ?? why ?? (e.code === 0 ? 'no decodable frames' : `ffmpeg exit code ${e.code}`)
      throw new ProcessError(`no decodable frames: ${reason}`)
    }
    const keep = sampleIndices(all.length, maxFrames)
    return { frames: keep.map((i) => all[i]!), sampleIndex: keep, totalSamples: all.length, warning: failure?.message ?? why }
  })
}
