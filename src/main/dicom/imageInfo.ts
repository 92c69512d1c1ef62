/**
 * The Image Pixel module of a parsed DICOM, checked: everything the decoder
 * relies on is present and consistent before a single frame is decoded, so
 * a bad file fails with one message naming the attribute at fault.
 */
import type { DataSet, Element } from 'dicom-parser'
import { UserError } from '../errors'
import { MAX_DIMENSION } from '../dataset/mediaChecks'
import type { ParsedDicom } from './readDicom'

export const PHOTOMETRICS = ['MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL', 'YBR_FULL_422', 'PALETTE COLOR'] as const
export type Photometric = (typeof PHOTOMETRICS)[number]

export type FrameRateSource = 'Frame Time (0018,1063)' | 'Cine Rate (0018,0040)' | 'Recommended Display Frame Rate (0008,2144)' | 'Frame Time Vector (0018,1065)' | 'default'

/** Used when a multi-frame file states no rate at all; said in the import report. */
export const DEFAULT_FPS = 25

export interface ImageInfo {
  rows: number
  columns: number
  frames: number
  samplesPerPixel: 1 | 3
  photometric: Photometric
  bitsAllocated: 8 | 16
  bitsStored: number
  pixelRepresentation: 0 | 1
  /** 0: samples interleaved (RGBRGB…); 1: one plane per sample. */
  planarConfiguration: 0 | 1
  /** Frames per second; null for a single frame. */
  fps: number | null
  /** The same rate as an exact ffmpeg rational ("1000/76"), null for a single frame. */
  fpsRational: string | null
  frameRateSource: FrameRateSource | null
  pixelData: Element
}

const fail = (name: string, why: string): never => {
  throw new UserError('bad_input', `${name} cannot be imported: ${why}.`)
}

function requireUint16(ds: DataSet, tag: string, label: string, name: string): number {
  const v = ds.elements[tag] ? ds.uint16(tag) : undefined
  if (v === undefined) return fail(name, `${label} is missing`)
  return v
}

