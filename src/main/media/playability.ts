/**
 * Whether Chromium plays a file as it is. Debian's Chromium decodes H.264,
 * VP8, VP9 and AV1 in MP4/WebM (QuickTime .mov is demuxed as MP4), 8-bit
 * 4:2:0 only; the dataset's MPEG-2 (.mpeg), MPEG-4 part 2 (.avi), GIF and
 * 4:4:4 H.264 clips need a proxy. The extension is part of the decision
 * because Chromium chooses its demuxer by MIME type, which comes from the
 * extension (an H.264 stream in .avi does not play).
 */
import { extname } from 'node:path'
import { ffprobePath } from './ffmpegPaths'
import { ProcessError, runProcess } from './processRun'

export interface StreamInfo {
  codec: string | null
  pixFmt: string | null
  width: number | null
  height: number | null
}

const PLAYABLE_CONTAINERS = new Set(['.mp4', '.m4v', '.mov', '.webm'])
const PLAYABLE_CODECS = new Set(['h264', 'vp8', 'vp9', 'av1'])
/** 8-bit 4:2:0; yuvj420p is the same layout in full range, which Chromium handles. */
const PLAYABLE_PIX_FMTS = new Set(['yuv420p', 'yuvj420p'])

/** Whether Chromium would even try the file: its MIME type, from the extension, is one it demuxes. */
export function playableContainer(file: string): boolean {
  return PLAYABLE_CONTAINERS.has(extname(file).toLowerCase())
}

export function playsInChromium(file: string, info: StreamInfo): boolean {
  return (
    playableContainer(file) &&
    info.codec !== null &&
    PLAYABLE_CODECS.has(info.codec) &&
    info.pixFmt !== null &&
    PLAYABLE_PIX_FMTS.has(info.pixFmt)
  )
}

interface StreamJson {
  streams?: { codec_name?: string; pix_fmt?: string; width?: number; height?: number }[]
}

export async function analyzeStream(file: string, signal?: AbortSignal): Promise<StreamInfo> {
  const bin = ffprobePath()
  if (!bin) throw new ProcessError('ffprobe was not found (install ffmpeg, or set FFPROBE_PATH)')
  const out = await runProcess(
    bin,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,pix_fmt,width,height', '-of', 'json', file],
    { signal, collectStdout: true, redact: [file] }
  )
  let s: NonNullable<StreamJson['streams']>[number] | undefined
  try {
    s = (JSON.parse(out) as StreamJson).streams?.[0]
  } catch {
    throw new ProcessError('ffprobe gave unreadable output')
  }
  if (!s) throw new ProcessError('no video stream found')
  return { codec: s.codec_name ?? null, pixFmt: s.pix_fmt ?? null, width: s.width ?? null, height: s.height ?? null }
}
