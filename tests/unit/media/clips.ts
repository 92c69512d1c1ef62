/** Clips in the formats the dataset holds, made with ffmpeg's test source, and reference counts from ffprobe. */
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import { ffmpegPath, ffprobePath } from '../../../src/main/media/ffmpegPaths'

const run = promisify(execFile)

export type ClipFormat = 'h264' | 'h264-444' | 'mpeg4-avi' | 'mpeg2' | 'gif' | 'png' | 'jpg'

const CODEC_ARGS: Record<ClipFormat, string[]> = {
  h264: ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'],
  'h264-444': ['-c:v', 'libx264', '-pix_fmt', 'yuv444p'],
  'mpeg4-avi': ['-c:v', 'mpeg4', '-q:v', '5'],
  mpeg2: ['-c:v', 'mpeg2video', '-q:v', '5', '-f', 'mpeg'],
  gif: ['-c:v', 'gif'],
  png: ['-frames:v', '1'],
  jpg: ['-frames:v', '1']
}

/**
 * A clip of `frames` frames (stills: one), 65×49 by default to exercise the
 * proxy's even-size scaling — except 4:2:0 H.264, which cannot be odd-sized.
 */
export function makeFormatClip(file: string, format: ClipFormat, { frames = 12, fps = 10, size = format === 'h264' ? '64x48' : '65x49' } = {}): void {
  mkdirSync(dirname(file), { recursive: true })
  const still = format === 'png' || format === 'jpg'
  execFileSync(ffmpegPath()!, [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${fps}`,
    ...(still ? [] : ['-frames:v', String(frames)]),
    ...CODEC_ARGS[format],
    file
  ])
}

/** The first `fraction` of `src`'s bytes, as a truncated download would leave it. */
export function truncatedCopy(src: string, dst: string, fraction: number): void {
  const bytes = readFileSync(src)
  writeFileSync(dst, bytes.subarray(0, Math.floor(bytes.length * fraction)))
}

/** The reference the frame lists must match: frames decoded by `ffprobe -count_frames`. */
export async function decodedFrameCount(file: string): Promise<number> {
  const { stdout } = await run(ffprobePath()!, [
    '-v', 'error', '-select_streams', 'v:0', '-count_frames',
    '-show_entries', 'stream=nb_read_frames', '-of', 'default=nw=1:nk=1', file
  ])
  return Number(stdout.trim())
}

export async function streamFacts(file: string): Promise<{ codec: string; pixFmt: string; width: number; height: number }> {
  const { stdout } = await run(ffprobePath()!, [
    '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,pix_fmt,width,height', '-of', 'json', file
  ])
  const s = (JSON.parse(stdout) as { streams: { codec_name: string; pix_fmt: string; width: number; height: number }[] }).streams[0]!
  return { codec: s.codec_name, pixFmt: s.pix_fmt, width: s.width, height: s.height }
}
