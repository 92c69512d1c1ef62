import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { UserError } from '../../../src/main/errors'
import { sha256File } from '../../../src/main/media/contentHash'
import { PlaybackService } from '../../../src/main/media/playbackService'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { csvText, makeClip, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'
import { makeFormatClip, truncatedCopy } from './clips'

const V = 'pocus_videos/convex'

describe('PlaybackService.relink', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let repository: CatalogRepository
  let service: PlaybackService
  let root: string
  const entryId = (filename: string): number =>
    db.prepare<[string], { id: number }>('SELECT id FROM entries WHERE filename = ?').get(filename)!.id

  beforeAll(async () => {
    tmp = tempDir('lus-relink-')
    root = join(tmp.path, 'dataset')
    mkdirSync(join(root, V), { recursive: true })
    for (const name of ['moved', 'moved-abs', 'victim', 'stays']) makeClip(join(root, V, `${name}.mp4`))
    writeFileSync(join(root, 'dataset_metadata.csv'), csvText(['moved', 'moved-abs', 'victim', 'stays'].map((n) => row(n))))
    db = openCatalog(join(tmp.path, 'catalog.db'))
    await importDataset(db, root)
    // The clips are then reorganized on disk, as happens between import and review.
    mkdirSync(join(root, V, 'renamed'))
    renameSync(join(root, V, 'moved.mp4'), join(root, V, 'renamed', 'moved-v2.mp4'))
    renameSync(join(root, V, 'moved-abs.mp4'), join(root, V, 'renamed', 'moved-abs-v2.MP4'))
    // Things a relink must refuse.
    makeClip(join(tmp.path, 'outside.mp4'))
    symlinkSync(join(tmp.path, 'outside.mp4'), join(root, V, 'link-out.mp4'))
    writeFileSync(join(root, V, 'notes.txt'), 'not a clip')
    writeFileSync(join(root, V, 'fake.mp4'), Buffer.from('this is not a video file at all'.repeat(20)))
    makeFormatClip(join(tmp.path, 'whole.mp4'), 'h264', { frames: 40 })
    truncatedCopy(join(tmp.path, 'whole.mp4'), join(root, V, 'truncated.mp4'), 0.5)
    writeFileSync(join(root, V, 'empty.mp4'), '')
    repository = new CatalogRepository(db)
    service = new PlaybackService({ db, repository, cacheDir: join(tmp.path, 'cache'), concurrency: 2 })
  })
  afterAll(async () => {
    await service.close()
    db.close()
    tmp.cleanup()
  })

  it('links an entry to a file given relative to its dataset folder, in one write', async () => {
    const id = entryId('moved')
    expect(service.playback(repository.get(id).summary.mediaId!).state).toBe('missing')
    await service.relink(id, `${V}/renamed/moved-v2.mp4`)
    const detail = repository.get(id)
    expect(detail.summary.mediaStatus).toBe('linked')
    expect(detail.media).toMatchObject({ relPath: `${V}/renamed/moved-v2.mp4`, kind: 'video', frames: 12, codec: 'h264', error: null })
    const stored = db
      .prepare<[number], { stem: string; sha256: string }>('SELECT stem, sha256 FROM media WHERE id = ?')
      .get(detail.summary.mediaId!)!
    expect(stored).toEqual({ stem: 'moved-v2', sha256: await sha256File(join(root, V, 'renamed', 'moved-v2.mp4')) })
    expect(await service.prepare(detail.summary.mediaId!)).toMatchObject({ state: 'ready', source: 'original', frameCount: 12 })
  })

  it('keeps a relink when the folder is imported again', async () => {
    const id = entryId('moved')
    const report = await importDataset(db, root)
    expect(report.orphans).not.toContain(`${V}/renamed/moved-v2.mp4`)
    expect(repository.get(id)).toMatchObject({ summary: { mediaStatus: 'linked' }, media: { relPath: `${V}/renamed/moved-v2.mp4` } })
  })

  it('accepts an absolute path inside the folder', async () => {
    const id = entryId('moved-abs')
    await service.relink(id, join(root, V, 'renamed', 'moved-abs-v2.MP4'))
    expect(repository.get(id).media?.relPath).toBe(`${V}/renamed/moved-abs-v2.MP4`)
  })

  it('accepts an absolute path through a symlinked parent of the folder', async () => {
    const alias = join(tmp.path, 'alias')
    symlinkSync(root, alias)
    const id = entryId('stays')
    await service.relink(id, join(alias, V, 'stays.mp4'))
    expect(repository.get(id).media?.relPath).toBe(`${V}/stays.mp4`)
  })

  it.each([
    ['a file outside the folder (absolute)', () => join(tmp.path, 'outside.mp4'), 'bad_input', /outside the dataset folder/],
    ['a file outside the folder (../)', () => '../outside.mp4', 'bad_input', /outside the dataset folder/],
    ['a symlink leading out of the folder', () => `${V}/link-out.mp4`, 'bad_input', /links outside/],
    ['a file that does not exist', () => `${V}/nothing-here.mp4`, 'not_found', /missing/],
    ['a folder', () => V, 'not_found', /not a file/],
    ['a file that is not media', () => `${V}/notes.txt`, 'bad_input', /not a media file/],
    ['an empty file', () => `${V}/empty.mp4`, 'bad_input', /empty/],
    ['a file ffprobe cannot read', () => `${V}/fake.mp4`, 'bad_input', /fake\.mp4 cannot be used/],
    ['a truncated file', () => `${V}/truncated.mp4`, 'bad_input', /truncated\.mp4 cannot be used/]
  ])('refuses %s and changes nothing', async (_what, path, code, message) => {
    const before = snapshotCatalog(db)
    const err = await service.relink(entryId('victim'), path()).then(
      () => null,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(UserError)
    expect((err as UserError).code).toBe(code)
    expect((err as Error).message).toMatch(message)
    expect(snapshotCatalog(db)).toBe(before)
  })

  it('refuses an unknown entry', async () => {
    await expect(service.relink(999_999, `${V}/victim.mp4`)).rejects.toMatchObject({ code: 'not_found' })
  })
})
