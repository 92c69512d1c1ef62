/**
 * Hostile inputs that name places to write (issue #12, H2): crop.json keys
 * and gallery entries that climb out of the dataset folder, zip bombs for
 * every reader that extracts to disk, and symbolic links at export targets.
 * Each case names the message it must produce and checks that nothing was
 * written outside, nothing half-written is left, and the catalog (where
 * there is one) is unchanged; good inputs beside them go through, so the
 * refusals are about what each case changed.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CatalogDb } from '../../src/main/catalog/database'
import { importDataset } from '../../src/main/dataset/datasetImport'
import { keysFromSecret } from '../../src/main/deid/keys'
import { sourceCsvFiles, writeCsvExport } from '../../src/main/export/csvFile'
import type { ProbeResult } from '../../src/main/media/probe'
import { zipTarget } from '../../src/main/ratings/bundle/zipWriter'
import { StudyZip } from '../../src/main/reader/studyZip'
import { exportBundle } from '../../src/main/submission/bundleExport'
import { importCropJson } from '../../src/main/submission/cropJson'
import { rebuildButterfly, rebuildWebVideos } from '../../src/main/submission/rebuild'
import { snapshotCatalog } from '../helpers/catalogSnapshot'
import { makeClip, makeDataset, row } from '../helpers/fixtures'
import { tempDir } from '../helpers/paths'
import { openSubmissionCatalog } from '../unit/submission/submissionCatalog'
import { renameEntry, zipWith } from './generators'

const MiB = 1024 * 1024
const VICTIM = Buffer.from('a file outside every dataset and export folder\n')
let tmp: ReturnType<typeof tempDir>
let n = 0

/** Every file and link under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name)
      if (lstatSync(abs).isDirectory()) walk(abs)
      else out.push(relative(dir, abs))
    }
  }
  if (existsSync(dir)) walk(dir)
  return out.sort()
}

/** A dataset of `rows` (no media), imported into a fresh catalog; `outside` is a sibling folder nothing may reach. */
async function dataset(rows: string[]): Promise<{ db: CatalogDb; root: string; outside: string; base: string }> {
  const base = join(tmp.path, `case-${++n}`)
  const root = join(base, 'dataset')
  const outside = join(base, 'outside')
  makeDataset(root, rows.map((r) => row(r)), {})
  mkdirSync(outside)
  writeFileSync(join(outside, 'victim.mp4'), VICTIM)
  const db = openSubmissionCatalog(join(base, 'catalog.db'))
  await importDataset(db, root)
  return { db, root, outside, base }
}

const noProbe = async (): Promise<ProbeResult> => {
  throw new Error('nothing may be probed: the input is refused before it is extracted')
}

beforeAll(() => {
  tmp = tempDir('lus-hostile-contain-')
})
afterAll(() => tmp.cleanup())

