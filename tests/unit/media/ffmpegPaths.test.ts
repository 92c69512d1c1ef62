import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegPath, ffprobePath } from '../../../src/main/media/ffmpegPaths'
import { tempDir } from '../../helpers/paths'

const KEYS = ['PATH', 'FFMPEG_PATH', 'FFPROBE_PATH'] as const

describe('ffmpegPath / ffprobePath', () => {
  let tmp: ReturnType<typeof tempDir>
  const saved: Record<string, string | undefined> = {}

  const fakeBin = (dir: string, name: string): string => {
    mkdirSync(dir, { recursive: true })
    const f = join(dir, name)
    writeFileSync(f, '#!/bin/sh\n')
    chmodSync(f, 0o755)
    return f
  }

  beforeAll(() => {
    tmp = tempDir('lus-ffpaths-')
    for (const k of KEYS) saved[k] = process.env[k]
  })
  afterEach(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  })
  afterAll(() => tmp.cleanup())

  it('finds the installed programs on PATH', () => {
    delete process.env.FFMPEG_PATH
    delete process.env.FFPROBE_PATH
    expect(ffmpegPath()).toMatch(/ffmpeg$/)
    expect(ffprobePath()).toMatch(/ffprobe$/)
  })

  it('takes the first PATH entry that has the program and skips empty entries', () => {
    delete process.env.FFMPEG_PATH
    delete process.env.FFPROBE_PATH
    const a = join(tmp.path, 'a')
    const b = join(tmp.path, 'b')
    mkdirSync(a, { recursive: true })
    const mpeg = fakeBin(b, 'ffmpeg')
    const probe = fakeBin(b, 'ffprobe')
    process.env.PATH = ['', a, b, '/usr/bin'].join(delimiter)
    expect(ffmpegPath()).toBe(mpeg)
    expect(ffprobePath()).toBe(probe)
  })

  it('returns null when neither the environment nor PATH has them', () => {
    delete process.env.FFMPEG_PATH
    delete process.env.FFPROBE_PATH
    process.env.PATH = join(tmp.path, 'empty')
    expect(ffmpegPath()).toBeNull()
    expect(ffprobePath()).toBeNull()
  })

  it('prefers FFMPEG_PATH and FFPROBE_PATH over PATH', () => {
    process.env.FFMPEG_PATH = '/opt/x/ffmpeg'
    process.env.FFPROBE_PATH = '/opt/y/ffprobe'
    expect(ffmpegPath()).toBe('/opt/x/ffmpeg')
    expect(ffprobePath()).toBe('/opt/y/ffprobe')
  })

  it('uses the ffprobe beside FFMPEG_PATH when FFPROBE_PATH is unset', () => {
    const dir = join(tmp.path, 'sib')
    const mpeg = fakeBin(dir, 'ffmpeg')
    const probe = fakeBin(dir, 'ffprobe')
    process.env.FFMPEG_PATH = mpeg
    delete process.env.FFPROBE_PATH
    process.env.PATH = '/usr/bin'
    expect(ffprobePath()).toBe(probe)
  })

  it('falls back to PATH for ffprobe when FFMPEG_PATH has no sibling', () => {
    const lonely = fakeBin(join(tmp.path, 'lonely'), 'ffmpeg')
    const pathProbe = fakeBin(join(tmp.path, 'pathdir'), 'ffprobe')
    process.env.FFMPEG_PATH = lonely
    delete process.env.FFPROBE_PATH
    process.env.PATH = join(tmp.path, 'pathdir')
    expect(ffprobePath()).toBe(pathProbe)
  })

  it('treats empty variables as unset', () => {
    process.env.FFMPEG_PATH = ''
    process.env.FFPROBE_PATH = ''
    const mpeg = fakeBin(join(tmp.path, 'c'), 'ffmpeg')
    const probe = fakeBin(join(tmp.path, 'c'), 'ffprobe')
    process.env.PATH = join(tmp.path, 'c')
    expect(ffmpegPath()).toBe(mpeg)
    expect(ffprobePath()).toBe(probe)
  })
})
