/**
 * Renders a clip with its crop/trim/mask settings applied, for bundles and
 * for rebuilt web videos: H.264 MP4 for video (every kept frame, source
 * timing), PNG for images. Metadata is never carried over, so a bundle's
 * media hold pixels and timing only (no container titles, comments, GPS).
 */
import { rmSync } from 'node:fs'
import { requireFfmpeg, runFfmpeg } from '../dicom/ffmpegPipe'
import { UserError } from '../errors'
import { requireH264Encoder, type H264Encoder } from '../media/h264Encoder'
import { probeMedia, type ProbeResult } from '../media/probe'
import { editFilters, trimFrameCount, validateEdits, type MediaEdits } from './mediaEdits'

export function renderArgs(input: string, output: string, kind: 'video' | 'image', edits: MediaEdits, encoder: H264Encoder | null): string[] {
  const filters = editFilters(edits, kind)
  if (kind === 'image') {
    return [
      '-nostdin', '-hide_banner', '-v', 'error', '-i', input,
      '-frames:v', '1', '-map', '0:v:0', '-map_metadata', '-1',
      ...(filters.length ? ['-vf', filters.join(',')] : []),
      '-c:v', 'png', '-f', 'image2', '-update', '1', '-y', output
    ]
  }
  if (!encoder) throw new Error('renderArgs: a video needs an H.264 encoder')
  return [
    '-nostdin', '-hide_banner', '-v', 'error', '-xerror', '-i', input,
    '-map', '0:v:0', '-an', '-sn', '-dn', '-map_metadata', '-1',
    // Odd sides get one black row/column (4:2:0 needs even ones) rather than a rescale.
    '-vf', [...filters, 'pad=ceil(iw/2)*2:ceil(ih/2)*2', 'format=yuv420p'].join(','),
    '-fps_mode', 'passthrough', '-enc_time_base:v', '-1',
    ...encoder.args('archive'),
    '-movflags', '+faststart', '-f', 'mp4', '-y', output
  ]
}

export interface RenderOptions {
  /** What the source file is, as probed at import: checked again here, since the file may have changed. */
  probeFile?: (file: string) => Promise<ProbeResult>
  /** Names the clip in messages. */
  label: string
}

/** Renders `input` into `output` (overwritten); returns what the output holds. Removes a failed output. */
export async function renderMedia(input: string, output: string, kind: 'video' | 'image', edits: MediaEdits, o: RenderOptions): Promise<ProbeResult> {
  const probe = o.probeFile ?? probeMedia
  const src = await probe(input).catch((e: unknown) => {
    throw new UserError('bad_input', `${o.label}: the media file cannot be read: ${(e as Error).message}`)
  })
  if (src.width === null || src.height === null) throw new UserError('bad_input', `${o.label}: the media file has no frame size.`)
  validateEdits(edits, { kind, width: src.width, height: src.height, frames: kind === 'image' ? 1 : src.frames }, o.label)
  try {
    const encoder = kind === 'video' ? await requireH264Encoder('Video renders (bundles, rebuilt web videos)', requireFfmpeg()) : null
    await runFfmpeg(renderArgs(input, output, kind, edits, encoder), `${o.label}: rendering`, [input, output])
    const out = await probe(output)
    if (kind === 'video') {
      const expected = edits.trim ? trimFrameCount(edits.trim) : src.frames
      if (expected !== null && out.frames !== expected)
        throw new UserError('internal', `${o.label}: the rendered clip holds ${out.frames} frames instead of ${expected}.`)
    }
    return out
  } catch (e) {
    rmSync(output, { force: true })
    throw e
  }
}