/** A decimal string as an exact rational: "33.3" → [333, 10]. */
export function decimalToRational(text: string): [number, number] | null {
  const m = /^\s*(\d+)(?:\.(\d+))?\s*$/.exec(text)
  if (!m) return null
  const frac = (m[2] ?? '').slice(0, 6)
  const den = 10 ** frac.length
  const num = Number(m[1]) * den + (frac ? Number(frac) : 0)
  if (num <= 0) return null
  const g = gcd(num, den)
  return [num / g, den / g]
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

interface Rate {
  fps: number
  rational: string
  source: FrameRateSource
}

export function frameRate(ds: DataSet): Rate | null {
  const frameTime = ds.elements.x00181063 ? ds.string('x00181063') : undefined
  if (frameTime) {
    const r = decimalToRational(frameTime)
    // fps = 1000 / (num/den) = 1000·den / num
    if (r) {
      const g = gcd(1000 * r[1], r[0])
      return { fps: (1000 * r[1]) / r[0], rational: `${(1000 * r[1]) / g}/${r[0] / g}`, source: 'Frame Time (0018,1063)' }
    }
  }
  for (const [tag, source] of [
    ['x00180040', 'Cine Rate (0018,0040)'],
    ['x00082144', 'Recommended Display Frame Rate (0008,2144)']
  ] as const) {
    const v = ds.elements[tag] ? ds.intString(tag) : undefined
    if (v !== undefined && Number.isFinite(v) && v > 0) return { fps: v, rational: `${v}/1`, source }
  }
  const vector = ds.elements.x00181065
  if (vector) {
    const n = ds.numStringValues('x00181065') ?? 0
    // The first value is 0 by definition (time of frame 1); the rest are increments in ms.
    const increments: number[] = []
    for (let i = 1; i < n; i++) {
      const v = ds.floatString('x00181065', i)
      if (v !== undefined && v > 0) increments.push(v)
    }
    if (increments.length > 0) {
      const mean = increments.reduce((a, b) => a + b, 0) / increments.length
      const fps = 1000 / mean
      return { fps, rational: `${Math.round(fps * 1000)}/1000`, source: 'Frame Time Vector (0018,1065)' }
    }
  }
  return null
}

export function imageInfo(parsed: ParsedDicom): ImageInfo {
  const { dataSet: ds, name } = parsed
  const pixelData = ds.elements.x7fe00010
  if (!pixelData)
    return fail(name, 'it has no pixel data (7FE0,0010), so there is no image in it (it may be a report, a presentation state or a dose record)')
  const rows = requireUint16(ds, 'x00280010', 'Rows (0028,0010)', name)
  const columns = requireUint16(ds, 'x00280011', 'Columns (0028,0011)', name)
  if (rows === 0 || columns === 0) fail(name, `its image is ${columns}×${rows} pixels`)
  if (rows > MAX_DIMENSION || columns > MAX_DIMENSION) fail(name, `its image is ${columns}×${rows} pixels, over the ${MAX_DIMENSION} px limit`)
  const spp = requireUint16(ds, 'x00280002', 'Samples per Pixel (0028,0002)', name)
  if (spp !== 1 && spp !== 3) fail(name, `Samples per Pixel is ${spp} (1 or 3 are supported)`)
  const photometric = (ds.string('x00280004') ?? '').trim().toUpperCase()
  if (!(PHOTOMETRICS as readonly string[]).includes(photometric))
    fail(name, `the photometric interpretation "${photometric || '(missing)'}" is not supported (${PHOTOMETRICS.join(', ')} are)`)
  const pi = photometric as Photometric
  const needsThree = pi === 'RGB' || pi.startsWith('YBR')
  if (needsThree !== (spp === 3)) fail(name, `${pi} images need ${needsThree ? 3 : 1} samples per pixel, but the file says ${spp}`)
  const bitsAllocated = requireUint16(ds, 'x00280100', 'Bits Allocated (0028,0100)', name)
  if (bitsAllocated !== 8 && bitsAllocated !== 16) fail(name, `Bits Allocated is ${bitsAllocated} (8 or 16 are supported)`)
  if (bitsAllocated === 16 && spp === 3) fail(name, 'colour images with 16 bits per sample are not supported')
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated
  if (bitsStored < 1 || bitsStored > bitsAllocated) fail(name, `Bits Stored (${bitsStored}) does not fit Bits Allocated (${bitsAllocated})`)
  const pixelRepresentation = ds.uint16('x00280103') ?? 0
  if (pixelRepresentation !== 0 && pixelRepresentation !== 1) fail(name, `Pixel Representation is ${pixelRepresentation}`)
  const planar = spp === 3 ? (ds.uint16('x00280006') ?? 0) : 0
  if (planar !== 0 && planar !== 1) fail(name, `Planar Configuration is ${planar}`)

  const framesText = ds.elements.x00280008 ? ds.string('x00280008') : undefined
  const frames = framesText === undefined || framesText === '' ? 1 : Number(framesText)
  if (!Number.isInteger(frames) || frames < 1) fail(name, `Number of Frames is "${framesText}"`)
  if (frames > 100_000) fail(name, `it claims ${frames} frames`)

  if (pixelData.encapsulatedPixelData) {
    if (parsed.transferSyntax.encoding === 'native') fail(name, 'its pixel data is encapsulated, but the transfer syntax is uncompressed')
    if ((pixelData.fragments?.length ?? 0) === 0) fail(name, 'its pixel data holds no fragments')
  } else {
    if (parsed.transferSyntax.encoding !== 'native') fail(name, `its pixel data is not encapsulated, as ${parsed.transferSyntax.name} requires`)
    const need = frames * nativeFrameBytes({ rows, columns, samplesPerPixel: spp, bitsAllocated, photometric: pi })
    if (pixelData.length < need)
      fail(name, `its pixel data holds ${pixelData.length} bytes but ${frames} frame(s) of ${columns}×${rows} need ${need}: the file is truncated or its attributes are wrong`)
  }
  if (pi === 'PALETTE COLOR') {
    for (const c of ['1101', '1102', '1103', '1201', '1202', '1203'])
      if (!ds.elements[`x0028${c}`]) fail(name, `it is PALETTE COLOR but the palette attribute (0028,${c}) is missing`)
  }

  const rate = frames > 1 ? frameRate(ds) : null
  return {
    rows,
    columns,
    frames,
    samplesPerPixel: spp as 1 | 3,
    photometric: pi,
    bitsAllocated: bitsAllocated as 8 | 16,
    bitsStored,
    pixelRepresentation: pixelRepresentation as 0 | 1,
    planarConfiguration: planar as 0 | 1,
    fps: frames > 1 ? (rate?.fps ?? DEFAULT_FPS) : null,
    fpsRational: frames > 1 ? (rate?.rational ?? `${DEFAULT_FPS}/1`) : null,
    frameRateSource: frames > 1 ? (rate?.source ?? 'default') : null,
    pixelData
  }
}

/** Bytes of one uncompressed frame; YBR_FULL_422 stores two luma samples per chroma pair. */
export function nativeFrameBytes(i: { rows: number; columns: number; samplesPerPixel: number; bitsAllocated: number; photometric: Photometric }): number {
  const pixels = i.rows * i.columns
  if (i.photometric === 'YBR_FULL_422') return pixels * 2
  return pixels * i.samplesPerPixel * (i.bitsAllocated / 8)
}
