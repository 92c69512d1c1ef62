/**
 * Stored samples of one frame → display pixels (8-bit grey or RGB), the
 * form ffmpeg encodes. Follows the DICOM pipeline (PS3.3 C.7.6.3, C.11):
 * stored value → Rescale → VOI window → presentation (MONOCHROME1
 * inverted), or palette lookup, or YCbCr → RGB.
 */
import type { DataSet } from 'dicom-parser'
import type { ImageInfo } from './imageInfo'

export type DisplayFormat = 'gray' | 'rgb24'

export interface DisplayConverter {
  format: DisplayFormat
  /** `samples`: one frame, little-endian; `interleaved`: whether colour samples are pixel-interleaved. */
  convert(samples: Uint8Array): Buffer
}

export const bytesPerPixel = (f: DisplayFormat): number => (f === 'gray' ? 1 : 3)

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v))

interface Palette {
  first: number
  red: Uint8Array
  green: Uint8Array
  blue: Uint8Array
}

/**
 * One palette channel as 8-bit values. 16-bit entries are scaled to 8 bits
 * by their high byte, as dcmtk does (checked against dcmj2pnm in the tests).
 */
function paletteChannel(ds: DataSet, descriptorTag: string, dataTag: string): { first: number; lut: Uint8Array } {
  const entriesRaw = ds.uint16(descriptorTag, 0) ?? 0
  const entries = entriesRaw === 0 ? 65536 : entriesRaw
  const first = ds.uint16(descriptorTag, 1) ?? 0
  const bits = ds.uint16(descriptorTag, 2) ?? 16
  const el = ds.elements[dataTag]!
  const bytes = ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length)
  const lut = new Uint8Array(entries)
  if (bits === 8 && bytes.length === entries) {
    // 8-bit entries packed one per byte (as some writers do).
    lut.set(bytes.subarray(0, entries))
  } else {
    const words = Math.min(entries, Math.floor(bytes.length / 2))
    let highBytesUsed = false
    for (let i = 0; i < words; i++) if (bytes[2 * i + 1] !== 0) highBytesUsed = true
    for (let i = 0; i < words; i++) {
      const w = bytes[2 * i]! | (bytes[2 * i + 1]! << 8)
      lut[i] = bits === 8 && !highBytesUsed ? w & 0xff : w >> 8
    }
  }
  return { first, lut }
}

function readPalette(ds: DataSet): Palette {
  const r = paletteChannel(ds, 'x00281101', 'x00281201')
  const g = paletteChannel(ds, 'x00281102', 'x00281202')
  const b = paletteChannel(ds, 'x00281103', 'x00281203')
  return { first: r.first, red: r.lut, green: g.lut, blue: b.lut }
}

/** Stored values of a monochrome or palette frame, masked to Bits Stored and sign-extended. */
function storedValues(samples: Uint8Array, info: ImageInfo): Int32Array {
  const n = info.rows * info.columns
  const out = new Int32Array(n)
  const mask = info.bitsStored >= 32 ? 0xffffffff : (1 << info.bitsStored) - 1
  const sign = 1 << (info.bitsStored - 1)
  for (let i = 0; i < n; i++) {
    let v = info.bitsAllocated === 8 ? samples[i]! : samples[2 * i]! | (samples[2 * i + 1]! << 8)
    v &= mask
    if (info.pixelRepresentation === 1 && v & sign) v -= 1 << info.bitsStored
    out[i] = v
  }
  return out
}

