/**
 * Rebuilding the clips the dataset cannot redistribute, from inputs the
 * tests build themselves: a Butterfly gallery zip of ffmpeg test clips under
 * the real gallery names, and a folder of "raw web downloads" for crop.json
 * keys. The real CSV, crop.json and data_from_butterfly.json are used.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import yazl from 'yazl'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { ffmpegPath } from '../../../src/main/media/ffmpegPaths'
import { probeMedia } from '../../../src/main/media/probe'
import { EditsStore } from '../../../src/main/submission/editsStore'
import { butterflyCrop, rebuildButterfly, rebuildWebVideos } from '../../../src/main/submission/rebuild'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { makeDataset, row } from '../../helpers/fixtures'
import { SHARED_DATASET, tempDir } from '../../helpers/paths'
import { openSubmissionCatalog } from './submissionCatalog'

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let root: string

const ff = (args: string[]): void => void execFileSync(ffmpegPath()!, ['-v', 'error', '-y', ...args])
const clip = (file: string, size: string, frames: number): string => {
  ff(['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25`, '-frames:v', String(frames), '-pix_fmt', 'yuv420p', file])
  return file
}
const entry = (filename: string, probe?: string) =>
  db
    .prepare<[string, string | null, string | null], { id: number; media_status: string; media_id: number | null }>(
      'SELECT id, media_status, media_id FROM entries WHERE filename = ? AND (? IS NULL OR probe = ?)'
    )
    .get(filename, probe ?? null, probe ?? null)!

beforeAll(async () => {
  tmp = tempDir('lus-rebuild-')
  // The real CSV and lists, without media: every Butterfly and web row starts as "media missing".
  root = join(tmp.path, 'dataset')
  mkdirSync(root)
  for (const f of ['dataset_metadata.csv', 'crop.json', 'data_from_butterfly.json']) copyFileSync(join(SHARED_DATASET, f), join(root, f))
  db = openSubmissionCatalog(join(tmp.path, 'catalog.db'))
  await importDataset(db, root)
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

describe('Butterfly gallery zip', () => {
  it('places the listed clips under their dataset names and links them to their rows', async () => {
    const names = JSON.parse(readFileSync(join(SHARED_DATASET, 'data_from_butterfly.json'), 'utf8')) as string[]
    const one = clip(join(tmp.path, 'butterfly.mp4'), '320x240', 12)
    const zipPath = join(tmp.path, 'COVID-19 Gallery.zip')
    const zip = new yazl.ZipFile()
    // The gallery's own names: no "Cov-Butterfly-" prefix, in category folders; plus a clip the dataset does not use.
    names.forEach((n, i) => zip.addFile(one, `Published /${i % 2 ? 'B-lines' : 'Consolidation'}/${n.split('Butterfly-').pop()}`))
    zip.addFile(one, 'Published /Cardiac/Parasternal Long Axis.mp4')
    zip.end()
    await pipeline(zip.outputStream, createWriteStream(zipPath))

    expect(entry('Cov-Butterfly-Skip Lesion').media_status).toBe('missing')
    const r = await rebuildButterfly(db, zipPath)
    // The dataset lists this clip but its CSV row was renamed ("Cov-Butterfly-COVID Lung 2", "deleted from the website"): reported, not guessed.
    expect(r.failed).toEqual([
      { name: 'Cov-Butterfly-Confluent B lines_Example 2.mp4', error: 'no row of dataset_metadata.csv has the Filename "Cov-Butterfly-Confluent B lines_Example 2"' }
    ])
    expect(r.notFound).toEqual([])
    expect(r.placed).toHaveLength(20)
    expect(r.linkedAfter - r.linkedBefore).toBe(20)
    expect(r.placed.map((p) => p.relPath)).toContain('pocus_videos/convex/Cov-Butterfly-Skip Lesion.mp4')
    // The row spelled without its prefix (a twin of the prefixed one) gets the clip too, under its own name.
    expect(r.placed.map((p) => p.relPath)).toContain('pocus_videos/convex/Subpleural Basal Consolidation_Example 2.mp4')
    expect(entry('Subpleural Basal Consolidation_Example 2').media_status).toBe('linked')
    expect(entry('Cov-Butterfly-Skip Lesion').media_status).toBe('linked')
    // Not in data_from_butterfly.json: stays missing.
    expect(entry('Cov-Butterfly-COVID Lung 2').media_status).toBe('missing')
    // The dataset script's crop is recorded, to apply on export.
    expect(new EditsStore(db).info(entry('Cov-Butterfly-Skip Lesion').id)).toMatchObject({ crop: butterflyCrop(320, 240), origin: 'butterfly', bakedIn: false })
    expect(butterflyCrop(320, 240)).toEqual({ top: 100, left: 90, size: 140 })

    // Running it again changes nothing and overwrites nothing.
    const before = snapshotCatalog(db)
    const again = await rebuildButterfly(db, zipPath)
    expect(again.placed).toHaveLength(0)
    expect(again.alreadyPresent).toHaveLength(20)
    expect(snapshotCatalog(db)).toBe(before)
  })

  it('a file that is not a zip is refused clearly', async () => {
    const bad = join(tmp.path, 'not-a.zip')
    clip(bad + '.mp4', '32x32', 2)
    copyFileSync(bad + '.mp4', bad)
    await expect(rebuildButterfly(db, bad)).rejects.toThrow(/not-a\.zip is not a readable zip archive/)
  })
})

describe('raw web videos with crop.json', () => {
  it('crops and trims the matching downloads into place, reports what does not fit', async () => {
    const raw = join(tmp.path, 'downloads')
    mkdirSync(join(raw, 'nested'), { recursive: true })
    // pocus_videos/convex/Cov-grep-7543.mp4: [[50, 150, 350], [0, 70.0]] — needs ≥ 500×400 and 70 frames.
    clip(join(raw, 'Cov-grep-7543.mp4'), '520x420', 80)
    // pocus_images/convex/Pneu_clarius.jpg: [[40, 200, 380], [0, 0.0]] — an image, crop only.
    ff(['-f', 'lavfi', '-i', 'testsrc=size=640x480', '-frames:v', '1', join(raw, 'nested', 'Pneu_clarius.jpg')])
    // pocus_videos/convex/Cov-grep-7525.mp4: [[150, 150, 400], [0, 361.0]] — this download is too small.
    clip(join(raw, 'Cov-grep-7525.mp4'), '320x240', 10)
    // pocus_videos/linear/Reg-nephropocus.gif: [[0, 125, 350], [0, 150.0]] — the linear row of two with that name.
    clip(join(raw, 'Reg-nephropocus.gif'), '480x360', 150)

    const r = await rebuildWebVideos(db, raw)
    expect(r.placed.map((p) => p.relPath).sort()).toEqual([
      'pocus_images/convex/Pneu_clarius.png',
      'pocus_videos/convex/Cov-grep-7543.mp4',
      // Both rows named Reg-nephropocus find the one download; each gets the crop of its own probe folder.
      'pocus_videos/convex/Reg-nephropocus.mp4',
      'pocus_videos/linear/Reg-nephropocus.mp4'
    ])
    const v = await probeMedia(join(root, 'pocus_videos/convex/Cov-grep-7543.mp4'))
    expect(v).toMatchObject({ width: 350, height: 350, frames: 70, codec: 'h264' })
    expect(await probeMedia(join(root, 'pocus_images/convex/Pneu_clarius.png'))).toMatchObject({ width: 380, height: 380 })
    expect(await probeMedia(join(root, 'pocus_videos/linear/Reg-nephropocus.mp4'))).toMatchObject({ width: 350, height: 350, frames: 150 })
    expect(await probeMedia(join(root, 'pocus_videos/convex/Reg-nephropocus.mp4'))).toMatchObject({ width: 250, height: 250, frames: 30 })
    expect(r.failed).toEqual([
      {
        name: 'Cov-grep-7525.mp4',
        error: 'Cov-grep-7525.mp4: the crop [top 150, left 150, size 400] reaches outside the 320×240 frame (it needs rows 150–549 and columns 150–549; the frame has rows 0–239 and columns 0–319).'
      }
    ])
    expect(existsSync(join(root, 'pocus_videos/convex/Cov-grep-7525.mp4'))).toBe(false)
    expect(entry('Cov-grep-7543').media_status).toBe('linked')
    expect(entry('Cov-grep-7525').media_status).toBe('missing')
    // 70 of the download's 80 frames: the row's "Cropping" gains "frame subselection".
    expect(r.placed.find((p) => p.relPath.endsWith('Cov-grep-7543.mp4'))?.changes).toBe('Cropping, frame subselection')
    // The settings are recorded as already applied to the rebuilt file: a bundle does not crop twice.
    const info = new EditsStore(db).info(entry('Cov-grep-7543').id)
    expect(info).toMatchObject({ crop: { top: 50, left: 150, size: 350 }, trim: { start: 0, end: 70 }, origin: 'crop.json', bakedIn: true })
    expect(new EditsStore(db).pending(entry('Cov-grep-7543').id)).toEqual({ crop: null, trim: null, masks: [] })
  })
})

describe('all or nothing', () => {
  it('when the re-import fails (the CSV changed meanwhile), the placed files are removed and the catalog is unchanged', async () => {
    const small = join(tmp.path, 'small')
    makeDataset(small, [row('web-clip')], {})
    const other = openSubmissionCatalog(join(tmp.path, 'small.db'))
    try {
      await importDataset(other, small)
      const raw = join(tmp.path, 'small-downloads')
      mkdirSync(raw)
      clip(join(raw, 'web-clip.mp4'), '64x48', 5)
      appendFileSync(join(small, 'dataset_metadata.csv'), '\r\n')
      const before = snapshotCatalog(other)
      await expect(rebuildWebVideos(other, raw)).rejects.toThrow(/changed since it was imported/)
      expect(existsSync(join(small, 'pocus_videos/convex/web-clip.mp4'))).toBe(false)
      expect(snapshotCatalog(other)).toBe(before)
    } finally {
      other.close()
    }
  })
})
