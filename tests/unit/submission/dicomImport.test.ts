/**
 * DICOM import end to end: a de-identified entry of the contributions
 * source with an H.264 video holding every frame at the DICOM's rate (or a
 * PNG for one frame), and no identifying value anywhere in the catalog.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import type { CatalogDb } from '../../../src/main/catalog/database'
import { dicomImportCommand, dicomInfoCommand, isDicomImport } from '../../../src/main/cli/dicomCommands'
import { columnIndex } from '../../../src/main/dataset/normalize'
import { keysFromSecret } from '../../../src/main/deid/keys'
import { decodeDicom } from '../../../src/main/dicom/decode'
import { readDicomFile } from '../../../src/main/dicom/readDicom'
import { UserError } from '../../../src/main/errors'
import { exportCsv } from '../../../src/main/export/csvExport'
import { ffmpegPath } from '../../../src/main/media/ffmpegPaths'
import { probeMedia } from '../../../src/main/media/probe'
import { importDicomFile } from '../../../src/main/submission/dicomImport'
import type { CsvColumn } from '../../../src/shared/vocabulary'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { SHARED_DICOM, tempDir } from '../../helpers/paths'
import { dcmtkFrames } from '../dicom/dcmtk'
import { pattern, pixelModule, TS, writeDicom } from '../dicom/dicomBuilder'
import { openSubmissionCatalog } from './submissionCatalog'

const US_PAL = join(SHARED_DICOM, 'US-PAL-8-10x-echo.dcm')
const XA_JPEG = join(SHARED_DICOM, 'xa-jpeg-baseline-96f.dcm')
const keys = keysFromSecret(Buffer.alloc(32, 3))
/** Values of the samples that must never reach the catalog or the contributions folder. */
const PHI = ['Rubo', 'DEMO', '556342B', '19951025', '19941013', '141917', '1994.01.30', '11:25:01', 'Echocardiogram', 'PS LAX', '1.3.12.2.1107.5.4.3', '999.999.3859744', '999.999.94827453', '999.999.133.1996', 'CARDIO-SMS']

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let catalogPath: string
beforeAll(() => {
  tmp = tempDir('lus-dicom-import-')
  catalogPath = join(tmp.path, 'catalog.db')
  db = openSubmissionCatalog(catalogPath)
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

/** Frames of a media file, decoded by ffmpeg to raw grey or RGB. */
function decodeMedia(file: string, pixFmt: 'gray' | 'rgb24'): Buffer {
  return execFileSync(ffmpegPath()!, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', pixFmt, 'pipe:1'], { maxBuffer: 1 << 30 })
}

const meanAbs = (a: Buffer, b: Buffer): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!)
  return s / a.length
}

describe('importing the shared samples', () => {
  it('the RLE palette ultrasound becomes a 10-frame H.264 video at 250/19 fps in the contributions source', async () => {
    const r = await importDicomFile(db, US_PAL, { catalogPath, keys, label: 'healthy', probe: 'convex', license: 'CC BY 4.0', provenance: 'Test contribution' })
    expect(r).toMatchObject({ kind: 'video', frames: 10, width: 600, height: 430 })
    const root = join(tmp.path, 'contributions')
    expect(r.mediaRelPath).toBe(`pocus_videos/convex/${r.filename}.mp4`)
    const probe = await probeMedia(join(root, r.mediaRelPath))
    expect(probe).toMatchObject({ frames: 10, codec: 'h264', width: 600, height: 430 })
    expect(probe.fps).toBeCloseTo(250 / 19, 2)
    const detail = new CatalogRepository(db).get(r.entryId)
    expect(detail.summary).toMatchObject({ mediaStatus: 'linked', label: 'healthy', probe: 'convex', type: 'video', license: 'CC BY 4.0' })
    const cell = (c: CsvColumn): string => detail.cells[columnIndex(c)]!
    expect(cell('Filename')).toBe(r.filename)
    expect(cell('Framerate')).toBe('13.16')
    expect(cell('Resolution')).toBe('600x430')
    expect(cell('Length (frames)')).toBe('10')
    expect(cell('Patient ID / Name')).toBe(r.patientKey)
    expect(cell('LinkToLicense')).toBe('https://creativecommons.org/licenses/by/4.0/')
    // The video's frames are the decoded frames (H.264 4:2:0 is lossy: close, not equal).
    const ours: Buffer[] = []
    for await (const f of decodeDicom(readDicomFile(US_PAL)).frames()) ours.push(f)
    const video = decodeMedia(join(root, r.mediaRelPath), 'rgb24')
    expect(video.length).toBe(10 * 600 * 430 * 3)
    for (let k = 0; k < 10; k++) expect(meanAbs(video.subarray(k * 774000, (k + 1) * 774000), ours[k]!)).toBeLessThan(3)
    // The de-identified summary sits beside the media.
    const summary = JSON.parse(readFileSync(join(root, r.summaryRelPath), 'utf8')) as { patientKey: string; image: { frameRate: number } }
    expect(summary.patientKey).toBe(r.patientKey)
    expect(summary.image.frameRate).toBeCloseTo(13.158, 3)
  })

  it('the 96-frame JPEG angiography keeps every frame, in order, at 1000/33 fps', async () => {
    const r = await importDicomFile(db, XA_JPEG, { catalogPath, keys })
    expect(r).toMatchObject({ kind: 'video', frames: 96, width: 512, height: 512 })
    const file = join(tmp.path, 'contributions', r.mediaRelPath)
    const probe = await probeMedia(file)
    expect(probe.frames).toBe(96)
    expect(probe.fps).toBeCloseTo(1000 / 33, 2)
    const video = decodeMedia(file, 'gray')
    const refDir = join(tmp.path, 'xa-ref')
    mkdirSync(refDir)
    const ref = dcmtkFrames(XA_JPEG, refDir)
    const size = 512 * 512
    // Frame k of the video is closest to dcmtk's frame k, not to its neighbours: no frame lost or shifted.
    for (const k of [1, 30, 60, 94]) {
      const v = video.subarray(k * size, (k + 1) * size)
      const here = meanAbs(v, ref[k]!.pixels)
      expect(here).toBeLessThan(1.5)
      expect(here).toBeLessThan(meanAbs(v, ref[k - 1]!.pixels))
      expect(here).toBeLessThan(meanAbs(v, ref[k + 1]!.pixels))
    }
    expect(r.warnings.join(' ')).toMatch(/burned-in/)
    // Sex is retained (M → m), the patient name is not.
    expect(new CatalogRepository(db).get(r.entryId).cells[columnIndex('Gender')]).toBe('m')
  })

  it('leaves no identifying value in any table of the catalog or file of the contributions folder', () => {
    const everything = snapshotCatalog(db)
    for (const v of PHI) expect(everything.includes(v), `catalog holds "${v}"`).toBe(false)
    const root = join(tmp.path, 'contributions')
    const files = execFileSync('find', [root, '-type', 'f']).toString().trim().split('\n')
    for (const f of files) {
      const text = readFileSync(f).toString('latin1')
      for (const v of PHI) expect(text.includes(v), `${f} holds "${v}"`).toBe(false)
    }
  })

  it('exports the contributions as dataset_metadata.csv rows', () => {
    const sourceId = db.prepare<[], { id: number }>("SELECT id FROM sources WHERE root LIKE '%contributions'").get()!.id
    const { bytes, rows } = exportCsv(db, sourceId)
    expect(rows).toBe(2)
    const text = bytes.toString('utf8')
    expect(text.split('\r\n')[0]).toMatch(/^Date added,Current location,Filename,/)
    expect(text).toContain('Test contribution')
  })

  it('refuses the same instance twice, changing nothing', async () => {
    const before = snapshotCatalog(db)
    const e = await importDicomFile(db, US_PAL, { catalogPath, keys }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UserError)
    expect((e as Error).message).toMatch(/US-PAL-8-10x-echo\.dcm was already imported \(catalog entry "dicom_[0-9a-f]{12}"\)/)
    expect(snapshotCatalog(db)).toBe(before)
  })

  it('a single frame becomes a PNG with exactly the decoded pixels', async () => {
    const f = writeDicom(join(tmp.path, 'still.dcm'), {
      transferSyntax: TS.explicit,
      sopInstanceUid: '1.2.826.0.1.3680043.2.1143.99.7',
      elements: [...pixelModule({ rows: 31, columns: 45, spp: 3, photometric: 'RGB' }), { tag: '00100010', vr: 'PN', value: 'Still^Patient' }],
      pixels: pattern(31 * 45 * 3, 4)
    })
    const r = await importDicomFile(db, f, { catalogPath, keys, probe: 'linear' })
    expect(r).toMatchObject({ kind: 'image', frames: 1, width: 45, height: 31, mediaRelPath: `pocus_images/linear/${r.filename}.png` })
    const png = decodeMedia(join(tmp.path, 'contributions', r.mediaRelPath), 'rgb24')
    expect(Buffer.compare(png, pattern(31 * 45 * 3, 4))).toBe(0)
  })
})

describe('odd sizes', () => {
  it('a cine with an odd number of rows gets one black row (4:2:0 needs even sides), never a rescale', async () => {
    const f = writeDicom(join(tmp.path, 'odd.dcm'), {
      transferSyntax: TS.implicit,
      sopInstanceUid: '1.2.826.0.1.3680043.2.1143.99.8',
      elements: [...pixelModule({ rows: 37, columns: 50, frames: 3, photometric: 'MONOCHROME2' }), { tag: '00181063', vr: 'DS', value: '100' }],
      pixels: Buffer.alloc(37 * 50 * 3, 200)
    })
    const r = await importDicomFile(db, f, { catalogPath, keys })
    const file = join(tmp.path, 'contributions', r.mediaRelPath)
    expect(await probeMedia(file)).toMatchObject({ frames: 3, width: 50, height: 38, fps: 10 })
    const first = decodeMedia(file, 'gray').subarray(0, 50 * 38)
    expect(meanAbs(first.subarray(0, 50 * 37), Buffer.alloc(50 * 37, 200))).toBeLessThan(2)
    expect(Math.max(...first.subarray(50 * 37))).toBeLessThan(40)
  })
})

describe('command line', () => {
  it('dicom-info prints the technical facts as JSON', () => {
    expect(JSON.parse(dicomInfoCommand(US_PAL))).toMatchObject({
      transferSyntaxUid: '1.2.840.10008.1.2.5',
      transferSyntaxName: 'RLE Lossless',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.3.1',
      sopClassName: 'Ultrasound Multi-frame Image Storage',
      modality: 'US',
      frames: 10,
      rows: 430,
      columns: 600,
      photometricInterpretation: 'PALETTE COLOR',
      frameRate: 13.158,
      importable: true
    })
    const xa = dicomInfoCommand(XA_JPEG)
    expect(JSON.parse(xa)).toMatchObject({ transferSyntaxName: 'JPEG Baseline (Process 1)', sopClassName: 'X-Ray Angiographic Image Storage', modality: 'XA', frames: 96, frameRate: 30.303 })
    expect(xa).not.toMatch(/Rubo|556342B/)
  })

  it('import FILE.dcm goes to the DICOM import; folders do not', async () => {
    expect(isDicomImport(US_PAL)).toBe(true)
    expect(isDicomImport(SHARED_DICOM)).toBe(false)
    const other = join(tmp.path, 'cli', 'catalog.db')
    mkdirSync(join(tmp.path, 'cli'))
    const out = await dicomImportCommand(US_PAL, { catalogPath: other, stateDir: join(tmp.path, 'state'), open: openSubmissionCatalog, label: 'covid', probe: 'convex' })
    expect(out).toMatch(/Imported a 10-frame video at 13\.16 fps \(600×430\) as "dicom_[0-9a-f]{12}"/)
    expect(existsSync(join(tmp.path, 'cli', 'contributions', 'dataset_metadata.csv'))).toBe(true)
    expect(existsSync(join(tmp.path, 'state', 'deid-secret.key'))).toBe(true)
    await expect(dicomImportCommand(US_PAL, { catalogPath: other, open: openSubmissionCatalog, label: 'flu' })).rejects.toThrow(/Unknown label "flu"/)
  })
})