function monochromeConverter(ds: DataSet, info: ImageInfo): DisplayConverter {
  const slope = ds.floatString('x00281053') ?? 1
  const intercept = ds.floatString('x00281052') ?? 0
  const center = ds.floatString('x00281050')
  const width = ds.floatString('x00281051')
  const invert = info.photometric === 'MONOCHROME1'
  const n = info.rows * info.columns
  // 8-bit data is shown as stored (what dcmtk does without a VOI option); wider data needs a window.
  let window: { lo: number; hi: number; linear: (x: number) => number } | null = null
  const chooseWindow = (values: Int32Array): void => {
    if (center !== undefined && width !== undefined && width >= 1) {
      const c = center
      const w = width
      window = {
        lo: c - 0.5 - (w - 1) / 2,
        hi: c - 0.5 + (w - 1) / 2,
        // PS3.3 C.11.2.1.2.1, linear function.
        linear: (x) => ((x - (c - 0.5)) / (w - 1) + 0.5) * 255
      }
      return
    }
    // No window stated: stretch the first frame's range, and keep it for every frame so brightness does not pump.
    let min = Infinity
    let max = -Infinity
    for (const v of values) {
      const x = v * slope + intercept
      if (x < min) min = x
      if (x > max) max = x
    }
    const span = max > min ? max - min : 1
    window = { lo: min, hi: max, linear: (x) => ((x - min) / span) * 255 }
  }
  return {
    format: 'gray',
    convert(samples) {
      const out = Buffer.alloc(n)
      if (info.bitsAllocated === 8 && info.bitsStored === 8 && info.pixelRepresentation === 0 && slope === 1 && intercept === 0) {
        for (let i = 0; i < n; i++) out[i] = invert ? 255 - samples[i]! : samples[i]!
        return out
      }
      const values = storedValues(samples, info)
      if (!window) chooseWindow(values)
      const w = window!
      for (let i = 0; i < n; i++) {
        const x = values[i]! * slope + intercept
        const y = x <= w.lo ? 0 : x > w.hi ? 255 : clamp8(w.linear(x))
        out[i] = invert ? 255 - y : y
      }
      return out
    }
  }
}

function paletteConverter(ds: DataSet, info: ImageInfo): DisplayConverter {
  const p = readPalette(ds)
  const n = info.rows * info.columns
  const last = p.red.length - 1
  return {
    format: 'rgb24',
    convert(samples) {
      const values = storedValues(samples, info)
      const out = Buffer.alloc(n * 3)
      for (let i = 0; i < n; i++) {
        let k = values[i]! - p.first
        if (k < 0) k = 0
        else if (k > last) k = last
        out[3 * i] = p.red[k]!
        out[3 * i + 1] = p.green[k]!
        out[3 * i + 2] = p.blue[k]!
      }
      return out
    }
  }
}

/** Full-range YCbCr (ITU-R BT.601, PS3.3 C.7.6.3.1.2) to RGB. */
function ybrToRgb(y: number, cb: number, cr: number, out: Buffer, o: number): void {
  out[o] = clamp8(y + 1.402 * (cr - 128))
  out[o + 1] = clamp8(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128))
  out[o + 2] = clamp8(y + 1.772 * (cb - 128))
}

function colorConverter(info: ImageInfo, interleaved: boolean): DisplayConverter {
  const n = info.rows * info.columns
  const planar = !interleaved && info.planarConfiguration === 1
  const sample = (s: Uint8Array, i: number, c: number): number => (planar ? s[c * n + i]! : s[3 * i + c]!)
  if (info.photometric === 'YBR_FULL_422') {
    return {
      format: 'rgb24',
      convert(s) {
        // Each pair of pixels is stored as Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2).
        const out = Buffer.alloc(n * 3)
        for (let i = 0; i < n; i += 2) {
          const g = i * 2
          const cb = s[g + 2]!
          const cr = s[g + 3]!
          ybrToRgb(s[g]!, cb, cr, out, 3 * i)
          if (i + 1 < n) ybrToRgb(s[g + 1]!, cb, cr, out, 3 * (i + 1))
        }
        return out
      }
    }
  }
  const ybr = info.photometric === 'YBR_FULL'
  return {
    format: 'rgb24',
    convert(s) {
      const out = Buffer.alloc(n * 3)
      for (let i = 0; i < n; i++) {
        if (ybr) ybrToRgb(sample(s, i, 0), sample(s, i, 1), sample(s, i, 2), out, 3 * i)
        else {
          out[3 * i] = sample(s, i, 0)
          out[3 * i + 1] = sample(s, i, 1)
          out[3 * i + 2] = sample(s, i, 2)
        }
      }
      return out
    }
  }
}

/**
 * The converter for a file's frames. `interleaved`: RLE output is always
 * pixel-interleaved, whatever Planar Configuration says; native data follows it.
 */
export function displayConverter(ds: DataSet, info: ImageInfo, interleaved: boolean): DisplayConverter {
  if (info.photometric === 'PALETTE COLOR') return paletteConverter(ds, info)
  if (info.samplesPerPixel === 1) return monochromeConverter(ds, info)
  return colorConverter(info, interleaved)
}
