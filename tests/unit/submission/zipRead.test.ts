/**
 * The gallery zip reader: entry names checked when it is opened, and every
 * extraction capped (per entry, in all, by ratio) on the bytes that come out.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractEntry, GALLERY_ZIP_LIMITS, openZip, type OpenZip } from '../../../src/main/submission/zipRead'
import { patchCentral, renameEntry, zipWith } from '../../hostile/generators'
import { tempDir } from '../../helpers/paths'

const MiB = 1024 * 1024
let tmp: ReturnType<typeof tempDir>
let n = 0

beforeAll(() => {
  tmp = tempDir('lus-zipread-')
})
afterAll(() => tmp.cleanup())

function save(bytes: Buffer): string {
  const file = join(tmp.path, `gallery-${++n}.zip`)
  writeFileSync(file, bytes)
  return file
}

/** Extracts `name` into a fresh folder; the folder's listing after it, and the error if any. */
async function extract(z: OpenZip, name: string): Promise<{ error: Error | null; left: string[] }> {
  const dir = join(tmp.path, `out-${++n}`)
  mkdirSync(dir)
  const item = z.entries.find((e) => e.name === name)!
  const error = await extractEntry(z, item, join(dir, 'clip.mp4.partial')).then(
    () => null,
    (e: unknown) => e as Error
  )
  return { error, left: readdirSync(dir) }
}

describe('opening a gallery zip', () => {
  it.each([
    ['../../outside/evil.mp4', /entry "\.\.\/\.\.\/outside\/evil\.mp4" climbs out of its folder \(\.\.\)/],
    ['/tmp/abs/evil.mp4xxxxx', /entry "\/tmp\/abs\/evil\.mp4xxxxx" is an absolute path/],
    // Windows zips separate folders with backslashes: read as slashes, so the climb is seen.
    ['a\\..\\..\\..\\evil.mp4', /entry "a\/\.\.\/\.\.\/\.\.\/evil\.mp4" climbs out/]
  ])('refuses the entry name %j, naming it, before anything is extracted', async (unsafe, message) => {
    const placeholder = 'p'.repeat(unsafe.length)
    const zip = save(renameEntry(await zipWith([{ name: placeholder, bytes: Buffer.from('x') }]), placeholder, unsafe))
    await expect(openZip(zip)).rejects.toThrow(message)
    await expect(openZip(zip)).rejects.toThrow(/was refused: .* Nothing was extracted from it/)
  })

  it('refuses a symbolic link entry', async () => {
    const zip = save(await zipWith([{ name: 'Published /link.mp4', bytes: Buffer.from('/etc/passwd'), mode: 0o120777 }]))
    await expect(openZip(zip)).rejects.toThrow(/entry "Published \/link\.mp4" is a symbolic link/)
  })

  it('opens a gallery with folders and odd but harmless names', async () => {
    const zip = save(await zipWith([{ name: 'Published /B-lines/Clip (2).mp4', bytes: Buffer.from('x') }], ['Published /B-lines/']))
    const z = await openZip(zip)
    try {
      expect(z.entries.map((e) => [e.name, e.folder])).toEqual([
        ['Published /B-lines/Clip (2).mp4', false],
        ['Published /B-lines/', true]
      ])
    } finally {
      z.zip.close()
    }
  })
})

describe('extracting with caps', () => {
  it('refuses a zip bomb on its declared sizes: nothing is written', async () => {
    // 32 MiB of zeros deflate to about 32 KiB: a thousandfold.
    const z = await openZip(save(await zipWith([{ name: 'bomb.mp4', bytes: Buffer.alloc(32 * MiB) }])))
    try {
      const { error, left } = await extract(z, 'bomb.mp4')
      expect(error?.message).toMatch(/entry "bomb\.mp4" would inflate from \d+ to 33554432 bytes, more than 100 times \(a zip bomb\)/)
      expect(left).toEqual([])
      expect(z.budget.inflated).toBe(0)
    } finally {
      z.zip.close()
    }
  })

  it('stops a bomb whose header understates it while streaming, and removes what it wrote', async () => {
    const lying = patchCentral(await zipWith([{ name: 'bomb.mp4', bytes: Buffer.alloc(32 * MiB) }]), 'bomb.mp4', 'uncompressedSize', 1000)
    const z = await openZip(save(lying))
    try {
      const { error, left } = await extract(z, 'bomb.mp4')
      expect(error?.message).toMatch(/entry "bomb\.mp4" inflates to more than the 1000 bytes its header claims\. That clip was not extracted/)
      expect(left).toEqual([])
      // Stopped at the first chunk past the claim, not after 32 MiB.
      expect(z.budget.inflated).toBeLessThan(1 * MiB)
    } finally {
      z.zip.close()
    }
  })

  it('stops at the total over every extraction, and at a per-entry cap', async () => {
    const clips = [
      { name: 'a.mp4', bytes: randomBytes(MiB), compress: false },
      { name: 'b.mp4', bytes: randomBytes(MiB), compress: false }
    ]
    const path = save(await zipWith(clips))
    const z = await openZip(path, { ...GALLERY_ZIP_LIMITS, maxTotalBytes: 1.5 * MiB })
    try {
      expect((await extract(z, 'a.mp4')).error).toBeNull()
      const second = await extract(z, 'b.mp4')
      expect(second.error?.message).toMatch(/the zip inflates past 1572864 bytes in all/)
      expect(second.left).toEqual([])
    } finally {
      z.zip.close()
    }
    const small = await openZip(path, { ...GALLERY_ZIP_LIMITS, maxEntryBytes: MiB - 1 })
    try {
      expect((await extract(small, 'a.mp4')).error?.message).toMatch(/entry "a\.mp4" is 1048576 bytes uncompressed; the limit is 1048575/)
    } finally {
      small.zip.close()
    }
  })

  it('extracts a good entry whole, and never overwrites an existing file', async () => {
    const bytes = randomBytes(200_000)
    const z = await openZip(save(await zipWith([{ name: 'ok.mp4', bytes, compress: false }])))
    try {
      const dir = join(tmp.path, 'good')
      mkdirSync(dir)
      await extractEntry(z, z.entries[0]!, join(dir, 'ok.mp4'))
      expect(readFileSync(join(dir, 'ok.mp4')).equals(bytes)).toBe(true)
      writeFileSync(join(dir, 'taken.mp4'), 'mine')
      await expect(extractEntry(z, z.entries[0]!, join(dir, 'taken.mp4'))).rejects.toThrow(/EEXIST/)
      expect(readFileSync(join(dir, 'taken.mp4'), 'utf8')).toBe('mine')
      expect(existsSync(join(dir, 'ok.mp4'))).toBe(true)
    } finally {
      z.zip.close()
    }
  })
})
