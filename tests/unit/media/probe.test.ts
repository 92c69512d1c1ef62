import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegPath } from '../../../src/main/media/ffmpegPaths'
import { ProbeError, probeMedia } from '../../../src/main/media/probe'
import { makeClip } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

function ffmpeg(...args: string[]): void {
  execFileSync(ffmpegPath()!, ['-v', 'error', '-y', ...args])
}

function truncateTo(src: string, dst: string, fraction: number): void {
  const bytes = readFileSync(src)
  writeFileSync(dst, bytes.subarray(0, Math.floor(bytes.length * fraction)))
}

describe('probeMedia', () => {
  let tmp: ReturnType<typeof tempDir>
  const savedEnv = { ...process.env }

  beforeAll(() => {
    tmp = tempDir('lus-probe-')
  })
  afterAll(() => tmp.cleanup())
  afterEach(() => {
    for (const k of ['PATH', 'FFMPEG_PATH', 'FFPROBE_PATH']) {
      if (savedEnv[k] === undefined) delete process.env[k]
      else process.env[k] = savedEnv[k]
    }
  })

  it('reads frames, frame rate, size, duration and codec of a testsrc clip', async () => {
    const file = join(tmp.path, 'clip.mp4')
    makeClip(file, { frames: 12, fps: 10, size: '64x48' })
    const r = await probeMedia(file)
    expect(r.frames).toBe(12)
    expect(r.fps).toBe(10)
    expect(r.width).toBe(64)
    expect(r.height).toBe(48)
    expect(r.durationS).not.toBeNull()
    expect(r.durationS!).toBeGreaterThan(1.0)
    expect(r.durationS!).toBeLessThan(1.5)
    expect(r.codec).toBe('h264')
  })

  it('reads other frame counts and sizes exactly', async () => {
    const file = join(tmp.path, 'clip2.mp4')
    makeClip(file, { frames: 7, fps: 25, size: '32x16' })
    const r = await probeMedia(file)
    expect(r).toMatchObject({ frames: 7, fps: 25, width: 32, height: 16 })
  })

  it('reads a still image as one frame', async () => {
    const file = join(tmp.path, 'still.png')
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=40x30', '-frames:v', '1', file)
    const r = await probeMedia(file)
    expect(r.frames).toBe(1)
    expect(r.width).toBe(40)
    expect(r.height).toBe(30)
    expect(r.codec).toBe('png')
  })

  it('rejects a garbage file with a ProbeError naming ffprobe', async () => {
    const file = join(tmp.path, 'garbage.mp4')
    writeFileSync(file, Buffer.from('this is not a video file at all'.repeat(10)))
    const err = await probeMedia(file).then(
      () => null,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(ProbeError)
    expect((err as Error).message).toMatch(/^ffprobe could not read the file: .+/)
    expect((err as Error).message).toMatch(/invalid data/i)
  })

  it('rejects an empty file', async () => {
    const file = join(tmp.path, 'empty.mp4')
    writeFileSync(file, '')
    await expect(probeMedia(file)).rejects.toBeInstanceOf(ProbeError)
  })

  it('rejects a missing file', async () => {
    await expect(probeMedia(join(tmp.path, 'nope.mp4'))).rejects.toThrow(/ffprobe could not read the file: .*No such file/)
  })

  it('rejects an mp4 truncated to 40% (index at the end) with a clear error', async () => {
    const full = join(tmp.path, 'whole.mp4')
    const cut = join(tmp.path, 'cut.mp4')
    makeClip(full)
    truncateTo(full, cut, 0.4)
    const err = await probeMedia(cut).then(
      () => null,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(ProbeError)
    expect((err as Error).message).toMatch(/ffprobe could not read the file: .*(moov atom not found|Invalid data)/)
  })

  // With the index at the front (+faststart) ffprobe exits 0 on a truncated file, printing
  // "partial file" errors on stderr and counting only the packets it could read. Reporting
  // such a file as a healthy clip of fewer frames hides the damage: it should be an error.
  it('rejects an mp4 truncated to 40% even when its index is at the front', async () => {
    const full = join(tmp.path, 'faststart.mp4')
    const cut = join(tmp.path, 'faststart-cut.mp4')
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '12', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', full)
    expect((await probeMedia(full)).frames).toBe(12)
    truncateTo(full, cut, 0.4)
    await expect(probeMedia(cut)).rejects.toBeInstanceOf(ProbeError)
  })

  it('rejects a file without a video stream', async () => {
    const file = join(tmp.path, 'sound.wav')
    ffmpeg('-f', 'lavfi', '-i', 'anullsrc', '-t', '0.2', file)
    await expect(probeMedia(file)).rejects.toThrow(/no video or image stream found/)
  })

  it('rejects with a ProbeError when ffprobe cannot be found', async () => {
    const file = join(tmp.path, 'clip3.mp4')
    makeClip(file)
    delete process.env.FFMPEG_PATH
    delete process.env.FFPROBE_PATH
    process.env.PATH = join(tmp.path, 'no-such-bin')
    const err = await probeMedia(file).then(
      () => null,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(ProbeError)
    expect((err as Error).message).toMatch(/ffprobe was not found/)
  })

  it('rejects with a ProbeError when FFPROBE_PATH names a missing program', async () => {
    const file = join(tmp.path, 'clip4.mp4')
    makeClip(file)
    process.env.FFPROBE_PATH = join(tmp.path, 'missing-ffprobe')
    await expect(probeMedia(file)).rejects.toBeInstanceOf(ProbeError)
  })
})
