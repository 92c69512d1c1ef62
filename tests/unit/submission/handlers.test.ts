/**
 * The submission operations as the app calls them: arguments validated by
 * the contract's schemas, results that satisfy them, long work as jobs.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import type { CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { createSubmissionHandlers, type SubmissionServices } from '../../../src/main/submission/handlers'
import { SUBMISSION_OPERATION_NAMES, type SubmissionOperationName } from '../../../src/shared/operations'
import { submissionContract } from '../../../src/shared/submissionContract'
import { makeDataset, row } from '../../helpers/fixtures'
import { SHARED_DICOM, tempDir } from '../../helpers/paths'
import { pattern, pixelModule, TS, writeDicom } from '../dicom/dicomBuilder'
import { openSubmissionCatalog } from './submissionCatalog'

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let s: SubmissionServices

/** Calls an operation the way dispatch does: parse the arguments, run, check the result against the contract. */
async function call<K extends SubmissionOperationName>(op: K, args: z.input<(typeof submissionContract)[K]['args']>): Promise<z.output<(typeof submissionContract)[K]['result']>> {
  const parsed = submissionContract[op].args.parse(args)
  const handler = s.handlers[op] as (a: unknown) => unknown
  const result = await handler(parsed)
  return submissionContract[op].result.parse(result) as z.output<(typeof submissionContract)[K]['result']>
}

