import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { UserError } from '../../../src/main/errors'
import { exportCsv } from '../../../src/main/export/csvExport'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { csvText, makeDataset, row } from '../../helpers/fixtures'
import { SHARED_CSV, SHARED_DATASET, tempDir } from '../../helpers/paths'

describe('importing the real shared dataset', () => {
  let dir: ReturnType<typeof tempDir>
  let db: CatalogDb
  let repo: CatalogRepository
  let report: Awaited<ReturnType<typeof importDataset>>
  const progress: number[] = []

  beforeAll(async () => {
    dir = tempDir()
    db = openCatalog(join(dir.path, 'catalog.db'))
    repo = new CatalogRepository(db)
    report = await importDataset(db, SHARED_DATASET, { onProgress: (p) => progress.push(p.done) })
  })
  afterAll(() => {
    db.close()
    dir.cleanup()
  })

  it('makes one entry per CSV row and links the 125 media files', () => {
    expect(report).toMatchObject({ rows: 375, entriesAdded: 375, mediaFiles: 125, linked: 125, rowsWithoutMedia: 250 })
    expect(report.unreadable).toEqual([])
    expect(report.orphans).toEqual([])
    expect(repo.list()).toHaveLength(375)
    expect(repo.stats()).toMatchObject({ total: 375, withMedia: 125, byMediaStatus: { linked: 125, missing: 250 } })
  })

  it('reports progress up to every media file', () => {
    expect(Math.max(...progress)).toBe(125)
  })

  it('flags the Piacenza label-uncertain rows without media as missing', () => {
    const bolzano = repo.list().filter((e) => e.filename.startsWith('Cov_bolzano_'))
    expect(bolzano).toHaveLength(45)
    expect(bolzano.every((e) => e.mediaStatus === 'missing' && e.probe === 'linear')).toBe(true)
  })

  it('reports the CSV file name that appears twice', () => {
    expect(report.duplicateFilenames.map((d) => d.filename)).toEqual(['Reg-nephropocus'])
  })

  it('normalizes labels and types with warnings carrying CSV line numbers', () => {
    const labels = new Set(repo.list().map((e) => e.label))
    expect([...labels].sort()).toEqual(['bacterial_pneumonia', 'covid', 'healthy', 'viral_pneumonia'])
    expect(report.warnings.some((w) => w.column === 'Type' && /"Image" read as "image"/.test(w.message))).toBe(true)
    expect(report.warnings.every((w) => w.line >= 2)).toBe(true)
  })

  it('probes media: frames, fps, size and codec of every format', () => {
    const byExt = new Map<string, ReturnType<CatalogRepository['get']>>()
    for (const e of repo.list()) {
      if (!e.mediaId) continue
      const d = repo.get(e.id)
      byExt.set(d.media!.relPath.split('.').pop()!.toLowerCase(), d)
    }
    expect([...byExt.keys()].sort()).toEqual(['avi', 'gif', 'jpg', 'mov', 'mp4', 'mpeg', 'png'])
    for (const d of byExt.values()) {
      expect(d.media!.frames).toBeGreaterThan(0)
      expect(d.media!.width).toBeGreaterThan(0)
      expect(d.media!.codec).toBeTruthy()
    }
    const avi = repo.get(repo.list().find((e) => e.filename === 'Pneu_northumbria_0409_set1_vid1')!.id)
    expect(avi.media).toMatchObject({ frames: 90, width: 516, height: 516, codec: 'mpeg4' })
  })

  it('exports a byte-identical CSV', () => {
    expect(exportCsv(db).bytes.equals(readFileSync(SHARED_CSV))).toBe(true)
  })

  it('is idempotent: re-importing keeps entries and edits, reuses probes', async () => {
    const e = repo.list().find((x) => x.filename === 'Reg_Avi_Video_001')!
    repo.update(e.id, { 'Comments first medical doctor (MD1)': 'A-lines, sliding present' })
    const before = snapshotCatalog(db)
    const again = await importDataset(db, SHARED_DATASET)
    expect(again).toMatchObject({ entriesAdded: 0, entriesKept: 375, linked: 125 })
    expect(snapshotCatalog(db)).toBe(before)
  })
})

