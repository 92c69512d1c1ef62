/**
 * Crop, trim and masks: the dataset's crop.json read and written back,
 * checks with clear messages, and ffmpeg keeping exactly the frames and
 * pixels asked for.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { UserError } from '../../../src/main/errors'
import { ffmpegPath } from '../../../src/main/media/ffmpegPaths'
import { probeMedia } from '../../../src/main/media/probe'
import { exportCropJson, importCropJson } from '../../../src/main/submission/cropJson'
import { EditsStore } from '../../../src/main/submission/editsStore'
import { changesMade, parseCropJson, validateEdits } from '../../../src/main/submission/mediaEdits'
import { renderMedia } from '../../../src/main/submission/renderMedia'
import { makeDataset, row } from '../../helpers/fixtures'
import { SHARED_CSV, SHARED_DATASET, tempDir } from '../../helpers/paths'
import { openSubmissionCatalog } from './submissionCatalog'

const CROP_JSON = join(SHARED_DATASET, 'crop.json')
let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir('lus-edits-')
})
afterAll(() => tmp.cleanup())

const ff = (args: string[]): Buffer => execFileSync(ffmpegPath()!, ['-v', 'error', ...args], { maxBuffer: 1 << 28 })

/** A clip whose frame n is a flat grey of level 8·n (up to frame 31), so frames can be told apart after encoding. */
function numberedClip(file: string, frames: number, size = '64x48'): void {
  ff(['-y', '-f', 'lavfi', '-i', `nullsrc=s=${size}:r=10,geq=lum='min(N*8\\,250)':cb=128:cr=128`, '-frames:v', String(frames), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-qp', '0', file])
}

describe('crop.json', () => {
  it('reads the dataset crop.json: 91 entries, fractional ends, images without a trim', () => {
    const entries = parseCropJson(readFileSync(CROP_JSON, 'utf8'))
    expect(entries).toHaveLength(91)
    const byKey = new Map(entries.map((e) => [e.key, e]))
    expect(byKey.get('pocus_videos/convex/Reg-Youtube.mp4')).toMatchObject({ stem: 'Reg-Youtube', crop: { top: 40, left: 150, size: 280 }, trim: { start: 2299, end: 2429 } })
    expect(byKey.get('pocus_videos/convex/Cov-clarius.gif')).toMatchObject({ crop: { top: 30, left: 100, size: 350 }, trim: { start: 0, end: 103 } })
    expect(byKey.get('pocus_images/convex/Pneu_clarius.jpg')?.trim).toBeNull()
    expect(byKey.get('pocus_images/convex/Reg_efsumb2.png')?.trim).toBeNull() // [0, -9.2e18] in the file
  })

  it('refuses malformed entries naming the key', () => {
    expect(() => parseCropJson('{"a.mp4": [[1, 2], [0, 3]]}')).toThrow(/crop\.json entry "a\.mp4": expected \[\[top, left, size\], \[start_frame, end_frame\]\]/)
    expect(() => parseCropJson('{"a.mp4": [[1, -2, 3], [0, 3]]}')).toThrow(/entry "a\.mp4"/)
    expect(() => parseCropJson('not json')).toThrow(/crop\.json is not valid JSON/)
  })

  it('imports every entry of the real crop.json onto the real CSV rows and exports the same crops again', async () => {
    const root = join(tmp.path, 'dataset-csv-only')
    mkdirSync(root)
    copyFileSync(SHARED_CSV, join(root, 'dataset_metadata.csv'))
    const db = openSubmissionCatalog(join(tmp.path, 'crop-roundtrip.db'))
    try {
      await importDataset(db, root)
      const r = importCropJson(db, CROP_JSON)
      expect(r.unmatched).toEqual([])
      expect(r.rejected).toEqual([])
      expect(new Set(r.applied.map((a) => a.key)).size).toBe(91)
      expect(r.applied.every((a) => !a.checked)).toBe(true) // the raw web files are not there to check against
      const out = JSON.parse(exportCropJson(db).json) as Record<string, [[number, number, number], [number, number]]>
      const orig = JSON.parse(readFileSync(CROP_JSON, 'utf8')) as Record<string, [[number, number, number], [number, number]]>
      expect(Object.keys(out).sort()).toEqual(Object.keys(orig).sort())
      for (const [key, [crop, pair]] of Object.entries(orig)) {
        expect(out[key]![0], key).toEqual(crop)
        // Videos keep their frame pair; images carry [0, 1.0] (the dataset writes 0.0, 1.0 or -9.2e18 for "no frames").
        if (key.startsWith('pocus_videos/')) expect(out[key]![1], key).toEqual(pair)
        else expect(out[key]![1]).toEqual([0, 1])
      }
    } finally {
      db.close()
    }
  })
})

describe('checks', () => {
  const g = { kind: 'video' as const, width: 600, height: 430, frames: 100 }
  it('a crop outside the frame says where', () => {
    expect(() => validateEdits({ crop: { top: 100, left: 300, size: 350 }, trim: null, masks: [] }, g, '"clip"')).toThrow(
      /"clip": the crop \[top 100, left 300, size 350\] reaches outside the 600×430 frame \(it needs rows 100–449 and columns 300–649; the frame has rows 0–429 and columns 0–599\)/
    )
    expect(() => validateEdits({ crop: null, trim: { start: 90, end: 120.0 }, masks: [] }, g, '"clip"')).toThrow(/needs frames 90–119, but the clip has 100 frames/)
    expect(() => validateEdits({ crop: null, trim: null, masks: [{ x: 590, y: 0, width: 20, height: 5 }] }, g, '"clip"')).toThrow(/mask 1 .* reaches outside/)
    expect(() => validateEdits({ crop: null, trim: { start: 0, end: 5 }, masks: [] }, { ...g, kind: 'image' }, '"still"')).toThrow(/an image has no frames to trim/)
    expect(() => validateEdits({ crop: { top: 0, left: 0, size: 430 }, trim: { start: 0, end: 100.0 }, masks: [] }, g, 'ok')).not.toThrow()
  })

  it('ChangesMade in the dataset\'s words', () => {
    const crop = { top: 0, left: 0, size: 10 }
    expect(changesMade('N.A.', { crop, trim: null, masks: [] })).toBe('Cropping')
    expect(changesMade('', { crop, trim: { start: 0, end: 5 }, masks: [] })).toBe('Cropping, frame subselection')
    expect(changesMade('N.A.', { crop, trim: { start: 0, end: 5 }, masks: [{ x: 0, y: 0, width: 1, height: 1 }] })).toBe('Cropping, Artifact removal, frame subselection')
    expect(changesMade('Cropping', { crop, trim: { start: 0, end: 5 }, masks: [] })).toBe('Cropping, frame subselection')
    expect(changesMade('Cropping + Triming', { crop, trim: { start: 0, end: 5 }, masks: [] })).toBe('Cropping + Triming')
    expect(changesMade('N.A.', { crop: null, trim: null, masks: [] })).toBe('N.A.')
  })
})

describe('rendering with ffmpeg', () => {
  it('a trim keeps exactly frames start … start+floor(end−start)−1', async () => {
    const src = join(tmp.path, 'numbered.mp4')
    numberedClip(src, 30)
    const out = join(tmp.path, 'trimmed.mp4')
    const probe = await renderMedia(src, out, 'video', { crop: null, trim: { start: 5, end: 12.0 }, masks: [] }, { label: 'numbered' })
    expect(probe.frames).toBe(7)
    const raw = ff(['-i', out, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'])
    const n = 64 * 48
    for (let i = 0; i < 7; i++) {
      const mean = raw.subarray(i * n, (i + 1) * n).reduce((a, b) => a + b, 0) / n
      // Luma 8·k (limited range) read back as full-range grey: (8·k − 16)·255/219.
      expect(Math.abs(mean - (((5 + i) * 8 - 16) * 255) / 219)).toBeLessThan(2.5)
    }
    expect((await probeMedia(out)).fps).toBe(10)
  })

  it('a crop takes rows top…top+size−1 and columns left…left+size−1; masks are black', async () => {
    const src = join(tmp.path, 'still.png')
    ff(['-y', '-f', 'lavfi', '-i', 'testsrc=size=120x90', '-frames:v', '1', src])
    const out = join(tmp.path, 'still-cropped.png')
    await renderMedia(src, out, 'image', { crop: { top: 10, left: 30, size: 50 }, trim: null, masks: [{ x: 30, y: 10, width: 5, height: 4 }] }, { label: 'still' })
    const whole = ff(['-i', src, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'])
    const cropped = ff(['-i', out, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'])
    expect(cropped.length).toBe(50 * 50 * 3)
    for (let y = 0; y < 50; y++)
      for (let x = 0; x < 50; x++) {
        const o = (y * 50 + x) * 3
        const masked = x < 5 && y < 4
        const i = ((y + 10) * 120 + (x + 30)) * 3
        // The mask passes through yuv444p; outside it, PNG in and out is lossless up to that conversion.
        for (let c = 0; c < 3; c++) {
          if (masked) expect(cropped[o + c]).toBeLessThanOrEqual(2)
          else expect(Math.abs(cropped[o + c]! - whole[i + c]!)).toBeLessThanOrEqual(3)
        }
      }
  })

  it('a crop outside the real frame fails before ffmpeg runs, leaving no output', async () => {
    const src = join(tmp.path, 'small.mp4')
    numberedClip(src, 5)
    const out = join(tmp.path, 'never.mp4')
    const e = await renderMedia(src, out, 'video', { crop: { top: 0, left: 40, size: 40 }, trim: null, masks: [] }, { label: 'small.mp4' }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UserError)
    expect((e as Error).message).toMatch(/small\.mp4: the crop \[top 0, left 40, size 40\] reaches outside the 64×48 frame/)
  })
})

describe('per-entry settings', () => {
  let db: CatalogDb
  beforeAll(async () => {
    const root = join(tmp.path, 'ds')
    makeDataset(root, [row('clip-a'), row('clip-b')], { 'pocus_videos/convex/clip-a.mp4': 'clip' })
    db = openSubmissionCatalog(join(tmp.path, 'edits.db'))
    await importDataset(db, root)
  })
  afterAll(() => db.close())

  it('are checked against the linked media, stored, cleared', () => {
    const store = new EditsStore(db)
    expect(() => store.set(1, { crop: { top: 0, left: 0, size: 60 }, trim: null, masks: [] })).toThrow(/"clip-a": the crop \[top 0, left 0, size 60\] reaches outside the 64×48 frame/)
    expect(store.set(1, { crop: { top: 2, left: 4, size: 40 }, trim: { start: 1, end: 10.0 }, masks: [] })).toEqual({ checked: true })
    expect(store.info(1)).toMatchObject({ crop: { top: 2, left: 4, size: 40 }, trim: { start: 1, end: 10 }, origin: 'user', bakedIn: false, media: { width: 64, height: 48, frames: 12 }, changesMade: 'Cropping, frame subselection' })
    // Media missing: stored unchecked.
    expect(store.set(2, { crop: { top: 0, left: 0, size: 999 }, trim: null, masks: [] })).toEqual({ checked: false })
    store.set(1, { crop: null, trim: null, masks: [] })
    expect(store.info(1)).toMatchObject({ crop: null, trim: null, origin: null })
  })
})
