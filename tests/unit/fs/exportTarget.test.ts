import { Readable } from 'node:stream'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { streamFileAtomic, writeFileAtomic } from '../../../src/main/fs/atomicWrite'
import { exportTarget } from '../../../src/main/fs/exportTarget'
import { tempDir } from '../../helpers/paths'

let tmp: ReturnType<typeof tempDir>
let out: string
let victim: string
const VICTIM_BYTES = Buffer.from('precious data that an export must never overwrite\n')
const opts = { extension: '.csv', noun: 'output file' }

beforeAll(() => {
  tmp = tempDir('lus-export-target-')
  out = join(tmp.path, 'out')
  mkdirSync(out)
  victim = join(tmp.path, 'victim.csv')
  writeFileSync(victim, VICTIM_BYTES)
})
afterAll(() => tmp.cleanup())

describe('exportTarget', () => {
  it('refuses a symbolic link at the output path and leaves its target as it was', () => {
    const link = join(out, 'link.csv')
    symlinkSync(victim, link)
    expect(() => exportTarget(link, opts)).toThrow(/link\.csv is a symbolic link: nothing was written, and the file it points to was not changed/)
    expect(readFileSync(victim).equals(VICTIM_BYTES)).toBe(true)
  })

  it('refuses a dangling symbolic link, creating nothing where it points', () => {
    const link = join(out, 'dangling.csv')
    const nowhere = join(tmp.path, 'created-through-link.csv')
    symlinkSync(nowhere, link)
    expect(() => exportTarget(link, opts)).toThrow(/is a symbolic link/)
    expect(existsSync(nowhere)).toBe(false)
  })

  it('refuses a folder, and lets a protected file (reached through a link) say its own message', () => {
    mkdirSync(join(out, 'folder.csv'))
    expect(() => exportTarget(join(out, 'folder.csv'), opts)).toThrow(/is a folder: nothing was written/)
    const link = join(out, 'to-source.csv')
    symlinkSync(victim, link)
    expect(() => exportTarget(link, { ...opts, protect: [{ path: victim, message: 'the own CSV' }] })).toThrow(/^the own CSV$/)
  })

  it('accepts a regular file (replaced) and a new name, giving the real folder', () => {
    writeFileSync(join(out, 'old.csv'), 'old')
    expect(exportTarget(join(out, 'old.csv'), opts)).toBe(join(realpathSync(out), 'old.csv'))
    expect(exportTarget(join(out, 'NEW.CSV'), opts)).toBe(join(realpathSync(out), 'NEW.CSV'))
  })
})

describe('writing an export', () => {
  it('replaces a link that appears after the check, never writing through it', async () => {
    const dir = join(tmp.path, 'race')
    mkdirSync(dir)
    const target = exportTarget(join(dir, 'export.csv'), opts)
    // Planted between the check and the write.
    symlinkSync(victim, target)
    writeFileAtomic(target, Buffer.from('new csv'))
    expect(lstatSync(target).isSymbolicLink()).toBe(false)
    expect(readFileSync(target, 'utf8')).toBe('new csv')
    expect(readFileSync(victim).equals(VICTIM_BYTES)).toBe(true)

    const zip = exportTarget(join(dir, 'bundle.zip'), { extension: '.zip', noun: 'bundle file' })
    symlinkSync(victim, zip)
    expect(await streamFileAtomic(zip, Readable.from([Buffer.from('zip bytes')]))).toBe(9)
    expect(lstatSync(zip).isFile()).toBe(true)
    expect(readFileSync(victim).equals(VICTIM_BYTES)).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['bundle.zip', 'export.csv'])
  })

  it('leaves no temporary file when the write fails, and the old file whole', async () => {
    const dir = join(tmp.path, 'fails')
    mkdirSync(dir)
    const target = join(dir, 'b.zip')
    writeFileSync(target, 'old bundle')
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk full'))
      }
    })
    await expect(streamFileAtomic(target, failing)).rejects.toThrow(/disk full/)
    expect(readdirSync(dir)).toEqual(['b.zip'])
    expect(readFileSync(target, 'utf8')).toBe('old bundle')
  })
})
