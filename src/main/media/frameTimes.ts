/**
 * Every frame's presentation time, for frame-accurate stepping in the
 * player. Taken from the decoded frames, not the packets: a packet the
 * container marks as discarded (an MP4 edit list trimming the start, as in
 * the dataset's Cov_denault clips) is never shown, so counting packets
 * would give frames that do not exist. The count is therefore exactly
 * ffprobe's `-count_frames` figure.
 */
import { ffprobePath } from './ffmpegPaths'
import { ProcessError, runProcess } from './processRun'

export interface FrameInfo {
  /** Seconds, ascending; frame i is frameTimes[i]. */
  frameTimes: number[]
  width: number | null
  height: number | null
  durationS: number | null
}

interface FramesJson {
  frames?: { best_effort_timestamp_time?: string; pts_time?: string; pkt_dts_time?: string }[]
  streams?: { width?: number; height?: number }[]
  format?: { duration?: string }
}

function finite(v: string | number | undefined): number | null {
  if (v === undefined) return null
  const n = Number(v)
  return Number.isFinite(n) ? n : null
}

/** Parses ffprobe's JSON; exported for tests of the fallbacks. */
export function parseFrameTimes(json: string): FrameInfo {
  let parsed: FramesJson
  try {
    parsed = JSON.parse(json) as FramesJson
  } catch {
    throw new ProcessError('ffprobe gave unreadable frame output')
  }
  const raw = (parsed.frames ?? []).map(
    (f) => finite(f.best_effort_timestamp_time) ?? finite(f.pts_time) ?? finite(f.pkt_dts_time)
  )
  // A frame without any timestamp (rare, damaged streams) still exists and is still shown:
  // place it one frame interval after its predecessor rather than drop it.
  const times: number[] = []
  for (const t of raw) {
    if (t !== null) times.push(t)
    else {
      const prev = times[times.length - 1]
      const gap = times.length >= 2 ? prev! - times[times.length - 2]! : 0
      times.push(prev === undefined ? 0 : prev + gap)
    }
  }
  times.sort((a, b) => a - b)
  const s = parsed.streams?.[0]
  return {
    frameTimes: times.map((t) => Math.round(t * 1e6) / 1e6),
    width: s?.width ?? null,
    height: s?.height ?? null,
    durationS: finite(parsed.format?.duration)
  }
}

export async function readFrameTimes(file: string, signal?: AbortSignal): Promise<FrameInfo> {
  const bin = ffprobePath()
  if (!bin) throw new ProcessError('ffprobe was not found (install ffmpeg, or set FFPROBE_PATH)')
  const json = await runProcess(
    bin,
    [
      '-v', 'error',
      '-select_streams', 'v:0',
      '-show_entries', 'frame=best_effort_timestamp_time,pts_time,pkt_dts_time:stream=width,height:format=duration',
      '-of', 'json',
      file
    ],
    { signal, collectStdout: true, redact: [file] }
  )
  const info = parseFrameTimes(json)
  if (info.frameTimes.length === 0) throw new ProcessError('no video frame could be decoded')
  return info
}
