/**
 * The H.264 encoder is asked of ffmpeg, not assumed: against this machine's
 * ffmpeg (Debian's has libx264), and against stand-in ffmpegs (small shell
 * scripts) whose listing has no libx264 but libopenh264, whose listed encoder
 * cannot run, or that has no H.264 encoder at all.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { UserError } from '../../../src/main/errors'
import { ffmpegPath } from '../../../src/main/media/ffmpegPaths'
import {
  detectH264Encoder,
  forgetH264Encoders,
  H264_ENCODERS,
  h264Candidates,
  parseEncoderList,
  requireH264Encoder,
  testEncodeArgs
} from '../../../src/main/media/h264Encoder'
import { runProcess } from '../../../src/main/media/processRun'
import { proxyArgs } from '../../../src/main/media/transcode'
import { videoArgs } from '../../../src/main/dicom/encode'
import { renderArgs } from '../../../src/main/submission/renderMedia'
import { tempDir } from '../../helpers/paths'

const LISTING_WITHOUT_X264 = `Encoders:
 V..... = Video
 A..... = Audio
 ------
 V....D libopenh264          OpenH264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
 V....D h264_vaapi           H.264/AVC (VAAPI) (codec h264)
 V....D mjpeg                MJPEG (Motion JPEG)
 A....D aac                  AAC (Advanced Audio Coding)
`

let dir: ReturnType<typeof tempDir>

/** A stand-in ffmpeg: prints `listing` for -encoders; a test encode succeeds only with an encoder in `works`, and records its arguments. */
function fakeFfmpeg(name: string, listing: string, works: string[]): string {
  const bin = join(dir.path, name)
  const log = join(dir.path, `${name}.args`)
  writeFileSync(
    bin,
    [
      '#!/bin/sh',
      `case " $* " in *" -encoders "*) cat <<'EOF'`,
      listing.trimEnd(),
      'EOF',
      'exit 0;; esac',
      `echo "$*" >> '${log}'`,
      ...works.map((w) => `case " $* " in *" -c:v ${w} "*) exit 0;; esac`),
      'echo "[h264 @ 0x5599] Cannot load the encoder device" >&2',
      'exit 1',
      ''
    ].join('\n')
  )
  chmodSync(bin, 0o755)
  return bin
}

beforeAll(() => {
  dir = tempDir('lus-h264-')
})
afterAll(() => dir.cleanup())
beforeEach(() => forgetH264Encoders())

describe('the encoder listing', () => {
  it('names the video encoders, skipping the legend', () => {
    expect(parseEncoderList(LISTING_WITHOUT_X264)).toEqual(['libopenh264', 'h264_vaapi', 'mjpeg'])
    expect(h264Candidates(parseEncoderList(LISTING_WITHOUT_X264)).map((e) => e.name)).toEqual(['libopenh264'])
  })

  it('every candidate keeps the stepping guarantees: no B-frames, a keyframe every 10 frames', () => {
    for (const e of H264_ENCODERS)
      for (const purpose of ['proxy', 'archive'] as const) {
        const args = e.args(purpose)
        expect(args.slice(0, 2)).toEqual(['-c:v', e.name])
        expect(args.join(' ')).toContain('-bf 0 -g 10')
      }
  })
})

describe("this machine's ffmpeg", () => {
  const bin = ffmpegPath()

  it('lists libx264, and libx264 is chosen and runs', async () => {
    expect(bin, 'ffmpeg must be installed (see .ci/run)').not.toBeNull()
    const listing = await runProcess(bin!, ['-hide_banner', '-encoders'], { collectStdout: true })
    expect(parseEncoderList(listing)).toContain('libx264')
    const found = await detectH264Encoder(bin!)
    expect(found.encoder?.name).toBe('libx264')
    expect(found.unusable).toEqual([])
    // The test encode is what the recipes run, so it must pass on the encoder chosen.
    await runProcess(bin!, testEncodeArgs(found.encoder!))
  })

  it('is asked once: the answer is cached per binary', async () => {
    const first = detectH264Encoder(bin!)
    expect(detectH264Encoder(bin!)).toBe(first)
    await first
  })
})

describe('an ffmpeg without libx264', () => {
  it('uses libopenh264 with its own options, in every recipe', async () => {
    const bin = fakeFfmpeg('ffmpeg-openh264', LISTING_WITHOUT_X264, ['libopenh264'])
    const encoder = await requireH264Encoder('Playback copies', bin)
    expect(encoder.name).toBe('libopenh264')
    // The test encode ran with libopenh264's options, frame skipping off.
    expect(readFileSync(`${bin}.args`, 'utf8')).toMatch(/-c:v libopenh264 -allow_skip_frames 0 -b:v \S+ -bf 0 -g 10 -f null -/)
    const proxy = proxyArgs('in.avi', 'out.mp4', encoder).join(' ')
    expect(proxy).toContain('-c:v libopenh264 -allow_skip_frames 0')
    expect(proxy).not.toContain('libx264')
    expect(videoArgs({ format: 'gray', width: 4, height: 4 }, '30/1', 'o.mp4', encoder).join(' ')).toContain('-c:v libopenh264')
    expect(renderArgs('in.mp4', 'o.mp4', 'video', { crop: null, trim: null, masks: [] }, encoder).join(' ')).toContain('-c:v libopenh264')
  })

  it('passes over a listed encoder that cannot run here, and says which feature is off and why', async () => {
    const bin = fakeFfmpeg('ffmpeg-broken', LISTING_WITHOUT_X264, [])
    const found = await detectH264Encoder(bin)
    expect(found).toMatchObject({ encoder: null, listed: ['libopenh264'] })
    expect(found.unusable[0]).toMatchObject({ name: 'libopenh264', reason: expect.stringMatching(/Cannot load the encoder device/) })
    const refusal = requireH264Encoder('Playback copies of clips the browser cannot play', bin)
    await expect(refusal).rejects.toBeInstanceOf(UserError)
    await expect(refusal).rejects.toThrow(
      /^Playback copies of clips the browser cannot play are off: this ffmpeg \(.*ffmpeg-broken\) has no H\.264 encoder that works here; it needs libx264 .*libopenh264 \(unusable here: Cannot load the encoder device\)/
    )
  })

  it('with no H.264 encoder at all, names libx264 as what is missing', async () => {
    const bin = fakeFfmpeg('ffmpeg-none', ' V....D mjpeg                MJPEG (Motion JPEG)\n', ['libx264'])
    await expect(requireH264Encoder('DICOM cine imports', bin)).rejects.toThrow(
      /^DICOM cine imports are off: .* it needs libx264 \(or libopenh264, h264_videotoolbox, h264_mf, h264_nvenc\)\. Install an ffmpeg built with libx264/
    )
  })

  it('without ffmpeg, says so', async () => {
    await expect(requireH264Encoder('Playback copies', null)).rejects.toThrow(/^Playback copies are off: ffmpeg was not found/)
  })
})
