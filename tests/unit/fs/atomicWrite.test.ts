import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { produceFileAtomic, streamFileAtomic, writeFileAtomic } from '../../../src/main/fs/atomicWrite'
import { Readable } from 'node:stream'
import { tempDir } from '../../helpers/paths'

let dir: { path: string; cleanup: () => void }
beforeEach(() => {
  dir = tempDir()
})
afterEach(() => dir.cleanup())

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file', () => {
    const target = join(dir.path, 'a.csv')
    writeFileSync(target, 'old')
    writeFileAtomic(target, 'new')
    expect(readFileSync(target, 'utf8')).toBe('new')
    expect(readdirSync(dir.path)).toEqual(['a.csv'])
  })

  it('replaces a link at the target instead of writing where it points', () => {
    const elsewhere = join(dir.path, 'elsewhere.txt')
    writeFileSync(elsewhere, 'keep')
    const target = join(dir.path, 'a.csv')
    symlinkSync(elsewhere, target)
    writeFileAtomic(target, 'new')
    expect(readFileSync(elsewhere, 'utf8')).toBe('keep')
    expect(readFileSync(target, 'utf8')).toBe('new')
  })
})

describe('streamFileAtomic', () => {
  it('returns the size written', async () => {
    const target = join(dir.path, 'b.bin')
    expect(await streamFileAtomic(target, Readable.from([Buffer.from('abc'), Buffer.from('de')]))).toBe(5)
    expect(readFileSync(target, 'utf8')).toBe('abcde')
  })
})

describe('produceFileAtomic', () => {
  it('renames what a synchronous writer wrote and returns its result synchronously', () => {
    const target = join(dir.path, 'c.sqlite')
    const result = produceFileAtomic(target, (temp) => {
      writeFileSync(temp, 'copy')
      return 7
    })
    expect(result).toBe(7)
    expect(readFileSync(target, 'utf8')).toBe('copy')
    expect(readdirSync(dir.path)).toEqual(['c.sqlite'])
  })

  it('renames what an asynchronous writer wrote once its promise settles', async () => {
    const target = join(dir.path, 'd.mp4')
    const pending = produceFileAtomic(target, async (temp) => {
      await new Promise((r) => setTimeout(r, 5))
      writeFileSync(temp, 'video')
      return 'done'
    })
    expect(existsSync(target)).toBe(false)
    expect(await pending).toBe('done')
    expect(readFileSync(target, 'utf8')).toBe('video')
  })

  it('leaves the old file and no temporary one when the writer fails, either way', async () => {
    const target = join(dir.path, 'e.png')
    writeFileSync(target, 'old')
    expect(() =>
      produceFileAtomic(target, (temp) => {
        writeFileSync(temp, 'half')
        throw new Error('disk full')
      })
    ).toThrow('disk full')
    await expect(
      produceFileAtomic(target, async (temp) => {
        writeFileSync(temp, 'half')
        throw new Error('ffmpeg failed')
      })
    ).rejects.toThrow('ffmpeg failed')
    expect(readFileSync(target, 'utf8')).toBe('old')
    expect(readdirSync(dir.path)).toEqual(['e.png'])
  })

  it('clears a file or link left at a named temporary path before the writer runs', () => {
    const elsewhere = join(dir.path, 'elsewhere.txt')
    writeFileSync(elsewhere, 'keep')
    const target = join(dir.path, 'f.mp4')
    const temp = `${target}.partial`
    symlinkSync(elsewhere, temp)
    produceFileAtomic(target, (t) => writeFileSync(t, 'fresh', { flag: 'wx' }), temp)
    expect(readFileSync(elsewhere, 'utf8')).toBe('keep')
    expect(readFileSync(target, 'utf8')).toBe('fresh')
    expect(existsSync(temp)).toBe(false)
  })
})