beforeAll(async () => {
  tmp = tempDir('lus-handlers-')
  const catalogPath = join(tmp.path, 'catalog.db')
  db = openSubmissionCatalog(catalogPath)
  makeDataset(join(tmp.path, 'ds'), [row('clip-a', { 'URL (Video Name)': 'https://example.org' })], { 'pocus_videos/convex/clip-a.mp4': 'clip' })
  await importDataset(db, join(tmp.path, 'ds'))
  s = createSubmissionHandlers({ db, catalogPath, stateDir: join(tmp.path, 'state') })
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

describe('contract', () => {
  it('has a handler for every operation and strict arguments', () => {
    expect(Object.keys(s.handlers).sort()).toEqual([...SUBMISSION_OPERATION_NAMES].sort())
    expect(submissionContract['submission/edits/set'].args.safeParse({ entryId: 1, crop: null, trim: null, masks: [], extra: 1 }).success).toBe(false)
    expect(submissionContract['submission/importDicom'].args.safeParse({ paths: ['/x.dcm'], license: 'CC BY 2.0' }).success).toBe(false)
  })
})

describe('operations', () => {
  it('importDicom runs as a job and reports each file; bad files are listed, good ones imported', async () => {
    const bad = join(tmp.path, 'bad.dcm')
    writeFileSync(bad, 'not dicom')
    const named = writeDicom(join(tmp.path, 'named.dcm'), {
      transferSyntax: TS.implicit,
      elements: [...pixelModule({ rows: 8, columns: 8, photometric: 'MONOCHROME2' }), { tag: '00100010', vr: 'PN', value: 'Zyxwv^Quentin' }, { tag: '00100020', vr: 'LO', value: 'HX-99812' }],
      pixels: pattern(64)
    })
    const { jobId } = await call('submission/importDicom', { paths: [join(SHARED_DICOM, 'US-PAL-8-10x-echo.dcm'), bad, named], label: 'healthy', probe: 'convex', license: 'CC0 1.0', provenance: 'Handlers test' })
    await s.jobs.wait(jobId)
    const job = await call('submission/job', { jobId })
    expect(job).toMatchObject({ kind: 'dicom-import', state: 'done' })
    expect(job.imports).toHaveLength(2)
    expect(job.imports[1]).toMatchObject({ kind: 'image', width: 8, height: 8 })
    expect(job.failures).toEqual([{ item: bad, error: expect.stringMatching(/bad\.dcm is not a DICOM file/) }])
    const entryId = job.imports[0]!.entryId
    const summary = await call('submission/deidSummary', { entryId })
    expect(summary).toMatchObject({ modality: 'US', image: { frames: 10 } })
    await expect(call('submission/deidSummary', { entryId: 1 })).rejects.toThrow(/was not imported from a DICOM file/)
  })

  it('edits: set, get, and a crop outside the frame refused', async () => {
    const info = await call('submission/edits/set', { entryId: 1, crop: { top: 0, left: 8, size: 40 }, trim: { start: 2, end: 9.0 }, masks: [] })
    expect(info).toMatchObject({ crop: { top: 0, left: 8, size: 40 }, media: { width: 64, height: 48, frames: 12 }, changesMade: 'Cropping, frame subselection' })
    await expect(call('submission/edits/set', { entryId: 1, crop: { top: 10, left: 0, size: 48 }, trim: null, masks: [] })).rejects.toThrow(/reaches outside the 64×48 frame/)
    expect((await call('submission/edits/get', { entryId: 1 })).crop).toEqual({ top: 0, left: 8, size: 40 })
  })

  it('crop.json import and export', async () => {
    const f = join(tmp.path, 'crop.json')
    writeFileSync(f, JSON.stringify({ 'pocus_videos/convex/clip-a.mp4': [[1, 2, 30], [0, 12.0]], 'pocus_videos/convex/unknown.mp4': [[0, 0, 10], [0, 1]] }))
    const r = await call('submission/cropJson/import', { path: f })
    expect(r).toEqual({ applied: [{ key: 'pocus_videos/convex/clip-a.mp4', entryId: 1, checked: true }], unmatched: ['pocus_videos/convex/unknown.mp4'], rejected: [] })
    const out = await call('submission/cropJson/export', {})
    expect(JSON.parse(out.json)).toEqual({ 'pocus_videos/convex/clip-a.mp4': [[1, 2, 30], [0, 12]] })
  })

  it('bundle: validate, export as a job; a PHI finding fails the job with the findings', async () => {
    const ids = new CatalogRepository(db).list().map((e) => e.id)
    const v = await call('submission/bundle/validate', { entryIds: ids, sourceName: 'handlers' })
    expect(v.errors.map((e) => e.field)).toEqual([]) // clip-a: CC BY 4.0, COVID-19, convex, video
    const out = join(tmp.path, 'out', 'bundle.zip')
    mkdirSync(join(tmp.path, 'out'))
    const { jobId } = await call('submission/bundle/export', { entryIds: ids, sourceName: 'handlers', outPath: out })
    const job = await s.jobs.wait(jobId)
    expect(job.error).toBeNull()
    expect(job.bundle?.entries.map((e) => e.path)).toEqual(['pocus_videos/convex/Cov_handlers_1.mp4', 'pocus_videos/convex/Reg_handlers_1.mp4', 'pocus_images/convex/Reg_handlers_2.png'])
    expect(existsSync(out)).toBe(true)

    new CatalogRepository(db).update(1, { Title: 'Follow-up of Quentin Zyxwv (HX-99812)' })
    const blocked = join(tmp.path, 'out', 'blocked.zip')
    const second = await s.jobs.wait((await call('submission/bundle/export', { entryIds: ids, sourceName: 'handlers', outPath: blocked })).jobId)
    expect(second.state).toBe('failed')
    expect(second.error).toMatch(/the PHI scan found 1 problem/)
    expect(second.bundle?.phiFindings).toEqual([{ file: 'dataset_metadata.csv', where: 'row 1, column "Title"', what: 'a patient name from a de-identified DICOM' }])
    expect(existsSync(blocked)).toBe(false)
    expect(() => s.handlers['submission/job']({ jobId: 'nope' })).toThrow(/No job nope/)
  })

  it('PACS settings through the operations; an unset PACS is a clear error', async () => {
    await expect(call('pacs/search', {})).rejects.toThrow(/No PACS is configured/)
    expect(await call('pacs/config/set', { url: 'http://127.0.0.1:9/dicom-web', username: 'u', password: 'p' })).toMatchObject({ hasPassword: true })
    expect(await call('pacs/config/get', {})).toMatchObject({ url: 'http://127.0.0.1:9/dicom-web', username: 'u', hasPassword: true })
    await expect(call('pacs/search', {})).rejects.toThrow(/cannot be reached/)
  })

  it('rebuild jobs report missing inputs as failures of the job', async () => {
    const { jobId } = await call('submission/rebuild/butterfly', { zipPath: join(tmp.path, 'none.zip') })
    const job = await s.jobs.wait(jobId)
    expect(job.state).toBe('failed')
    expect(job.error).toMatch(/Cannot read the list of Butterfly clips \(data_from_butterfly\.json\)/)
  })
})
