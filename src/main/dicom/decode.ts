/**
 * A DICOM's frames as display pixels, one frame at a time: native data is
 * sliced, RLE decoded here (rle.ts), and JPEG Baseline handed to ffmpeg's
 * MJPEG decoder as a stream of the encapsulated JPEG images.
 */
import {
  createJPEGBasicOffsetTable,
  readEncapsulatedImageFrame,
  readEncapsulatedPixelDataFromFragments
} from 'dicom-parser'
import { UserError } from '../errors'
import { framesThroughFfmpeg } from './ffmpegPipe'
import { imageInfo, nativeFrameBytes, type ImageInfo } from './imageInfo'
import { bytesPerPixel, displayConverter, type DisplayFormat } from './pixels'
import { parserMessage, type ParsedDicom } from './readDicom'
import { decodeRleFrame, RleError } from './rle'

export interface DecodedDicom {
  info: ImageInfo
  format: DisplayFormat
  width: number
  height: number
  /** Display frames in order; each is width × height × (1 or 3) bytes. */
  frames(): AsyncGenerator<Buffer>
}

/** The compressed bytes of each frame of an encapsulated pixel data element. */
export function encapsulatedFrameReader(parsed: ParsedDicom, info: ImageInfo): (i: number) => Uint8Array {
  const { dataSet: ds, name } = parsed
  const px = info.pixelData
  const fragments = px.fragments ?? []
  const wrap = (read: () => Uint8Array, i: number): Uint8Array => {
    try {
      return read()
    } catch (e) {
      throw new UserError('bad_input', `${name}: frame ${i + 1} cannot be read from the pixel data: ${parserMessage(e)}.`)
    }
  }
  if ((px.basicOffsetTable?.length ?? 0) > 0) {
    if (px.basicOffsetTable!.length < info.frames)
      throw new UserError('bad_input', `${name}: the pixel data's offset table lists ${px.basicOffsetTable!.length} frames, but the file says ${info.frames}.`)
    return (i) => wrap(() => readEncapsulatedImageFrame(ds, px, i), i)
  }
  if (fragments.length === info.frames) return (i) => wrap(() => readEncapsulatedPixelDataFromFragments(ds, px, i, 1), i)
  if (info.frames === 1) return (i) => wrap(() => readEncapsulatedPixelDataFromFragments(ds, px, 0, fragments.length), i)
  if (parsed.transferSyntax.encoding === 'jpeg-baseline') {
    // No offset table and several fragments per frame: find each frame's start by its JPEG SOI marker.
    let offsets: number[]
    try {
      offsets = createJPEGBasicOffsetTable(ds, px)
    } catch (e) {
      throw new UserError('bad_input', `${name}: the JPEG frames cannot be located in the pixel data: ${parserMessage(e)}.`)
    }
    if (offsets.length < info.frames)
      throw new UserError('bad_input', `${name}: only ${offsets.length} of ${info.frames} JPEG frames were found in the pixel data; the file is truncated or damaged.`)
    return (i) => wrap(() => readEncapsulatedImageFrame(ds, px, i, offsets, fragments), i)
  }
  throw new UserError('bad_input', `${name}: the pixel data has ${fragments.length} fragments for ${info.frames} frames and no offset table; the file is truncated or damaged.`)
}

async function* nativeFrames(parsed: ParsedDicom, info: ImageInfo): AsyncGenerator<Buffer> {
  const conv = displayConverter(parsed.dataSet, info, false)
  const size = nativeFrameBytes(info)
  const base = info.pixelData.dataOffset
  for (let i = 0; i < info.frames; i++) {
    yield conv.convert(parsed.dataSet.byteArray.subarray(base + i * size, base + (i + 1) * size))
  }
}

async function* rleFrames(parsed: ParsedDicom, info: ImageInfo): AsyncGenerator<Buffer> {
  const conv = displayConverter(parsed.dataSet, info, true)
  const read = encapsulatedFrameReader(parsed, info)
  for (let i = 0; i < info.frames; i++) {
    let samples: Uint8Array
    try {
      samples = decodeRleFrame(read(i), info, i)
    } catch (e) {
      if (e instanceof RleError) throw new UserError('bad_input', `${parsed.name} cannot be imported: ${e.message}.`)
      throw e
    }
    yield conv.convert(samples)
  }
}

async function* jpegFrames(parsed: ParsedDicom, info: ImageInfo): AsyncGenerator<Buffer> {
  const read = encapsulatedFrameReader(parsed, info)
  const decodedFormat: DisplayFormat = info.samplesPerPixel === 1 ? 'gray' : 'rgb24'
  const frameBytes = info.rows * info.columns * bytesPerPixel(decodedFormat)
  // Grey JPEG output is the stored value; the palette and MONOCHROME1 still apply to it.
  const post =
    info.samplesPerPixel === 1 ? displayConverter(parsed.dataSet, { ...info, bitsAllocated: 8, bitsStored: 8, pixelRepresentation: 0 }, true) : null
  function* jpegs(): Generator<Uint8Array> {
    for (let i = 0; i < info.frames; i++) yield read(i)
  }
  const args = ['-hide_banner', '-v', 'error', '-f', 'mjpeg', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', decodedFormat, 'pipe:1']
  let n = 0
  for await (const frame of framesThroughFfmpeg(args, jpegs(), frameBytes, `Decoding the JPEG frames of ${parsed.name}`)) {
    n++
    yield post ? post.convert(frame) : frame
  }
  if (n !== info.frames)
    throw new UserError('bad_input', `${parsed.name}: ${n} of ${info.frames} JPEG frames could be decoded; the file is truncated or damaged.`)
}

export function decodeDicom(parsed: ParsedDicom, info: ImageInfo = imageInfo(parsed)): DecodedDicom {
  const format: DisplayFormat = info.photometric === 'PALETTE COLOR' || info.samplesPerPixel === 3 ? 'rgb24' : 'gray'
  const frames = (): AsyncGenerator<Buffer> => {
    switch (parsed.transferSyntax.encoding) {
      case 'native':
        return nativeFrames(parsed, info)
      case 'rle':
        return rleFrames(parsed, info)
      case 'jpeg-baseline':
        return jpegFrames(parsed, info)
      default:
        throw new UserError('unsupported', `${parsed.name}: ${parsed.transferSyntax.name} (${parsed.transferSyntax.uid}) cannot be decoded.`)
    }
  }
  return { info, format, width: info.columns, height: info.rows, frames }
}
