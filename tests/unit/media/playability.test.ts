import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeStream, playsInChromium, type StreamInfo } from '../../../src/main/media/playability'
import { ProcessError } from '../../../src/main/media/processRun'
import { makeFormatClip, type ClipFormat } from './clips'
import { tempDir } from '../../helpers/paths'
import { writeFileSync } from 'node:fs'

const info = (codec: string, pixFmt: string): StreamInfo => ({ codec, pixFmt, width: 64, height: 48 })

describe('playsInChromium', () => {
  it.each([
    ['a.mp4', 'h264', 'yuv420p', true],
    ['a.MP4', 'h264', 'yuvj420p', true],
    ['a.mov', 'h264', 'yuv420p', true],
    ['a.m4v', 'h264', 'yuv420p', true],
    ['a.webm', 'vp9', 'yuv420p', true],
    ['a.webm', 'vp8', 'yuv420p', true],
    ['a.mp4', 'av1', 'yuv420p', true],
    ['a.mp4', 'h264', 'yuv444p', false], // High 4:4:4: Chromium cannot decode it
    ['a.mp4', 'h264', 'yuv420p10le', false],
    ['a.mp4', 'hevc', 'yuv420p', false],
    ['a.avi', 'h264', 'yuv420p', false], // the right codec in a container Chromium does not demux
    ['a.avi', 'mpeg4', 'yuv420p', false],
    ['a.avi', 'mjpeg', 'yuvj422p', false],
    ['a.mpeg', 'mpeg2video', 'yuv420p', false],
    ['a.mpg', 'mpeg1video', 'yuv420p', false],
    ['a.gif', 'gif', 'bgra', false]
  ])('%s with %s %s → %s', (file, codec, pixFmt, expected) => {
    expect(playsInChromium(file, info(codec, pixFmt))).toBe(expected)
  })

  it('needs both the codec and the pixel format', () => {
    expect(playsInChromium('a.mp4', { codec: null, pixFmt: 'yuv420p', width: null, height: null })).toBe(false)
    expect(playsInChromium('a.mp4', { codec: 'h264', pixFmt: null, width: null, height: null })).toBe(false)
  })
})

describe('analyzeStream', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeAll(() => {
    tmp = tempDir('lus-analyze-')
  })
  afterAll(() => tmp.cleanup())

  it.each<[ClipFormat, string, string, string]>([
    ['h264', 'a.mp4', 'h264', 'yuv420p'],
    ['h264-444', 'b.mp4', 'h264', 'yuv444p'],
    ['mpeg4-avi', 'c.avi', 'mpeg4', 'yuv420p'],
    ['gif', 'd.gif', 'gif', 'bgra']
  ])('reads codec and pixel format of a %s clip', async (format, name, codec, pixFmt) => {
    const file = join(tmp.path, name)
    makeFormatClip(file, format)
    expect(await analyzeStream(file)).toMatchObject({ codec, pixFmt })
  })

  it('fails with ffprobe’s reason, naming the file but not its folder', async () => {
    const file = join(tmp.path, 'garbage.mp4')
    writeFileSync(file, 'not a video'.repeat(50))
    const err = await analyzeStream(file).then(
      () => null,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(ProcessError)
    expect((err as Error).message).toMatch(/garbage\.mp4: Invalid data/)
    expect((err as Error).message).not.toContain(tmp.path)
  })
})
