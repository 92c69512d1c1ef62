/**
 * The copy of one clip that goes into a reader bundle: the frames the
 * catalog's player shows, and nothing that says where they came from.
 *
 * What survives, checked with `ffprobe -show_format -show_streams` on the
 * dataset's clips and on ffmpeg test clips tagged with a title, a comment
 * and a handler name: format tags major_brand/minor_version/
 * compatible_brands and stream tags language "und", handler_name
 * "VideoHandler", vendor_id "[0][0][0][0]" — the muxer's generic values.
 * Gone: title, comment, copyright ("GE Healthcare - LOGIQP5" in some of
 * the dataset's clips), dates, encoder, the source's handler names,
 * chapters, and audio (a narrated clip would say what it shows).
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { sha256File } from '../../media/contentHash'
import { ffmpegPath } from '../../media/ffmpegPaths'
import { readFrameTimes, type FrameInfo } from '../../media/frameTimes'
import { analyzeStream, type StreamInfo } from '../../media/playability'
import { ProcessError, runProcess } from '../../media/processRun'
import { MediaCache } from '../../media/proxyCache'
import { makeProxy } from '../../media/transcode'

/**
 * No metadata, chapters or per-stream tags are carried over, and bitexact
 * keeps the muxer and encoder from writing their own names and versions.
 */
const NO_METADATA = ['-map_metadata', '-1', '-map_chapters', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact']

/**
 * Drops H.264 SEI messages, where x264 writes its banner ("x264 - core 159 …
 * options: crf=…"): its version and settings differ between sources and so
 * say which source a clip came from. Decoding does not need them: over the
 * dataset's H.264 clips the decoded frames are identical with and without.
 */
const NO_SEI = ['-bsf:v', 'filter_units=remove_types=6']

export function remuxArgs(input: string, output: string): string[] {
  return [
    '-nostdin', '-hide_banner', '-v', 'error',
    '-i', input,
    '-map', '0:v:0', '-c', 'copy', ...NO_SEI, ...NO_METADATA,
    '-movflags', '+faststart',
    '-f', 'mp4', '-y', output
  ]
}

/** A still as PNG; `sidedata` drops an embedded ICC profile (whose description can name a device or a program). */
export function stillArgs(input: string, output: string): string[] {
  return [
    '-nostdin', '-hide_banner', '-v', 'error',
    '-i', input,
    '-map', '0:v:0', '-frames:v', '1', '-vf', 'sidedata=mode=delete',
    '-c:v', 'png', ...NO_METADATA,
    '-f', 'image2', '-update', '1', '-y', output
  ]
}

export interface BlindedCopy {
  info: FrameInfo
  /** Re-encoded here (not the played stream as it was). */
  reencoded: boolean
}

/** Frame times can move by a rounding step when the container's time base changes. */
const FRAME_TIME_TOLERANCE_S = 0.002

/** The same frames at the same times, up to a shift of the whole clip (a remux may start it at 0). */
export function sameFrames(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length || a.length === 0) return a.length === b.length
  return a.every((t, i) => Math.abs(t - a[0]! - (b[i]! - b[0]!)) <= FRAME_TIME_TOLERANCE_S)
}

/** Copied as it is when it is H.264 4:2:0, which the browser plays in MP4. */
const copyable = (s: StreamInfo): boolean => s.codec === 'h264' && (s.pixFmt === 'yuv420p' || s.pixFmt === 'yuvj420p')

async function ffmpeg(args: string[], paths: string[]): Promise<void> {
  const bin = ffmpegPath()
  if (!bin) throw new ProcessError('ffmpeg was not found (install ffmpeg, or set FFMPEG_PATH)')
  await runProcess(bin, args, { redact: paths })
}

async function remux(input: string, output: string): Promise<FrameInfo> {
  await ffmpeg(remuxArgs(input, output), [input, output])
  return readFrameTimes(output)
}

/**
 * `played`: the file the catalog plays and its frame times. `workDir` holds
 * an intermediate re-encode when one is needed (removed here).
 */
export async function writeBlindedVideo(played: { file: string; frameTimes: readonly number[] }, output: string, workDir: string): Promise<BlindedCopy> {
  if (copyable(await analyzeStream(played.file))) {
    const info = await remux(played.file, output)
    if (sameFrames(info.frameTimes, played.frameTimes)) return { info, reencoded: false }
  }
  // Another codec, or a stream copy that would show other frames (an MP4 edit list that trims
  // the end is not carried over by a copy): the playback proxy's recipe keeps exactly the
  // decoded frames, each at its time; the same remux then strips what the encoder wrote.
  const cache = new MediaCache(join(workDir, 'reencode'))
  const sha = await sha256File(played.file)
  try {
    await makeProxy(played.file, sha, cache, { expectedFrames: played.frameTimes.length })
    const info = await remux(cache.proxyPath(sha), output)
    if (!sameFrames(info.frameTimes, played.frameTimes))
      throw new ProcessError(`its copy shows ${info.frameTimes.length} frames where the catalog's player shows ${played.frameTimes.length}`)
    return { info, reencoded: true }
  } finally {
    rmSync(cache.cacheDir, { recursive: true, force: true })
  }
}

export async function writeBlindedStill(input: string, output: string): Promise<BlindedCopy> {
  await ffmpeg(stillArgs(input, output), [input, output])
  const info = await readFrameTimes(output)
  // A still has one frame and no duration, as the catalog's player has it.
  return { info: { ...info, frameTimes: [0], durationS: null }, reencoded: true }
}
