/**
 * Decoded DICOM frames → the media the catalog plays: H.264 MP4 for cine
 * (every frame kept, at the DICOM's frame rate) or a PNG for a single frame.
 * The recipe matches the playback proxies (transcode.ts): no B-frames and a
 * keyframe every 10 frames for exact frame stepping, no metadata carried.
 */
import type { DecodedDicom } from './decode'
import { requireH264Encoder, type H264Encoder } from '../media/h264Encoder'
import { requireFfmpeg, runWithInput } from './ffmpegPipe'

export interface EncodedMedia {
  kind: 'video' | 'image'
  frames: number
  width: number
  height: number
  fps: number | null
}

/**
 * H.264's 4:2:0 needs even sides: odd ones get one black row/column rather
 * than being rescaled, so every source pixel stays where it was.
 */
const EVEN_PAD = 'pad=ceil(iw/2)*2:ceil(ih/2)*2'

export function videoArgs(d: { format: string; width: number; height: number }, fpsRational: string, out: string, encoder: H264Encoder): string[] {
  return [
    '-hide_banner', '-v', 'error',
    '-f', 'rawvideo', '-pix_fmt', d.format, '-s', `${d.width}x${d.height}`, '-framerate', fpsRational,
    '-i', 'pipe:0',
    '-an', '-map_metadata', '-1',
    '-vf', `${EVEN_PAD},format=yuv420p`,
    '-fps_mode', 'passthrough',
    ...encoder.args('archive'),
    // swscale converts RGB with BT.601 coefficients: say so, so players do not assume BT.709.
    '-colorspace', 'smpte170m', '-color_primaries', 'smpte170m', '-color_trc', 'smpte170m',
    '-movflags', '+faststart',
    '-f', 'mp4', '-y', out
  ]
}

export function pngArgs(d: { format: string; width: number; height: number }, out: string): string[] {
  return [
    '-hide_banner', '-v', 'error',
    '-f', 'rawvideo', '-pix_fmt', d.format, '-s', `${d.width}x${d.height}`,
    '-i', 'pipe:0',
    '-frames:v', '1', '-map_metadata', '-1',
    '-c:v', 'png', '-f', 'image2', '-update', '1', '-y', out
  ]
}

/** Encodes to `out` (a .mp4 for several frames, a .png for one); the caller picks the name. */
export async function encodeDecoded(decoded: DecodedDicom, out: string): Promise<EncodedMedia> {
  const { info } = decoded
  if (info.frames === 1) {
    await runWithInput(pngArgs(decoded, out), decoded.frames(), 'Writing the PNG image')
    return { kind: 'image', frames: 1, width: decoded.width, height: decoded.height, fps: null }
  }
  const encoder = await requireH264Encoder('DICOM cine imports', requireFfmpeg())
  await runWithInput(videoArgs(decoded, info.fpsRational!, out, encoder), decoded.frames(), 'Encoding the video')
  return { kind: 'video', frames: info.frames, width: decoded.width, height: decoded.height, fps: info.fps }
}
