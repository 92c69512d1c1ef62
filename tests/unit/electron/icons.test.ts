/**
 * The app's icon set (build/, made by scripts/make-icons.mjs from
 * build/icon.svg): every size electron-builder and the desktops ask for is
 * there, is a PNG of that size with transparency, and the packaging
 * configuration points at them.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../helpers/paths'

const BUILD = join(REPO_ROOT, 'build')
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Width, height and colour type from a PNG's IHDR chunk. */
function pngHeader(bytes: Buffer): { width: number; height: number; colourType: number } {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colourType: bytes[25]! }
}

describe('the icon set', () => {
  it('has a PNG with alpha for each size from 16 to 1024', () => {
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const header = pngHeader(readFileSync(join(BUILD, 'icons', `${n}x${n}.png`)))
      expect(header, `${n}x${n}`).toEqual({ width: n, height: n, colourType: 6 })
    }
    expect(pngHeader(readFileSync(join(BUILD, 'icon.png')))).toEqual({ width: 1024, height: 1024, colourType: 6 })
  })

  it('has a Windows .ico holding the sizes up to 256', () => {
    const ico = readFileSync(join(BUILD, 'icon.ico'))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const count = ico.readUInt16LE(4)
    const sizes = Array.from({ length: count }, (_, i) => ico[6 + i * 16] || 256)
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256])
    for (let i = 0; i < count; i++) {
      const size = ico.readUInt32LE(6 + i * 16 + 8)
      const offset = ico.readUInt32LE(6 + i * 16 + 12)
      expect(pngHeader(ico.subarray(offset, offset + size)).width).toBe(sizes[i])
    }
  })

  it('is what electron-builder packages on each platform', () => {
    const config = JSON.parse(readFileSync(join(REPO_ROOT, 'electron-builder.json'), 'utf8')) as Record<string, { icon?: string } | unknown>
    expect((config['linux'] as { icon?: string }).icon).toBe('icons')
    expect((config['win'] as { icon?: string }).icon).toBe('icon.ico')
    expect((config['mac'] as { icon?: string }).icon).toBe('icon.png')
  })
})
