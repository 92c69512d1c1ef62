/**
 * Which H.264 encoder this machine's ffmpeg has, asked rather than assumed:
 * an ffmpeg built without GPL parts has no libx264 (Fedora's, some Windows
 * builds, an LGPL build shipped with the app), and the playback proxies, the
 * DICOM cine import and the bundle renders all need one.
 *
 * Once per ffmpeg binary (cached, on first use), `ffmpeg -encoders` is read
 * and the candidates it lists are tried in order of preference with a tiny
 * test encode using the very options the recipes will use, so an encoder that
 * is listed but cannot run here (a hardware one without its device) is passed
 * over. With none, the caller gets a UserError naming what is missing and
 * which feature is off.
 */
import { ffmpegPath } from './ffmpegPaths'
import { runProcess } from './processRun'
import { UserError } from '../errors'

/** How a recipe wants the video encoded: playback proxies fast, kept media (DICOM, bundles) at archive quality. */
export type H264Purpose = 'proxy' | 'archive'

export interface H264Encoder {
  /** ffmpeg's name for it (`-c:v NAME`). */
  readonly name: string
  /**
   * The encoder options, `-c:v` included. Every recipe also needs what this
   * adds for all encoders: no B-frames and a keyframe every 10 frames, so
   * decode order is presentation order and a seek decodes at most 9 frames.
   */
  args(purpose: H264Purpose): string[]
}

const EXACT_STEPPING = ['-bf', '0', '-g', '10']

/** The encoders in order of preference, each with the options that give the same stepping guarantees. */
export const H264_ENCODERS: readonly H264Encoder[] = [
  {
    name: 'libx264',
    args: (p) => ['-c:v', 'libx264', '-preset', p === 'proxy' ? 'veryfast' : 'medium', '-crf', p === 'proxy' ? '18' : '16', ...EXACT_STEPPING]
  },
  {
    // Cisco's BSD-licensed encoder: the one an LGPL ffmpeg build has. It never makes B-frames; frame skipping is turned off so every frame is kept.
    name: 'libopenh264',
    args: (p) => ['-c:v', 'libopenh264', '-allow_skip_frames', '0', '-b:v', p === 'proxy' ? '6M' : '10M', ...EXACT_STEPPING]
  },
  {
    name: 'h264_videotoolbox',
    args: (p) => ['-c:v', 'h264_videotoolbox', '-realtime', '0', '-b:v', p === 'proxy' ? '6M' : '10M', ...EXACT_STEPPING]
  },
  {
    name: 'h264_mf',
    args: (p) => ['-c:v', 'h264_mf', '-b:v', p === 'proxy' ? '6M' : '10M', ...EXACT_STEPPING]
  },
  {
    name: 'h264_nvenc',
    args: (p) => ['-c:v', 'h264_nvenc', '-preset', p === 'proxy' ? 'p2' : 'p5', '-rc', 'vbr', '-cq', p === 'proxy' ? '21' : '18', '-b:v', '0', ...EXACT_STEPPING]
  }
]

/** The video encoders an `ffmpeg -hide_banner -encoders` listing names (` V....D libx264   libx264 H.264 …`). */
export function parseEncoderList(text: string): string[] {
  const names: string[] = []
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*V[A-Z.]{5}\s+(\S+)\s/.exec(line)
    if (m && m[1] !== '=') names.push(m[1]!)
  }
  return names
}

/** The H.264 candidates a listing offers, best first. */
export function h264Candidates(listed: readonly string[]): H264Encoder[] {
  return H264_ENCODERS.filter((e) => listed.includes(e.name))
}

/** The ffmpeg arguments of the test encode: three tiny frames through the encoder's own options, nothing written. */
export function testEncodeArgs(encoder: H264Encoder): string[] {
  return [
    '-nostdin', '-hide_banner', '-v', 'error',
    '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10',
    '-frames:v', '3', '-vf', 'format=yuv420p',
    ...encoder.args('proxy'),
    '-f', 'null', '-'
  ]
}

export interface EncoderDetection {
  /** The encoder chosen; null when there is none. */
  encoder: H264Encoder | null
  /** The H.264 encoders the listing named. */
  listed: string[]
  /** Those that were listed but failed the test encode, with why. */
  unusable: { name: string; reason: string }[]
}

const cache = new Map<string, Promise<EncoderDetection>>()

/** What `bin` offers; asked once per binary and remembered for the process's life. */
export function detectH264Encoder(bin: string): Promise<EncoderDetection> {
  let found = cache.get(bin)
  if (!found) {
    found = detect(bin)
    // A failure to run ffmpeg at all is not remembered: it may be installed meanwhile.
    found.catch(() => cache.delete(bin))
    cache.set(bin, found)
  }
  return found
}

async function detect(bin: string): Promise<EncoderDetection> {
  const listing = await runProcess(bin, ['-nostdin', '-hide_banner', '-encoders'], { collectStdout: true })
  const candidates = h264Candidates(parseEncoderList(listing))
  const unusable: { name: string; reason: string }[] = []
  for (const encoder of candidates) {
    try {
      await runProcess(bin, testEncodeArgs(encoder))
      return { encoder, listed: candidates.map((c) => c.name), unusable }
    } catch (e) {
      unusable.push({ name: encoder.name, reason: (e as Error).message })
    }
  }
  return { encoder: null, listed: candidates.map((c) => c.name), unusable }
}

/** Forgets what was found (tests; a changed FFMPEG_PATH is a different key anyway). */
export function forgetH264Encoders(): void {
  cache.clear()
}

/**
 * The encoder to use, or a UserError saying which feature is off and why:
 * `feature` is written for the user ("Playback copies of clips the browser
 * cannot play").
 */
export async function requireH264Encoder(feature: string, bin: string | null = ffmpegPath()): Promise<H264Encoder> {
  if (!bin) throw new UserError('unsupported', `${feature} are off: ffmpeg was not found (install ffmpeg, or set FFMPEG_PATH).`)
  const found = await detectH264Encoder(bin).catch((e: unknown) => {
    throw new UserError('unsupported', `${feature} are off: ffmpeg (${bin}) could not be asked for its encoders: ${(e as Error).message}`)
  })
  if (found.encoder) return found.encoder
  const tried = found.unusable.length > 0 ? ` It lists ${found.unusable.map((u) => `${u.name} (unusable here: ${u.reason})`).join(', ')}.` : ''
  throw new UserError(
    'unsupported',
    `${feature} are off: this ffmpeg (${bin}) has no H.264 encoder that works here; it needs libx264 (or ${H264_ENCODERS.slice(1)
      .map((e) => e.name)
      .join(', ')}).${tried} Install an ffmpeg built with libx264, or set FFMPEG_PATH to one.`
  )
}
