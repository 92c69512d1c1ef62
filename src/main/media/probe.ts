/**
 * Media facts from ffprobe: frame count, frame rate, size, duration, codec.
 * Frames are counted by demuxing (`-count_packets`), far cheaper than
 * decoding and exact unless the container discards packets: four of the
 * dataset's MOVs (Cov_denault_proposedUS_vid11–14) have edit lists that
 * drop 1–3 leading packets, so they show one to three frames fewer than
 * counted here. The player's frame count comes from PlaybackService, which
 * lists the decoded frames.
 */
import { ffprobePath } from './ffmpegPaths'
import { startProcess } from './processRun'

const MAX_OUTPUT_BYTES = 1 << 20

export interface ProbeResult {
  frames: number | null
  fps: number | null
  width: number | null
  height: number | null
  durationS: number | null
  codec: string | null
}

export class ProbeError extends Error {}

function rate(r: string | undefined): number | null {
  if (!r) return null
  const [n, d] = r.split('/').map(Number)
  if (!n || !d || !Number.isFinite(n / d)) return null
  return Math.round((n / d) * 1000) / 1000
}

function num(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN
  return Number.isFinite(n) ? n : null
}

interface FfprobeJson {
  streams?: {
    codec_name?: string
    width?: number
    height?: number
    avg_frame_rate?: string
    r_frame_rate?: string
    nb_frames?: string
    nb_read_packets?: string
    duration?: string
  }[]
  format?: { duration?: string }
}

export function probeMedia(file: string, timeoutMs = 60_000): Promise<ProbeResult> {
  const bin = ffprobePath()
  if (!bin) return Promise.reject(new ProbeError('ffprobe was not found (install ffmpeg, or set FFMPEG_PATH)'))
  const args = [
    '-v', 'error',
    '-select_streams', 'v:0',
    '-count_packets',
    '-show_entries', 'stream=codec_name,width,height,avg_frame_rate,r_frame_rate,nb_frames,nb_read_packets,duration:format=duration',
    '-of', 'json',
    file
  ]
  const run = startProcess(bin, args, { timeoutMs })
  const out: Buffer[] = []
  let outBytes = 0
  run.child.stdout.on('data', (chunk: Buffer) => {
    outBytes += chunk.length
    // ffprobe's JSON for one stream is a few hundred bytes; more is no answer to read.
    if (outBytes > MAX_OUTPUT_BYTES) run.kill()
    else out.push(chunk)
  })
  return run.exit.then((e) => {
    const stderr = run.stderr()
    if (e.startError || e.code !== 0 || outBytes > MAX_OUTPUT_BYTES) {
      const fallback = e.startError?.message ?? (e.timedOut ? 'it took too long' : outBytes > MAX_OUTPUT_BYTES ? 'too much output' : `exit code ${e.code}`)
      throw new ProbeError(`ffprobe could not read the file: ${stderr.trim().split('\n').pop() || fallback}`)
    }
    let json: FfprobeJson
    try {
      json = JSON.parse(Buffer.concat(out).toString('utf8')) as FfprobeJson
    } catch {
      throw new ProbeError('ffprobe gave unreadable output')
    }
    const s = json.streams?.[0]
    if (!s) throw new ProbeError('no video or image stream found')
    const readPackets = num(s.nb_read_packets)
    const declared = num(s.nb_frames)
    // ffprobe exits 0 on a truncated file whose index survived; what it read and what it
    // printed tell. (None of the shared dataset's 125 files prints anything here.)
    if (stderr.trim() !== '') throw new ProbeError(`the file is damaged or truncated: ${stderr.trim().split('\n').pop()}`)
    if (readPackets !== null && declared !== null && readPackets < declared)
      throw new ProbeError(`the file is truncated: ${readPackets} of ${declared} frames could be read`)
    const frames = readPackets ?? declared
    if (frames === 0) throw new ProbeError('the file holds no frames')
    return {
      frames,
      fps: rate(s.avg_frame_rate) ?? rate(s.r_frame_rate),
      width: num(s.width),
      height: num(s.height),
      durationS: num(s.duration) ?? num(json.format?.duration),
      codec: s.codec_name ?? null
    }
  })
}
