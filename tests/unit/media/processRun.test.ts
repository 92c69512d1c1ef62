import { describe, expect, it } from 'vitest'
import { ProcessError, processReason, runProcess } from '../../../src/main/media/processRun'

describe('processReason', () => {
  it('keeps the last two lines without the decoder prefixes', () => {
    const stderr = '[mpeg4 @ 0x55d1c0a1b2c0] ac-tex damaged at 20 32\n[mpeg4 @ 0x55d1c0a1b2c0] Error at MB: 1108\n/x/broken.avi: corrupt input packet in stream 0\n\n'
    expect(processReason(stderr)).toBe('Error at MB: 1108; /x/broken.avi: corrupt input packet in stream 0')
  })
})

describe('runProcess', () => {
  it('returns stdout and streams its lines', async () => {
    const lines: string[] = []
    const out = await runProcess(process.execPath, ['-e', 'console.log("frame=1\\nframe=2")'], { collectStdout: true, onStdoutLine: (l) => lines.push(l) })
    expect(out).toBe('frame=1\nframe=2\n')
    expect(lines).toEqual(['frame=1', 'frame=2'])
  })

  it('fails with the last stderr lines, paths shortened to file names', async () => {
    const err = await runProcess(process.execPath, ['-e', 'console.error("/secret/dir/clip.avi: corrupt input"); process.exit(1)'], {
      redact: ['/secret/dir/clip.avi']
    }).then(
      () => null,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(ProcessError)
    expect((err as ProcessError).message).toBe('clip.avi: corrupt input')
    expect((err as ProcessError).aborted).toBe(false)
  })

  it('kills the process on abort (it settles on exit, long before the child’s 60 s)', async () => {
    const controller = new AbortController()
    const started = Date.now()
    const run = runProcess(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { signal: controller.signal })
    setTimeout(() => controller.abort(), 100)
    const err = await run.then(
      () => null,
      (e: unknown) => e
    )
    expect(err).toMatchObject({ aborted: true })
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it('refuses to start when already aborted', async () => {
    await expect(runProcess(process.execPath, ['-e', '0'], { signal: AbortSignal.abort() })).rejects.toMatchObject({ aborted: true })
  })

  it('reports a binary that cannot be started', async () => {
    await expect(runProcess('/nonexistent/ffmpeg', [])).rejects.toThrow(/could not start/)
  })
})
