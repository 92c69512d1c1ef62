/**
 * RLE Lossless (DICOM PS3.5 Annex G). No maintained Node decoder exists for
 * it, and the format is small: a 64-byte header of segment offsets, then one
 * PackBits-coded segment per byte plane (sample × byte, most significant
 * byte first). Decoded into pixel-interleaved little-endian samples, the
 * layout the rest of the decoder expects.
 */

export class RleError extends Error {}

export interface RleLayout {
  rows: number
  columns: number
  samplesPerPixel: number
  bitsAllocated: 8 | 16
}

/** Decodes one PackBits segment into `out` (exactly `out.length` bytes); returns bytes written. */
export function unpackBits(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let i = start
  let o = 0
  while (i < end && o < out.length) {
    const n = src[i++]!
    if (n < 128) {
      // Literal run of n+1 bytes.
      const count = Math.min(n + 1, end - i, out.length - o)
      out.set(src.subarray(i, i + count), o)
      i += n + 1
      o += count
    } else if (n > 128) {
      // Replicate the next byte 257-n times (the signed byte -n+1 times).
      if (i >= end) break
      const v = src[i++]!
      const count = Math.min(257 - n, out.length - o)
      out.fill(v, o, o + count)
      o += count
    }
    // 128 (-128) is a no-op by definition.
  }
  return o
}

export function decodeRleFrame(fragment: Uint8Array, layout: RleLayout, frameIndex = 0): Uint8Array {
  const { rows, columns, samplesPerPixel, bitsAllocated } = layout
  const bytesPerSample = bitsAllocated / 8
  const expectedSegments = samplesPerPixel * bytesPerSample
  const where = `RLE frame ${frameIndex + 1}`
  if (fragment.length < 64) throw new RleError(`${where} is ${fragment.length} bytes, shorter than its 64-byte header`)
  const view = new DataView(fragment.buffer, fragment.byteOffset, fragment.byteLength)
  const segments = view.getUint32(0, true)
  if (segments !== expectedSegments)
    throw new RleError(`${where} has ${segments} segments; ${samplesPerPixel} sample(s) of ${bitsAllocated} bits need ${expectedSegments}`)
  const offsets: number[] = []
  for (let s = 0; s < segments; s++) offsets.push(view.getUint32(4 + 4 * s, true))
  const pixels = rows * columns
  const out = new Uint8Array(pixels * expectedSegments)
  const plane = new Uint8Array(pixels)
  for (let s = 0; s < segments; s++) {
    const start = offsets[s]!
    const end = s + 1 < segments ? offsets[s + 1]! : fragment.length
    if (start < 64 || start > fragment.length || end > fragment.length || end < start)
      throw new RleError(`${where}: segment ${s + 1} lies outside the frame's data (offset ${start}–${end} of ${fragment.length})`)
    plane.fill(0)
    const n = unpackBits(fragment, start, end, plane)
    if (n < pixels) throw new RleError(`${where}: segment ${s + 1} decodes to ${n} of ${pixels} bytes; the data is truncated or damaged`)
    // Segment order: sample 0 MSB, sample 0 LSB, sample 1 MSB, … ; output: little-endian, samples interleaved.
    const sample = Math.floor(s / bytesPerSample)
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample)
    const stride = expectedSegments
    const offset = sample * bytesPerSample + byteInSample
    for (let p = 0; p < pixels; p++) out[p * stride + offset] = plane[p]!
  }
  return out
}
