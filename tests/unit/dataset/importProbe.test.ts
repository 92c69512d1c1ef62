import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { probeImport } from '../../../src/main/dataset/importProbe'
import type { ScannedMedia } from '../../../src/main/media/mediaScan'
import type { ProbeResult } from '../../../src/main/media/probe'
import { tempDir } from '../../helpers/paths'
import { mediaRow } from '../catalog/tableFixtures'

const GOOD: ProbeResult = { frames: 12, fps: 10, width: 64, height: 48, durationS: 1.2, codec: 'h264' }
const SHA_OF_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'

let dir: ReturnType<typeof tempDir>
beforeEach(() => {
  dir = tempDir()
  mkdirSync(join(dir.path, 'pocus_videos'))
})
afterEach(() => dir.cleanup())

function scanned(name: string, content: string, extra: Partial<ScannedMedia> = {}): ScannedMedia {
  const absPath = join(dir.path, 'pocus_videos', name)
  writeFileSync(absPath, content)
  return { relPath: `pocus_videos/${name}`, absPath, stem: name.replace(/\.[^.]*$/, ''), kind: 'video', sizeBytes: content.length, mtimeMs: 1000, ...extra }
}

describe('the probe step of an import', () => {
  it('probes and hashes each file, in the scan’s order, reporting each one done', async () => {
    const probed: string[] = []
    const done: number[] = []
    const files = [scanned('a.mp4', 'abc'), scanned('b.mp4', 'abc')]
    const result = await probeImport(files, [], {
      probe: async (f) => (probed.push(f), GOOD),
      concurrency: 2,
      onFile: (n) => done.push(n)
    })
    expect(result.map((m) => [m.relPath, m.probe, m.error, m.sha256])).toEqual([
      ['pocus_videos/a.mp4', GOOD, null, SHA_OF_ABC],
      ['pocus_videos/b.mp4', GOOD, null, SHA_OF_ABC]
    ])
    expect(probed).toHaveLength(2)
    expect(done).toEqual([1, 2])
  })

  it('keeps what the last import said of an unchanged file, without probing it', async () => {
    const file = scanned('a.mp4', 'abc')
    const prior = { ...mediaRow(1, 'pocus_videos/a.mp4', { size_bytes: 3, mtime_ms: 1000, frames: 7, sha256: 'e'.repeat(64) }), id: 1 }
    const [m] = await probeImport([file], [prior], { probe: () => Promise.reject(new Error('not called')), concurrency: 1, onFile: () => {} })
    expect(m).toMatchObject({ probe: { frames: 7, fps: 10, width: 64, height: 48, durationS: 1.2, codec: 'h264' }, error: null, sha256: 'e'.repeat(64) })
  })

  it('reports empty, unnamed and unreadable files instead of failing the import', async () => {
    const files = [
      scanned('empty.mp4', ''),
      scanned('flagged.mp4', 'abc', { unreadable: 'name is not UTF-8' }),
      scanned('broken.mp4', 'abc')
    ]
    const result = await probeImport(files, [], { probe: () => Promise.reject(new Error('ffprobe says no')), concurrency: 1, onFile: () => {} })
    expect(result.map((m) => [m.error, m.sha256])).toEqual([
      ['zero-byte file', null],
      ['name is not UTF-8', null],
      ['ffprobe says no', null]
    ])
  })
})
