/**
 * PACS pull against a real Orthanc on loopback: the shared DICOM samples are
 * uploaded through its REST API, found with QIDO-RS, retrieved with WADO-RS
 * and imported (de-identified) through the same handlers the app uses.
 *
 * Needs Debian's orthanc and orthanc-dicomweb; without them these tests fail
 * with that message, unless LUS_SKIP_ORTHANC=1.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import type { CatalogDb } from '../../../src/main/catalog/database'
import { probeMedia } from '../../../src/main/media/probe'
import { createSubmissionHandlers, type SubmissionServices } from '../../../src/main/submission/handlers'
import { DicomWebClient } from '../../../src/main/submission/pacs/dicomweb'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { SHARED_DICOM, tempDir } from '../../helpers/paths'
import { openSubmissionCatalog } from '../../unit/submission/submissionCatalog'
import { ORTHANC_PASSWORD, ORTHANC_USER, startOrthanc, type RunningOrthanc } from './orthanc'

const skip = process.env.LUS_SKIP_ORTHANC === '1'

describe.skipIf(skip)('PACS pull from a real Orthanc (DICOMweb)', () => {
  let tmp: ReturnType<typeof tempDir>
  let orthanc: RunningOrthanc
  let db: CatalogDb
  let catalogPath: string
  let services: SubmissionServices

  beforeAll(async () => {
    tmp = tempDir('lus-orthanc-')
    orthanc = await startOrthanc(join(tmp.path, 'orthanc'))
    for (const f of ['US-PAL-8-10x-echo.dcm', 'xa-jpeg-baseline-96f.dcm']) {
      const r = await fetch(`${orthanc.base}/instances`, { method: 'POST', headers: { Authorization: orthanc.auth, 'Content-Type': 'application/dicom' }, body: readFileSync(join(SHARED_DICOM, f)) })
      expect(r.status, `upload of ${f}: ${await r.clone().text()}`).toBe(200)
    }
    catalogPath = join(tmp.path, 'catalog.db')
    db = openSubmissionCatalog(catalogPath)
    services = createSubmissionHandlers({ db, catalogPath, stateDir: join(tmp.path, 'state') })
  }, 60_000)

  afterAll(async () => {
    db?.close()
    await orthanc?.stop()
    tmp?.cleanup()
  })

  it('stores the PACS settings with the password encrypted', async () => {
    const h = services.handlers
    expect(await h['pacs/config/set']({ url: orthanc.dicomWeb, username: ORTHANC_USER, password: ORTHANC_PASSWORD })).toMatchObject({ url: orthanc.dicomWeb, username: ORTHANC_USER, hasPassword: true })
    expect(readFileSync(join(tmp.path, 'state', 'pacs.json'), 'utf8')).not.toContain(ORTHANC_PASSWORD)
  })

  it('searches studies by modality, date and patient (QIDO-RS)', async () => {
    const h = services.handlers
    const us = await h['pacs/search']({ modality: 'US' })
    expect(us.studies).toHaveLength(1)
    expect(us.studies[0]).toMatchObject({ modalities: ['US'], description: 'Echocardiogram' })
    const xa = await h['pacs/search']({ modality: 'XA', dateFrom: '19941001', dateTo: '19941031' })
    expect(xa.studies).toHaveLength(1)
    expect(xa.studies[0]).toMatchObject({ date: '19941013', patientId: '556342B' })
    expect((await h['pacs/search']({ modality: 'XA', dateFrom: '20000101' })).studies).toEqual([])
    expect((await h['pacs/search']({ modality: 'XA', patientId: '556342B' })).studies).toHaveLength(1)
    expect((await h['pacs/search']({ modality: 'XA', patientName: 'Rubo*' })).studies).toHaveLength(1)
    const series = await h['pacs/series']({ studyUid: xa.studies[0]!.studyUid })
    expect(series.series).toEqual([expect.objectContaining({ modality: 'XA', instanceCount: 1 })])
  })

  it('pulls both studies (WADO-RS) into the catalog, de-identified, with progress', async () => {
    const h = services.handlers
    for (const [modality, label, frames] of [['US', 'healthy', 10], ['XA', 'covid', 96]] as const) {
      const { studies } = await h['pacs/search']({ modality })
      const { jobId } = await h['pacs/pull']({ studyUid: studies[0]!.studyUid, label, probe: 'convex', license: 'CC BY 4.0', provenance: 'Orthanc test' })
      const seen = new Set<string>()
      let job = await h['submission/job']({ jobId })
      while (job.state === 'running') {
        seen.add(job.message)
        await new Promise((r) => setTimeout(r, 20))
        job = await h['submission/job']({ jobId })
      }
      expect(job.error).toBeNull()
      expect(job.state).toBe('done')
      expect(job.failures).toEqual([])
      expect(job.imports).toHaveLength(1)
      expect(job.imports[0]).toMatchObject({ kind: 'video', frames })
      expect([...seen].some((m) => /Retrieving|Importing|Listing/.test(m))).toBe(true)
      const media = await probeMedia(join(tmp.path, 'contributions', job.imports[0]!.mediaRelPath))
      expect(media.frames).toBe(frames)
      expect(new CatalogRepository(db).get(job.imports[0]!.entryId).summary.mediaStatus).toBe('linked')
    }
    const everything = snapshotCatalog(db)
    for (const v of ['Rubo', '556342B', '19951025', '1.3.12.2.1107.5.4.3']) expect(everything.includes(v), v).toBe(false)
  })

  it('a second pull of the same study imports nothing and says why', async () => {
    const h = services.handlers
    const before = snapshotCatalog(db)
    const { studies } = await h['pacs/search']({ modality: 'US' })
    const { jobId } = await h['pacs/pull']({ studyUid: studies[0]!.studyUid })
    const job = await services.jobs.wait(jobId)
    expect(job.state).toBe('done')
    expect(job.imports).toEqual([])
    expect(job.failures[0]!.error).toMatch(/was already imported/)
    expect(snapshotCatalog(db)).toBe(before)
  })

  it('a wrong password, a wrong path and a stopped server give clear messages', async () => {
    await expect(new DicomWebClient({ url: orthanc.dicomWeb, username: ORTHANC_USER, password: 'wrong' }).searchStudies({})).rejects.toThrow(/refused the login of "lus" \(HTTP 401/)
    await expect(new DicomWebClient({ url: `${orthanc.base}/not-dicom-web`, username: ORTHANC_USER, password: ORTHANC_PASSWORD }).searchStudies({})).rejects.toThrow(/has no DICOMweb resource .*HTTP 404/)
    const before = snapshotCatalog(db)
    const { studies } = await services.handlers['pacs/search']({ modality: 'XA' })
    await orthanc.stop()
    const { jobId } = await services.handlers['pacs/pull']({ studyUid: studies[0]!.studyUid })
    const job = await services.jobs.wait(jobId)
    expect(job.state).toBe('failed')
    expect(job.error).toMatch(/The PACS at http:\/\/127\.0\.0\.1:\d+ cannot be reached: the connection was refused/)
    expect(snapshotCatalog(db)).toBe(before)
  })
})

describe.runIf(skip)('Orthanc integration', () => {
  it('skipped: LUS_SKIP_ORTHANC=1', () => {
    expect(skip).toBe(true)
  })
})
