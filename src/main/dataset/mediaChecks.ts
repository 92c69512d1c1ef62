/**
 * Sanity checks on what ffprobe found, beyond "it decodes": a file whose
 * content does not match its extension, or whose dimensions no ultrasound
 * clip has (a decompression bomb in disguise), is flagged unreadable.
 */
import type { ProbeResult } from '../media/probe'

/** Ultrasound frames are well under 2000 px a side; 8192 leaves room for any real scanner. */
export const MAX_DIMENSION = 8192

const STILL_IMAGE_CODECS = new Set(['png', 'mjpeg', 'bmp', 'webp', 'tiff', 'jpegls', 'jpeg2000'])

export function mediaProblem(kind: 'video' | 'image', ext: string, probe: ProbeResult): string | null {
  const { width, height, frames, codec } = probe
  if ((width ?? 0) > MAX_DIMENSION || (height ?? 0) > MAX_DIMENSION)
    return `dimensions ${width}×${height} exceed the ${MAX_DIMENSION} px limit`
  if (kind === 'video' && ext !== '.gif' && codec !== null && STILL_IMAGE_CODECS.has(codec) && (frames ?? 0) <= 1)
    return `the file is a single ${codec.toUpperCase()} image, not a video (wrong extension ${ext})`
  if (kind === 'image' && (frames ?? 0) > 1) return `the file holds ${frames} frames: a video with an image extension (${ext})`
  return null
}
