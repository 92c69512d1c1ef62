/**
 * File names that are not valid UTF-8 under pocus_videos/: read as bytes,
 * flagged (named with the odd bytes escaped) and skipped, while the rest of
 * the folder is scanned and imported.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCatalog } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { escapeFileName, scanMedia } from '../../../src/main/media/mediaScan'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

const bytesPath = (...parts: (string | Buffer)[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)))

let tmp: ReturnType<typeof tempDir>
let root: string
beforeAll(() => {
  tmp = tempDir('lus-scan-names-')
  root = join(tmp.path, 'ds')
  makeDataset(root, [row('clip-a'), row('clip-b')], {})
  mkdirSync(join(root, 'pocus_videos/convex'), { recursive: true })
  writeFileSync(join(root, 'pocus_videos/convex/clip-a.mp4'), 'a')
  writeFileSync(join(root, 'pocus_videos/convex/clip-b.mp4'), 'b')
  // Latin-1 "é" (0xe9) and a bare 0xff: neither is UTF-8.
  writeFileSync(bytesPath(root, '/pocus_videos/convex/bad', Buffer.from([0xff]), '.mp4'), 'x')
  writeFileSync(bytesPath(root, '/pocus_videos/convex/caf', Buffer.from([0xe9]), '.mp4'), 'y')
  // A folder whose name is not UTF-8: what is in it cannot be named either.
  mkdirSync(bytesPath(root, '/pocus_videos/dir', Buffer.from([0xfe])))
  writeFileSync(bytesPath(root, '/pocus_videos/dir', Buffer.from([0xfe]), '/inner.mp4'), 'z')
  // A valid non-ASCII name is no problem.
  writeFileSync(join(root, 'pocus_videos/convex/café.mp4'), 'w')
})
afterAll(() => tmp.cleanup())

describe('escapeFileName', () => {
  it('keeps valid UTF-8, escapes every other byte and control characters', () => {
    expect(escapeFileName(Buffer.from('café 肺.mp4'))).toBe('café 肺.mp4')
    expect(escapeFileName(Buffer.from([0x62, 0xff, 0x2e]))).toBe('b\\xff.')
    expect(escapeFileName(Buffer.from([0x63, 0xe9, 0x2e]))).toBe('c\\xe9.')
    expect(escapeFileName(Buffer.from('a\nb'))).toBe('a\\x0ab')
    // A truncated sequence: each of its bytes escaped.
    expect(escapeFileName(Buffer.from([0xe8, 0x82]))).toBe('\\xe8\\x82')
  })
})

describe('scanMedia with names that are not UTF-8', () => {
  it('flags them, escaped, and still finds every other file', () => {
    const scanned = scanMedia(root)
    expect(scanned.map((m) => [m.relPath, m.unreadable === undefined ? 'ok' : 'flagged'])).toEqual([
      ['pocus_videos/convex/bad\\xff.mp4', 'flagged'],
      ['pocus_videos/convex/caf\\xe9.mp4', 'flagged'],
      ['pocus_videos/convex/café.mp4', 'ok'],
      ['pocus_videos/convex/clip-a.mp4', 'ok'],
      ['pocus_videos/convex/clip-b.mp4', 'ok'],
      ['pocus_videos/dir\\xfe/inner.mp4', 'flagged']
    ])
    expect(scanned.find((m) => m.stem === 'bad\\xff')!.unreadable).toMatch(/its name is not valid UTF-8 .*Rename it/)
  })

  it('the import goes on: the rest linked, each such file reported unreadable by its escaped name', async () => {
    const db = openCatalog(join(tmp.path, 'c.db'))
    try {
      const probed: string[] = []
      const report = await importDataset(db, root, {
        probe: async (f) => (probed.push(f), { frames: 1, fps: 1, width: 1, height: 1, durationS: 1, codec: 'h264' })
      })
      expect(report.linked).toBe(2)
      expect(report.unreadable.map((u) => u.file)).toEqual(['pocus_videos/convex/bad\\xff.mp4', 'pocus_videos/convex/caf\\xe9.mp4', 'pocus_videos/dir\\xfe/inner.mp4'])
      for (const u of report.unreadable) expect(u.error).toMatch(/not valid UTF-8/)
      // Never opened: only the three readable files were probed.
      expect(probed).toHaveLength(3)
    } finally {
      db.close()
    }
  })
})