describe('crop.json keys (rebuild-web, crop.json import)', () => {
  it.each([
    ['containment-cropjson-traversal', '../../outside/pwned/web-clip.mp4', /crop\.json was refused: its key "\.\.\/\.\.\/outside\/pwned\/web-clip\.mp4" climbs out of its folder \(\.\.\), so a clip rebuilt for it would be written outside the dataset folder\. Nothing was rebuilt/],
    ['containment-cropjson-absolute', '/tmp/pwned/web-clip.mp4', /its key "\/tmp\/pwned\/web-clip\.mp4" is an absolute path/],
    ['containment-cropjson-symlinked-folder', 'pocus_videos/escape/web-clip.mp4', /its key "pocus_videos\/escape\/web-clip\.mp4" passes through the symbolic link pocus_videos\/escape/]
  ])('%s: the rebuild is refused before anything is written', async (_id, key, message) => {
    const { db, root, outside, base } = await dataset(['web-clip'])
    try {
      mkdirSync(join(root, 'pocus_videos'))
      symlinkSync(outside, join(root, 'pocus_videos', 'escape'))
      writeFileSync(join(root, 'crop.json'), JSON.stringify({ [key]: [[0, 0, 32], [0, 5]] }))
      const raw = join(base, 'downloads')
      mkdirSync(raw)
      writeFileSync(join(raw, 'web-clip.mp4'), 'not even probed')
      const before = snapshotCatalog(db)
      const datasetBefore = tree(root)
      await expect(rebuildWebVideos(db, raw, { probeFile: noProbe })).rejects.toThrow(message)
      expect(tree(outside)).toEqual(['victim.mp4'])
      expect(existsSync(join(base, 'pwned'))).toBe(false)
      expect(tree(root)).toEqual(datasetBefore)
      expect(snapshotCatalog(db)).toBe(before)

      // The same file through the crop.json import: a key spelled to climb out is rejected and stored nowhere. (One through
      // a link on disk is only a name there: the import writes no file; the rebuild, which would, refuses it as above.)
      if (key.includes('escape')) return
      const imported = importCropJson(db, join(root, 'crop.json'))
      expect(imported.applied).toEqual([])
      expect(imported.rejected).toEqual([{ key, error: expect.stringMatching(/a crop\.json key names a file inside the dataset folder/) as unknown }])
      expect(snapshotCatalog(db)).toBe(before)
    } finally {
      db.close()
    }
  })

  it('containment-rebuild-dangling-link-at-target: a link where the clip goes is not written through', async () => {
    const { db, root, outside, base } = await dataset(['web-clip'])
    try {
      mkdirSync(join(root, 'pocus_videos', 'convex'), { recursive: true })
      symlinkSync(join(outside, 'created.mp4'), join(root, 'pocus_videos', 'convex', 'web-clip.mp4'))
      const raw = join(base, 'downloads')
      mkdirSync(raw)
      writeFileSync(join(raw, 'web-clip.mp4'), 'a download')
      const before = snapshotCatalog(db)
      const r = await rebuildWebVideos(db, raw, { probeFile: noProbe })
      expect(r.failed).toEqual([{ name: 'web-clip.mp4', error: 'pocus_videos/convex/web-clip.mp4 already exists and is not overwritten' }])
      expect(r.placed).toEqual([])
      expect(tree(outside)).toEqual(['victim.mp4'])
      expect(snapshotCatalog(db)).toBe(before)
    } finally {
      db.close()
    }
  })

  it('the good key beside them still works (import)', async () => {
    const { db, root } = await dataset(['web-clip'])
    try {
      writeFileSync(join(root, 'crop.json'), JSON.stringify({ 'pocus_videos/convex/web-clip.mp4': [[0, 0, 32], [0, 5]] }))
      const imported = importCropJson(db, join(root, 'crop.json'))
      expect(imported.rejected).toEqual([])
      expect(imported.applied.map((a) => a.key)).toEqual(['pocus_videos/convex/web-clip.mp4'])
    } finally {
      db.close()
    }
  })
})

describe('the Butterfly gallery zip (rebuild-butterfly)', () => {
  async function gallery(base: string, entries: Parameters<typeof zipWith>[0]): Promise<string> {
    const path = join(base, 'GALLERY.zip')
    writeFileSync(path, await zipWith(entries))
    return path
  }

  it('containment-butterfly-zip-bomb: a small zip with a huge entry is refused without writing it; the good clip beside it is placed', async () => {
    const { db, root, outside, base } = await dataset(['Cov-Butterfly-Good', 'Cov-Butterfly-Bomb'])
    try {
      writeFileSync(join(root, 'data_from_butterfly.json'), JSON.stringify(['Cov-Butterfly-Good.mp4', 'Cov-Butterfly-Bomb.mp4']))
      const good = join(base, 'good.mp4')
      makeClip(good)
      // 64 MiB of zeros: about 64 KiB deflated.
      const zip = await gallery(base, [
        { name: 'Published /Good.mp4', bytes: readFileSync(good), compress: false },
        { name: 'Published /Bomb.mp4', bytes: Buffer.alloc(64 * MiB) }
      ])
      expect(lstatSync(zip).size).toBeLessThan(1 * MiB)
      const r = await rebuildButterfly(db, zip)
      expect(r.failed).toEqual([
        { name: 'Cov-Butterfly-Bomb.mp4', error: expect.stringMatching(/GALLERY\.zip: entry "Published \/Bomb\.mp4" would inflate from \d+ to 67108864 bytes, more than 100 times \(a zip bomb\)\. That clip was not extracted/) as unknown }
      ])
      expect(r.placed.map((p) => p.relPath)).toEqual(['pocus_videos/convex/Cov-Butterfly-Good.mp4'])
      expect(tree(join(root, 'pocus_videos'))).toEqual(['convex/Cov-Butterfly-Good.mp4'])
      expect(tree(outside)).toEqual(['victim.mp4'])
    } finally {
      db.close()
    }
  })

  it.each([
    ['containment-butterfly-entry-traversal', '../../outside/Bomb.mp4', /GALLERY\.zip was refused: entry "\.\.\/\.\.\/outside\/Bomb\.mp4" climbs out of its folder \(\.\.\)\. Nothing was extracted from it/],
    ['containment-butterfly-entry-absolute', '/tmp/outside/Bomb.mp4', /GALLERY\.zip was refused: entry "\/tmp\/outside\/Bomb\.mp4" is an absolute path/]
  ])('%s: the gallery is refused as a whole, nothing written', async (_id, unsafe, message) => {
    const { db, root, outside, base } = await dataset(['Cov-Butterfly-Bomb'])
    try {
      writeFileSync(join(root, 'data_from_butterfly.json'), JSON.stringify(['Cov-Butterfly-Bomb.mp4']))
      const placeholder = 'x'.repeat(unsafe.length)
      const zip = join(base, 'GALLERY.zip')
      writeFileSync(zip, renameEntry(await zipWith([{ name: placeholder, bytes: Buffer.from('clip') }]), placeholder, unsafe))
      const before = snapshotCatalog(db)
      await expect(rebuildButterfly(db, zip, { probeFile: noProbe })).rejects.toThrow(message)
      expect(tree(outside)).toEqual(['victim.mp4'])
      expect(existsSync(join(root, 'pocus_videos'))).toBe(false)
      expect(snapshotCatalog(db)).toBe(before)
    } finally {
      db.close()
    }
  })
})

