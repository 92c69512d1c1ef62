import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { catalogTables } from '../../../src/main/catalog/catalogTables'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import type { ProbedMedia } from '../../../src/main/dataset/importProbe'
import { readImport } from '../../../src/main/dataset/importRead'
import { writeImport } from '../../../src/main/dataset/importWrite'
import { csvText, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

const PROBE = { frames: 12, fps: 10, width: 64, height: 48, durationS: 1.2, codec: 'h264' }

let dir: ReturnType<typeof tempDir>
let db: CatalogDb
let root: string
beforeEach(() => {
  dir = tempDir()
  db = openCatalog(join(dir.path, 'catalog.db'))
  root = join(dir.path, 'ds')
  mkdirSync(root)
  writeFileSync(join(root, 'dataset_metadata.csv'), csvText([row('a'), row('b'), row('dup'), row('dup')]))
})
afterEach(() => {
  db.close()
  dir.cleanup()
})

function probed(relPath: string, extra: Partial<ProbedMedia> = {}): ProbedMedia {
  const stem = relPath.split('/').pop()!.replace(/\.[^.]*$/, '')
  return { relPath, absPath: join(root, relPath), stem, kind: 'video', sizeBytes: 3, mtimeMs: 1000, probe: PROBE, error: null, sha256: 'a'.repeat(64), ...extra }
}

describe('the write step of an import', () => {
  it('writes the source, the media and one entry per record, links by stem and reports what it did', () => {
    const files = [probed('pocus_videos/convex/a.mp4'), probed('pocus_videos/convex/b.avi', { probe: null, error: 'cannot decode' }), probed('pocus_videos/x.mp4')]
    const progress: string[] = []
    const report = writeImport(db, readImport(db, root), files, false, (m) => progress.push(m))
    expect(report).toMatchObject({
      folder: root,
      rows: 4,
      entriesAdded: 4,
      entriesKept: 0,
      orphansAdded: 0,
      mediaFiles: 3,
      linked: 1,
      rowsWithoutMedia: 2,
      unreadable: [{ file: 'pocus_videos/convex/b.avi', error: 'cannot decode' }],
      orphans: ['pocus_videos/x.mp4'],
      duplicateStems: [],
      duplicateFilenames: [{ filename: 'dup', lines: [4, 5] }]
    })
    expect(progress).toContain('Linking media')
    const tables = catalogTables(db)
    expect(tables.sources.get(report.sourceId)?.root).toBe(root)
    expect(tables.entries.summaries().map((e) => [e.filename, e.media_status])).toEqual([
      ['a', 'linked'],
      ['b', 'unreadable'],
      ['dup', 'missing'],
      ['dup', 'missing']
    ])
  })

  it('keeps the entries on a second write, and adds entries for orphans on request, once', () => {
    const files = [probed('pocus_videos/convex/a.mp4'), probed('pocus_videos/linear/extra.mp4')]
    writeImport(db, readImport(db, root), files, false)
    const second = writeImport(db, readImport(db, root), files, true)
    expect(second).toMatchObject({ entriesAdded: 0, entriesKept: 4, orphansAdded: 1, linked: 2 })
    const third = writeImport(db, readImport(db, root), files, true)
    expect(third).toMatchObject({ entriesKept: 5, orphansAdded: 0 })
    const orphan = catalogTables(db).entries.summaries().find((e) => e.filename === 'extra')!
    expect(orphan).toMatchObject({ row_no: null, probe: 'linear', location: 'pocus_videos/linear', media_status: 'linked' })
  })

  it('links nothing for a stem two files share, and drops rows of files that are gone', () => {
    const first = writeImport(db, readImport(db, root), [probed('pocus_videos/a.mp4'), probed('pocus_images/a.png')], false)
    expect(first).toMatchObject({ linked: 0, duplicateStems: [{ stem: 'a', files: ['pocus_videos/a.mp4', 'pocus_images/a.png'] }] })
    writeImport(db, readImport(db, root), [probed('pocus_videos/a.mp4')], false)
    expect(catalogTables(db).media.ofSource(first.sourceId).map((m) => m.rel_path)).toEqual(['pocus_videos/a.mp4'])
  })
})