describe('import of synthetic datasets', () => {
  let dir: ReturnType<typeof tempDir>
  beforeAll(() => (dir = tempDir()))
  afterAll(() => dir.cleanup())

  const fresh = (name: string): { db: CatalogDb; root: string } => ({
    db: openCatalog(join(dir.path, `${name}.db`)),
    root: join(dir.path, name)
  })

  it('marks zero-byte and undecodable media unreadable, naming the file, and keeps the rows', async () => {
    const { db, root } = fresh('broken-media')
    makeDataset(root, [row('good'), row('empty'), row('garbage')], {
      'pocus_videos/convex/good.mp4': 'clip',
      'pocus_videos/convex/empty.mp4': 'empty',
      'pocus_videos/convex/garbage.avi': 'garbage'
    })
    const report = await importDataset(db, root)
    expect(report.linked).toBe(1)
    expect(report.unreadable.map((u) => u.file).sort()).toEqual(['pocus_videos/convex/empty.mp4', 'pocus_videos/convex/garbage.avi'])
    expect(report.unreadable.find((u) => u.file.endsWith('empty.mp4'))!.error).toBe('zero-byte file')
    expect(report.unreadable.find((u) => u.file.endsWith('garbage.avi'))!.error).toMatch(/ffprobe/)
    const statuses = Object.fromEntries(new CatalogRepository(db).list().map((e) => [e.filename, e.mediaStatus]))
    expect(statuses).toEqual({ good: 'linked', empty: 'unreadable', garbage: 'unreadable' })
    db.close()
  })

  it('links nothing for a stem shared by two files, and says which', async () => {
    const { db, root } = fresh('dup-stems')
    makeDataset(root, [row('clip')], { 'pocus_videos/convex/clip.mp4': 'clip', 'pocus_videos/linear/clip.mov': 'clip' })
    const report = await importDataset(db, root)
    expect(report.duplicateStems).toEqual([{ stem: 'clip', files: ['pocus_videos/convex/clip.mp4', 'pocus_videos/linear/clip.mov'] }])
    expect(new CatalogRepository(db).list()[0]!.mediaStatus).toBe('missing')
    db.close()
  })

  it('matches stems case-sensitively, as on disk', async () => {
    const { db, root } = fresh('case')
    makeDataset(root, [row('Reg_Clip')], { 'pocus_videos/convex/reg_clip.mp4': 'clip' })
    const report = await importDataset(db, root)
    expect(report.linked).toBe(0)
    expect(report.orphans).toEqual(['pocus_videos/convex/reg_clip.mp4'])
    db.close()
  })

  it('reports media without a row, and adds them as entries on request, once', async () => {
    const { db, root } = fresh('orphans')
    makeDataset(root, [row('listed')], { 'pocus_videos/convex/listed.mp4': 'clip', 'pocus_videos/linear/extra.mp4': 'clip' })
    const first = await importDataset(db, root)
    expect(first.orphans).toEqual(['pocus_videos/linear/extra.mp4'])
    expect(first.orphansAdded).toBe(0)
    const second = await importDataset(db, root, { includeOrphans: true })
    expect(second.orphansAdded).toBe(1)
    const third = await importDataset(db, root, { includeOrphans: true })
    expect(third.orphansAdded).toBe(0)
    const repo = new CatalogRepository(db)
    const added = repo.list().find((e) => e.filename === 'extra')!
    expect(added).toMatchObject({ row: null, probe: 'linear', type: 'video', mediaStatus: 'linked' })
    // Added entries are appended after the CSV's rows in the same dialect.
    const out = exportCsv(db).bytes.toString('utf8')
    expect(out.split('\r\n')).toHaveLength(3)
    expect(out.split('\r\n')[2]).toMatch(/^,pocus_videos\/linear,extra,/)
    db.close()
  })

  it('does not follow a symlink out of the dataset folder', async () => {
    const { db, root } = fresh('symlink')
    makeDataset(root, [row('inside'), row('outside')], { 'pocus_videos/convex/inside.mp4': 'clip' })
    const outside = join(dir.path, 'outside-target')
    makeDataset(outside, [], { 'secret.mp4': 'clip' })
    symlinkSync(join(outside, 'secret.mp4'), join(root, 'pocus_videos/convex/outside.mp4'))
    const report = await importDataset(db, root)
    expect(report.mediaFiles).toBe(1)
    expect(new CatalogRepository(db).list().find((e) => e.filename === 'outside')!.mediaStatus).toBe('missing')
    db.close()
  })
})

describe('import refuses bad input and leaves the catalog as it was', () => {
  let dir: ReturnType<typeof tempDir>
  let db: CatalogDb
  let before: string
  beforeAll(async () => {
    dir = tempDir()
    db = openCatalog(join(dir.path, 'catalog.db'))
    const good = join(dir.path, 'good')
    makeDataset(good, [row('a'), row('b')], { 'pocus_videos/convex/a.mp4': 'clip' })
    await importDataset(db, good)
    before = snapshotCatalog(db)
  })
  afterAll(() => {
    db.close()
    dir.cleanup()
  })

  const expectRefused = async (folder: string, pattern: RegExp): Promise<void> => {
    const error = await importDataset(db, folder).then(
      () => null,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(pattern)
    expect(snapshotCatalog(db)).toBe(before)
  }

  const folderWithCsv = (name: string, csv: string | Buffer): string => {
    const root = join(dir.path, name)
    mkdirSync(root, { recursive: true })
    writeFileSync(join(root, 'dataset_metadata.csv'), csv)
    return root
  }

  it('a relative path', () => expectRefused('relative/folder', /absolute path/))
  it('a folder that does not exist', () => expectRefused(join(dir.path, 'nope'), /does not exist/))
  it('a file instead of a folder', () => {
    writeFileSync(join(dir.path, 'file.txt'), 'x')
    return expectRefused(join(dir.path, 'file.txt'), /is a file, not a dataset folder/)
  })
  it('a folder that is not a dataset', () => {
    mkdirSync(join(dir.path, 'photos'), { recursive: true })
    return expectRefused(join(dir.path, 'photos'), /not a dataset folder: dataset_metadata\.csv was not found/)
  })
  it('a CSV with the wrong headers', () =>
    expectRefused(folderWithCsv('wrong-header', 'name,label\r\nx,COVID-19'), /dataset_metadata\.csv line 1: the header is not the dataset's/))
  it('a ragged row', () =>
    expectRefused(folderWithCsv('ragged', csvText([row('a'), row('b')]) + ',one too many'), /line 3: expected 44 fields, found 45/))
  it('non-UTF-8 bytes', () =>
    expectRefused(folderWithCsv('latin1', Buffer.concat([Buffer.from(csvText([row('a')])), Buffer.from([0x0d, 0x0a, 0xe9])])), /line 3: the file is not valid UTF-8/))
  it('an empty CSV', () => expectRefused(folderWithCsv('empty-csv', ''), /dataset_metadata\.csv is empty/))
  it('a CSV changed since it was imported', () => {
    writeFileSync(join(dir.path, 'good', 'dataset_metadata.csv'), csvText([row('a'), row('b'), row('c')]))
    return expectRefused(join(dir.path, 'good'), /changed since it was imported/)
  })
})