describe('the reader study zip', () => {
  it('containment-study-zip-bomb: a clip that inflates a thousandfold is refused when the zip is opened', async () => {
    const zip = join(tmp.path, 'study-bomb.zip')
    writeFileSync(zip, await zipWith([{ name: 'study.json', bytes: Buffer.from('{}') }, { name: 'clips/clip-001.mp4', bytes: Buffer.alloc(64 * MiB) }]))
    await expect(StudyZip.open(zip)).rejects.toThrow(/entry "clips\/clip-001\.mp4" would inflate from \d+ to 67108864 bytes, more than 100 times \(a zip bomb\)/)
  })
})

describe('export targets never follow a symbolic link', () => {
  let dir: string
  let victim: string
  beforeAll(() => {
    dir = join(tmp.path, 'exports')
    mkdirSync(dir)
    victim = join(tmp.path, 'victim.csv')
    writeFileSync(victim, VICTIM)
  })

  const linked = (name: string, to: string): string => {
    const link = join(dir, name)
    symlinkSync(to, link)
    return link
  }

  it('containment-export-csv-symlink: export-csv (and dataset/exportCsv) refuse a link and leave its target byte for byte', () => {
    const link = linked('export.csv', victim)
    expect(() => writeCsvExport(link, Buffer.from('Filename\r\nx'), [])).toThrow(/export\.csv is a symbolic link: nothing was written, and the file it points to was not changed/)
    expect(readFileSync(victim).equals(VICTIM)).toBe(true)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
  })

  it('containment-export-csv-dangling-symlink: nothing is created where a dangling link points', () => {
    const nowhere = join(tmp.path, 'made-through-link.csv')
    const link = linked('dangling.csv', nowhere)
    expect(() => writeCsvExport(link, Buffer.from('x'), [])).toThrow(/dangling\.csv is a symbolic link/)
    expect(existsSync(nowhere)).toBe(false)
  })

  it("containment-export-csv-own-csv: the dataset's own CSV, even through a link, keeps its own message", async () => {
    const { db, root } = await dataset(['clip-a'])
    try {
      const csv = join(root, 'dataset_metadata.csv')
      const bytes = readFileSync(csv)
      const link = linked('to-source.csv', csv)
      expect(() => writeCsvExport(link, Buffer.from('x'), sourceCsvFiles(db))).toThrow(/is the imported dataset's own CSV/)
      expect(readFileSync(csv).equals(bytes)).toBe(true)
      // A plain name beside it is written.
      expect(writeCsvExport(join(dir, 'fine.csv'), bytes, sourceCsvFiles(db))).toMatch(/fine\.csv$/)
    } finally {
      db.close()
    }
  })

  it('containment-bundle-target-symlink: review, reader and ratings bundles (zipTarget) refuse a link', () => {
    const link = linked('study.zip', victim)
    expect(() => zipTarget(link)).toThrow(/study\.zip is a symbolic link: nothing was written/)
    expect(() => zipTarget(linked('dangling.zip', join(tmp.path, 'nowhere.zip')))).toThrow(/is a symbolic link/)
    expect(readFileSync(victim).equals(VICTIM)).toBe(true)
  })

  it('containment-submission-bundle-symlink: the submission bundle is refused before anything is rendered', async () => {
    const { db } = await dataset(['clip-a'])
    try {
      const link = linked('submission.zip', victim)
      const before = readdirSync(dir).sort()
      await expect(exportBundle(db, { entryIds: [1], sourceName: 'clinic', outPath: link, keys: keysFromSecret(Buffer.alloc(32, 1)) })).rejects.toThrow(
        /submission\.zip is a symbolic link: nothing was written/
      )
      expect(readFileSync(victim).equals(VICTIM)).toBe(true)
      // No staging folder left beside it.
      expect(readdirSync(dir).sort()).toEqual(before)
    } finally {
      db.close()
    }
  })
})
