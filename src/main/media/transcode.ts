/**
 * The ffmpeg recipes: a playback proxy and a thumbnail. Both write to a
 * temporary name and rename on success; whatever happens, the temporary
 * file is gone when the promise settles.
 */
import { existsSync, statSync } from 'node:fs'
import { produceFileAtomic } from '../fs/atomicWrite'
import { ffmpegPath } from './ffmpegPaths'
import { requireH264Encoder, type H264Encoder } from './h264Encoder'
import { readFrameTimes, type FrameInfo } from './frameTimes'
import { ProcessError, runProcess } from './processRun'
import type { MediaCache } from './proxyCache'

export const THUMB_WIDTH = 160

/**
 * H.264 in MP4 that Chromium plays and seeks exactly:
 * - every source frame kept with its own timestamp (`-fps_mode passthrough`,
 *   and the encoder in the source's time base so no timestamp is rounded
 *   onto a coarser grid), so frame k of the proxy is frame k of the source;
 * - no B-frames and a keyframe every 10 frames: a seek decodes at most 9
 *   frames, and decode order is presentation order;
 * - 4:2:0 8-bit with even dimensions (H.264's 4:2:0 requires them);
 * - the best H.264 encoder this ffmpeg has (h264Encoder.ts), libx264 where there;
 * - `-xerror`: a damaged or truncated source fails instead of yielding a
 *   proxy silently missing its tail.
 */
export function proxyArgs(input: string, output: string, encoder: H264Encoder): string[] {
  return [
    '-nostdin', '-hide_banner', '-v', 'error', '-xerror',
    '-i', input,
    '-map', '0:v:0', '-an', '-sn', '-dn', '-map_metadata', '-1',
    '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p',
    '-fps_mode', 'passthrough', '-enc_time_base:v', '-1',
    ...encoder.args('proxy'),
    '-movflags', '+faststart',
    '-progress', 'pipe:1', '-nostats',
    '-f', 'mp4', '-y', output
  ]
}

export function thumbnailArgs(input: string, output: string): string[] {
  return [
    '-nostdin', '-hide_banner', '-v', 'error',
    '-i', input,
    '-frames:v', '1', '-vf', `scale=${THUMB_WIDTH}:-2`,
    '-c:v', 'mjpeg', '-q:v', '3',
    '-f', 'image2', '-update', '1', '-y', output
  ]
}

function requireFfmpeg(): string {
  const bin = ffmpegPath()
  if (!bin) throw new ProcessError('ffmpeg was not found (install ffmpeg, or set FFMPEG_PATH)')
  return bin
}

export interface ProxyOptions {
  signal?: AbortSignal
  /** The source's frame count, for progress; null when unknown. */
  expectedFrames: number | null
  /** Its duration, for progress when the frame count is unknown. */
  expectedDurationS?: number | null
  onProgress?: (fraction: number) => void
}

/** Makes the proxy of `input` (content `sha`) and its frame times; returns the frame times. */
export async function makeProxy(input: string, sha: string, cache: MediaCache, options: ProxyOptions): Promise<FrameInfo> {
  const bin = requireFfmpeg()
  const encoder = await requireH264Encoder('Playback copies of clips the browser cannot play', bin)
  const final = cache.proxyPath(sha)
  const info = await produceFileAtomic(
    final,
    async (tmp) => {
      await runProcess(bin, proxyArgs(input, tmp, encoder), {
        signal: options.signal,
        redact: [input, tmp],
        onStdoutLine: (line) => {
          const fraction = progressFraction(line, options.expectedFrames, options.expectedDurationS ?? null)
          if (fraction !== null) options.onProgress?.(fraction)
        }
      })
      return readFrameTimes(tmp, options.signal)
    },
    cache.tempFor(final)
  )
  // Written after the rename: frame times without their proxy would never be read (see MediaCache.readFrames).
  cache.writeFrames(sha, 'proxy', info)
  return info
}

/** One line of ffmpeg's `-progress` output as a fraction done: frames when the count is known, else output time. */
export function progressFraction(line: string, expectedFrames: number | null, expectedDurationS: number | null): number | null {
  const [key, value] = line.split('=', 2)
  const n = Number(value)
  if (value === undefined || value === '' || !Number.isFinite(n)) return null
  if (key === 'frame' && expectedFrames) return n / expectedFrames
  if (key === 'out_time_us' && !expectedFrames && expectedDurationS) return n / 1e6 / expectedDurationS
  return null
}

export async function makeThumbnail(input: string, sha: string, cache: MediaCache, signal?: AbortSignal): Promise<string> {
  const bin = requireFfmpeg()
  const final = cache.thumbPath(sha)
  await produceFileAtomic(
    final,
    async (tmp) => {
      await runProcess(bin, thumbnailArgs(input, tmp), { signal, redact: [input, tmp] })
      // ffmpeg exits 0 without output when no frame decodes.
      if (!existsSync(tmp) || statSync(tmp).size === 0) throw new ProcessError('no frame could be decoded')
    },
    cache.tempFor(final)
  )
  return final
}
