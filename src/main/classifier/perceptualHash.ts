/**
 * 64-bit difference hashes (dHash) of a clip's frames, for finding the same
 * clip twice under different names: re-encoded, resized, trimmed. ffmpeg
 * shrinks each 3 Hz sample to 9×8 grey (area filter); bit (y, x) is set when
 * pixel (y, x) is darker than its right neighbour. Re-encoding moves a few
 * bits; different content moves about half of them.
 */
import { basename } from 'node:path'
import { SAMPLE_RATE_HZ, sampleIndices } from '../../shared/classifierPreprocess'
import { ffmpegPath } from '../media/ffmpegPaths'
import { processReason, ProcessError, startProcess } from '../media/processRun'

const W = 9
const H = 8
/** Frames hashed per clip, evenly spread over its samples. */
export const HASHES_PER_CLIP = 16
/** A frame whose 72 grey levels span less than this is blank: its hash (all zeros) would match every other blank frame. */
const MIN_RANGE = 8

/** A dHash as two 32-bit halves (bits 0–31 = rows 0–3). */
export type DHash = readonly [number, number]

export function dHash(pixels: Uint8Array, offset = 0): DHash | null {
  let lo = 255
  let hi = 0
  for (let i = 0; i < W * H; i++) {
    const v = pixels[offset + i]!
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (hi - lo < MIN_RANGE) return null
  const half = [0, 0]
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W - 1; x++) {
      const bit = y * (W - 1) + x
      if (pixels[offset + y * W + x]! < pixels[offset + y * W + x + 1]!) half[bit >> 5]! |= 1 << (bit & 31)
    }
  }
  return [half[0]! >>> 0, half[1]! >>> 0]
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

export function hamming(a: DHash, b: DHash): number {
  return popcount((a[0] ^ b[0]) >>> 0) + popcount((a[1] ^ b[1]) >>> 0)
}

export function hashHex(h: DHash): string {
  return h[1].toString(16).padStart(8, '0') + h[0].toString(16).padStart(8, '0')
}

/** The dHashes of up to HASHES_PER_CLIP evenly spread samples of a clip (blank frames left out). */
export function clipHashes(file: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<DHash[]> {
  const bin = ffmpegPath()
  if (!bin) return Promise.reject(new ProcessError('ffmpeg was not found (install ffmpeg, or set FFMPEG_PATH)'))
  const args = ['-v', 'error', '-nostdin', '-i', file, '-an', '-sn', '-vf', `fps=${SAMPLE_RATE_HZ}:eof_action=pass,scale=${W}:${H}:flags=area,format=gray`, '-f', 'rawvideo', '-']
  const run = startProcess(bin, args, {
    killGraceMs: 0,
    stderrKeep: 8192,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {})
  })
  const chunks: Buffer[] = []
  run.child.stdout.on('data', (c: Buffer) => chunks.push(c))
  return run.exit.then((e) => {
    if (e.startError) throw new ProcessError(`could not start ffmpeg: ${e.startError.message}`)
    if (e.aborted) throw new ProcessError('cancelled', true)
    const raw = new Uint8Array(Buffer.concat(chunks))
    const n = Math.floor(raw.length / (W * H))
    if (n === 0) throw new ProcessError(processReason(run.stderr()).replaceAll(file, basename(file)) || `no frames (exit code ${e.code})`)
    const hashes: DHash[] = []
    for (const i of sampleIndices(n, HASHES_PER_CLIP)) {
      const h = dHash(raw, i * W * H)
      if (h) hashes.push(h)
    }
    return hashes
  })
}

/**
 * How far apart two clips are: for each frame of one, the distance to its
 * nearest frame in the other; the median of those; the smaller of the two
 * directions, so a trimmed copy (a subset of the frames) is still close.
 * null when either clip has no usable frame.
 */
export function clipDistance(a: readonly DHash[], b: readonly DHash[]): number | null {
  if (a.length === 0 || b.length === 0) return null
  return Math.min(directed(a, b), directed(b, a))
}

function directed(a: readonly DHash[], b: readonly DHash[]): number {
  const nearest = a.map((x) => Math.min(...b.map((y) => hamming(x, y)))).sort((p, q) => p - q)
  return nearest[Math.floor((nearest.length - 1) / 2)]!
}
