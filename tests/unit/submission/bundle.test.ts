/**
 * Submission bundles: validation, the dataset layout and naming, the CSV in
 * the dataset's 44 columns and dialect, crop.json, the summary — and the
 * PHI scan that blocks the export when anything identifying is left.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import yauzl from 'yauzl'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import type { CatalogDb } from '../../../src/main/catalog/database'
import { bundleCommand } from '../../../src/main/cli/bundleCommand'
import { parseDatasetCsv } from '../../../src/main/dataset/csvCodec'
import { columnIndex } from '../../../src/main/dataset/normalize'
import { keysFromSecret, loadOrCreateKeys } from '../../../src/main/deid/keys'
import { PhiMatcher, type PhiDigest } from '../../../src/main/deid/phiTokens'
import { UserError } from '../../../src/main/errors'
import { ffmpegPath } from '../../../src/main/media/ffmpegPaths'
import { probeMedia } from '../../../src/main/media/probe'
import { exportBundle, PhiBlockedError } from '../../../src/main/submission/bundleExport'
import { validateBundle } from '../../../src/main/submission/bundleValidate'
import { importDicomFile } from '../../../src/main/submission/dicomImport'
import { EditsStore } from '../../../src/main/submission/editsStore'
import { findDicomHeader, scanFile, textRegions } from '../../../src/main/submission/phiScan'
import { SHARED_DICOM, tempDir } from '../../helpers/paths'
import { openSubmissionCatalog } from './submissionCatalog'

const US_PAL = join(SHARED_DICOM, 'US-PAL-8-10x-echo.dcm')
const XA_JPEG = join(SHARED_DICOM, 'xa-jpeg-baseline-96f.dcm')

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let catalogPath: string
let stateDir: string
let us: number
let xa: number
const keys = () => loadOrCreateKeys(stateDir)

async function unzip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true })
  const out = new Map<string, Buffer>()
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      void zip.openReadStreamPromise(e).then(async (s) => {
        const chunks: Buffer[] = []
        for await (const c of s) chunks.push(c as Buffer)
        out.set(e.fileName, Buffer.concat(chunks))
        zip.readEntry()
      }, reject)
    })
    zip.on('end', resolve)
    zip.readEntry()
  })
  return out
}

beforeAll(async () => {
  tmp = tempDir('lus-bundle-')
  catalogPath = join(tmp.path, 'catalog.db')
  stateDir = join(tmp.path, 'state')
  db = openSubmissionCatalog(catalogPath)
  const provenance = 'Data contributed by the test clinic'
  us = (await importDicomFile(db, US_PAL, { catalogPath, stateDir, label: 'healthy', probe: 'convex', license: 'CC BY 4.0', provenance })).entryId
  xa = (await importDicomFile(db, XA_JPEG, { catalogPath, stateDir, label: 'covid', probe: 'linear', license: 'CC BY-NC 4.0', provenance })).entryId
  new EditsStore(db).set(xa, { crop: { top: 6, left: 0, size: 500 }, trim: { start: 10, end: 40.0 }, masks: [{ x: 0, y: 6, width: 80, height: 20 }] })
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

describe('validation', () => {
  it('errors for what the dataset needs, warnings for missing patient data', () => {
    const repo = new CatalogRepository(db)
    const v = validateBundle(db, [us, xa], 'testclinic')
    expect(v.ok).toBe(true)
    expect(v.warnings.map((w) => `${w.entryId}:${w.field}`)).toEqual(expect.arrayContaining([`${us}:Gender`, `${us}:Age`, `${us}:symptoms`, `${us}:burned-in text`, `${xa}:Age`]))
    expect(v.warnings.map((w) => `${w.entryId}:${w.field}`)).not.toContain(`${xa}:burned-in text`) // it has a crop and masks

    const saved = repo.cells(us)
    repo.update(us, { Label: 'Other', License: 'CC BY 2.0', Probe: 'phased', 'URL (Video Name)': '', Type: 'image' })
    const bad = validateBundle(db, [us], 'testclinic')
    repo.update(us, Object.fromEntries(['Label', 'License', 'Probe', 'URL (Video Name)', 'Type'].map((c) => [c, saved[columnIndex(c as 'Label')]!])))
    expect(bad.ok).toBe(false)
    expect(bad.errors.map((e) => e.field)).toEqual(['Label', 'Probe', 'License', 'URL (Video Name)', 'Type'])
    expect(bad.errors.find((e) => e.field === 'License')?.message).toMatch(/"CC BY 2\.0" is not one of the licences a submission can carry \(CC BY 4\.0, CC BY-NC 4\.0, CC BY-SA 4\.0, CC BY-NC-SA 4\.0, CC BY-ND 4\.0, CC BY-NC-ND 4\.0, CC0 1\.0\)/)
    expect(bad.errors.find((e) => e.field === 'Label')?.message).toMatch(/no dataset file prefix/)
    expect(() => validateBundle(db, [us], 'my clinic/..')).toThrow(/source name "my clinic\/\.\." must be letters, digits or hyphens/)
  })
})

describe('export', () => {
  it('writes the dataset layout, names, CSV, crop.json, summaries; media as rendered', async () => {
    const out = join(tmp.path, 'bundle.zip')
    const r = await exportBundle(db, { entryIds: [us, xa], sourceName: 'testclinic', outPath: out, keys: keys() })
    expect(r.entries.map((e) => e.path)).toEqual(['pocus_videos/convex/Reg_testclinic_1.mp4', 'pocus_videos/linear/Cov_testclinic_1.mp4'])
    const files = await unzip(out)
    expect([...files.keys()].sort()).toEqual([
      'SUMMARY.md',
      'crop.json',
      'dataset_metadata.csv',
      'deidentification/Cov_testclinic_1.json',
      'deidentification/Reg_testclinic_1.json',
      'pocus_videos/convex/Reg_testclinic_1.mp4',
      'pocus_videos/linear/Cov_testclinic_1.mp4'
    ])
    // The CSV: the dataset's header and dialect (CRLF, no final newline), 44 cells per row, read back by the app's own parser.
    const csv = parseDatasetCsv(files.get('dataset_metadata.csv')!)
    expect(csv.dialect).toEqual({ recordDelimiter: '\r\n', finalNewline: false, bom: false })
    expect(csv.records).toHaveLength(2)
    const [reg, cov] = csv.records.map((rec) => (c: Parameters<typeof columnIndex>[0]) => rec.cells[columnIndex(c)])
    expect(reg!('Filename')).toBe('Reg_testclinic_1')
    expect(reg!('Label')).toBe('regular')
    expect(reg!('Current location')).toBe('pocus_videos/convex')
    expect(reg!('ChangesMade')).toBe('N.A.')
    expect(reg!('Length (frames)')).toBe('10')
    expect(cov!('Filename')).toBe('Cov_testclinic_1')
    expect(cov!('Label')).toBe('COVID-19')
    expect(cov!('License')).toBe('CC BY-NC 4.0')
    expect(cov!('LinkToLicense')).toBe('https://creativecommons.org/licenses/by-nc/4.0/')
    expect(cov!('ChangesMade')).toBe('Cropping, Artifact removal, frame subselection')
    expect(cov!('Resolution')).toBe('500x500')
    expect(cov!('Length (frames)')).toBe('30')
    expect(cov!('Patient ID / Name')).toMatch(/^P-[0-9a-f]{12}$/)
    // crop.json in the dataset's form, keyed by the bundle's paths.
    expect(JSON.parse(files.get('crop.json')!.toString())).toEqual({ 'pocus_videos/linear/Cov_testclinic_1.mp4': [[6, 0, 500], [10, 40]] })
    // Media: the cine at 500×500, 30 frames; the ultrasound untouched (copied, 10 frames).
    const dir = join(tmp.path, 'unzipped')
    mkdirSync(dir)
    writeFileSync(join(dir, 'cov.mp4'), files.get('pocus_videos/linear/Cov_testclinic_1.mp4')!)
    expect(await probeMedia(join(dir, 'cov.mp4'))).toMatchObject({ width: 500, height: 500, frames: 30, codec: 'h264' })
    writeFileSync(join(dir, 'reg.mp4'), files.get('pocus_videos/convex/Reg_testclinic_1.mp4')!)
    expect(await probeMedia(join(dir, 'reg.mp4'))).toMatchObject({ width: 600, height: 430, frames: 10 })
    const summary = files.get('SUMMARY.md')!.toString()
    expect(summary).toMatch(/2 clip\(s\)/)
    expect(summary).toMatch(/Basic Application Level Confidentiality Profile/)
    expect(JSON.parse(files.get('deidentification/Cov_testclinic_1.json')!.toString())).toMatchObject({ media: 'pocus_videos/linear/Cov_testclinic_1.mp4', modality: 'XA' })
    // No staging folder is left beside the output.
    expect(readdirSync(tmp.path).filter((n) => n.includes('staging'))).toEqual([])
  })

  it('the PHI scan catches a patient name planted in a CSV cell and writes nothing', async () => {
    const repo = new CatalogRepository(db)
    repo.update(xa, { 'Comments first medical doctor (MD1)': 'B-lines; pt. Rubo Demo, 2nd exam' })
    const out = join(tmp.path, 'blocked.zip')
    const e = await exportBundle(db, { entryIds: [us, xa], sourceName: 'testclinic', outPath: out, keys: keys() }).catch((x: unknown) => x)
    repo.update(xa, { 'Comments first medical doctor (MD1)': '' })
    expect(e).toBeInstanceOf(PhiBlockedError)
    expect((e as PhiBlockedError).findings).toEqual([
      { file: 'dataset_metadata.csv', where: 'row 2, column "Comments first medical doctor (MD1)"', what: 'a patient name from a de-identified DICOM' }
    ])
    expect((e as Error).message).not.toMatch(/Rubo/)
    expect(existsSync(out)).toBe(false)
    expect(readdirSync(tmp.path).filter((n) => n.includes('staging'))).toEqual([])
  })

  it('the PHI scan catches a patient ID used as the source name (file names) and a birth date in the provenance', async () => {
    const e = await exportBundle(db, { entryIds: [xa], sourceName: '556342B', outPath: join(tmp.path, 'b2.zip'), keys: keys() }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(PhiBlockedError)
    expect((e as PhiBlockedError).findings.map((f) => f.where)).toContain('file name')
    const repo = new CatalogRepository(db)
    repo.update(xa, { 'URL (Video Name)': 'Clinic X, patient born 25.10.1995' })
    const e2 = await exportBundle(db, { entryIds: [xa], sourceName: 'testclinic', outPath: join(tmp.path, 'b3.zip'), keys: keys() }).catch((x: unknown) => x)
    repo.update(xa, { 'URL (Video Name)': 'Data contributed by the test clinic' })
    expect((e2 as PhiBlockedError).findings[0]).toMatchObject({ file: 'dataset_metadata.csv', what: 'a birth date from a de-identified DICOM' })
  })

  it('refuses to scan with another installation\'s secret', async () => {
    const e = await exportBundle(db, { entryIds: [us], sourceName: 'testclinic', outPath: join(tmp.path, 'b4.zip'), keys: keysFromSecret(Buffer.alloc(32, 9)) }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UserError)
    expect((e as Error).message).toMatch(/made with another installation's secret/)
  })

  it('bundle command: default selection is the contributions; --filter narrows', async () => {
    const out = join(tmp.path, 'cli.zip')
    const text = await bundleCommand({ catalogPath, out, filter: ['label=covid'], sourceName: 'cli', stateDir })
    expect(text).toMatch(/Wrote .*cli\.zip .*1 clip\(s\), the PHI scan found nothing/)
    expect([...(await unzip(out)).keys()]).toContain('pocus_videos/linear/Cov_cli_1.mp4')
    const all = await bundleCommand({ catalogPath, out: join(tmp.path, 'all.zip'), stateDir })
    expect(all).toMatch(/2 clip\(s\)/)
    await expect(bundleCommand({ catalogPath, out: join(tmp.path, 'x.zip'), filter: ['colour=red'], stateDir })).rejects.toThrow(/Unknown --filter key "colour"/)
  })
})

describe('scanning media bytes', () => {
  it('finds a DICOM header and names hidden in container metadata', () => {
    const dicom = readFileSync(US_PAL)
    expect(findDicomHeader(dicom)).toMatch(/DICM" at byte 128/)
    expect(findDicomHeader(Buffer.concat([Buffer.alloc(1000, 1), dicom.subarray(128)]))).toMatch(/group 0002/)
    expect(findDicomHeader(Buffer.from('no marker here DICM but no group after'))).toBeNull()

    const f = join(tmp.path, 'tagged.mp4')
    execFileSync(ffmpegPath()!, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48', '-frames:v', '3', '-metadata', 'title=Rubo Demo', '-pix_fmt', 'yuv420p', f])
    const digests = db.prepare<[], { phi_digests: string }>('SELECT phi_digests FROM deid_records').all().flatMap((r) => JSON.parse(r.phi_digests) as PhiDigest[])
    const findings = scanFile('pocus_videos/x.mp4', f, new PhiMatcher(keys(), digests))
    expect(findings).toEqual([{ file: 'pocus_videos/x.mp4', where: 'text inside the media file', what: 'a patient name from a de-identified DICOM' }])
  })
})

describe('media text regions', () => {
  it('skip the coded pixels of MP4 and PNG but keep their metadata', async () => {
    const f = join(tmp.path, 'regions.mp4')
    execFileSync(ffmpegPath()!, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '50', '-metadata', 'comment=Hello World Comment', '-pix_fmt', 'yuv420p', f])
    const bytes = readFileSync(f)
    const regions = textRegions(bytes, '.mp4')
    const kept = regions.reduce((n, r) => n + r.length, 0)
    expect(kept).toBeLessThan(bytes.length / 4)
    expect(Buffer.concat(regions).toString('latin1')).toContain('Hello World Comment')
    // Random bytes: no structure, searched whole.
    expect(textRegions(Buffer.from('not an mp4 at all'), '.mp4')).toHaveLength(1)
    const png = join(tmp.path, 'regions.png')
    execFileSync(ffmpegPath()!, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1', '-metadata', 'comment=Png Text Chunk', png])
    const pb = readFileSync(png)
    expect(textRegions(pb, '.png').reduce((n, r) => n + r.length, 0)).toBeLessThan(pb.length / 2)
  })
})
