/**
 * Importing a DICOM file as a new catalog entry of the contributions source:
 * parse and check, de-identify, decode and re-encode the pixels (MP4 for
 * cine, PNG for a single frame), then write media row, entry and
 * de-identification record in one transaction. Media and summary files are
 * written first and removed again if the transaction fails, so a failed
 * import leaves neither rows nor files behind.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { labelToCsv, genderToCsv } from '../../shared/csvConventions'
import { CSV_COLUMNS, type Label, type Probe } from '../../shared/vocabulary'
import type { CatalogDb } from '../catalog/database'
import { EntriesTable } from '../catalog/entriesTable'
import { columnIndex } from '../dataset/normalize'
import { deidentify, type DeidSummary } from '../deid/deidentify'
import { loadOrCreateKeys, type DeidKeys } from '../deid/keys'
import { decodeDicom } from '../dicom/decode'
import { encodeDecoded } from '../dicom/encode'
import { imageInfo } from '../dicom/imageInfo'
import { readDicomFile } from '../dicom/readDicom'
import { UserError } from '../errors'
import { probeMedia, type ProbeResult } from '../media/probe'
import { LICENSE_LINKS, type KnownLicense } from '../../shared/submissionContract'
import { contributionsRoot, ensureContributionsFolder, insertContribution, SUMMARY_FOLDER } from './contributions'
import { produceFileAtomic, writeFileAtomic } from '../fs/atomicWrite'
import { sha256File } from '../media/contentHash'
import { datasetDate } from './datasetDate'
import { requireSubmissionSchema } from './schema'

export interface DicomImportOptions {
  /** The catalog file: the contributions folder lives beside it. */
  catalogPath: string
  /** Overrides `<catalog dir>/contributions` (tests). */
  contributionsRoot?: string
  /** The per-installation secret; loaded from (or created in) `stateDir` when absent. */
  keys?: DeidKeys
  stateDir?: string
  label?: Label
  probe?: Probe
  license?: KnownLicense
  /** Provenance for the "URL (Video Name)" cell, e.g. "Data contributed by …". */
  provenance?: string
  onProgress?: (p: { done: number; total: number; message: string }) => void
  /** For tests: replaces ffprobe. */
  probeFile?: (file: string) => Promise<ProbeResult>
}

export interface DicomImportReport {
  entryId: number
  sourceId: number
  filename: string
  mediaRelPath: string
  summaryRelPath: string
  kind: 'video' | 'image'
  frames: number
  fps: number | null
  width: number
  height: number
  patientKey: string
  /** How many attributes were removed, replaced, kept, retained, not carried. */
  counts: DeidSummary['deidentification']['counts']
  warnings: string[]
  durationMs: number
}

const SEX_TO_GENDER = { M: 'male', F: 'female' } as const

function entryCells(stem: string, location: string, kind: 'video' | 'image', summary: DeidSummary, probe: ProbeResult, o: DicomImportOptions): string[] {
  const cells = CSV_COLUMNS.map(() => '')
  const set = (c: (typeof CSV_COLUMNS)[number], v: string): void => {
    cells[columnIndex(c)] = v
  }
  set('Date added', datasetDate(new Date()))
  set('Current location', location)
  set('Filename', stem)
  set('URL (Video Name)', o.provenance ?? '')
  if (o.label) set('Label', labelToCsv(o.label))
  if (o.license) {
    set('License', o.license)
    set('LinkToLicense', LICENSE_LINKS[o.license])
  }
  set('ChangesMade', 'N.A.')
  set('InThisRepo', 'Yes')
  set('Type', kind)
  if (o.probe) set('Probe', o.probe)
  if (kind === 'video' && summary.image.frameRate !== null) set('Framerate', String(Math.round(summary.image.frameRate * 100) / 100))
  set('Resolution', `${probe.width ?? summary.image.columns}x${probe.height ?? summary.image.rows}`)
  set('Length (frames)', String(kind === 'image' ? 1 : (probe.frames ?? summary.image.frames)))
  const sex = summary.patient.sex
  set('Gender', sex === 'M' || sex === 'F' ? genderToCsv(SEX_TO_GENDER[sex]) : '')
  if (summary.patient.ageYears !== null) set('Age', String(summary.patient.ageYears))
  set('Patient ID / Name', summary.patientKey)
  return cells
}

export async function importDicomFile(db: CatalogDb, file: string, options: DicomImportOptions): Promise<DicomImportReport> {
  const started = performance.now()
  requireSubmissionSchema(db)
  const progress = options.onProgress ?? (() => {})
  progress({ done: 0, total: 0, message: 'Reading the DICOM file' })
  const parsed = readDicomFile(file)
  const info = imageInfo(parsed)
  const keys = options.keys ?? loadOrCreateKeys(options.stateDir)
  const deid = deidentify(parsed, info, keys)

  const existing = db.prepare<[string], { entry_id: number }>('SELECT entry_id FROM deid_records WHERE instance_key = ?').get(deid.instanceKey)
  if (existing)
    throw new UserError('conflict', `${parsed.name} was already imported (catalog entry "${new EntriesTable(db).filename(existing.entry_id) ?? ''}").`)

  const root = ensureContributionsFolder(options.contributionsRoot ?? contributionsRoot(options.catalogPath))
  const kind = info.frames > 1 ? 'video' : 'image'
  // Named by the keyed instance digest: the original file name may itself name the patient.
  const stem = `dicom_${deid.instanceKey.slice(0, 12)}`
  const folder = `${kind === 'video' ? 'pocus_videos' : 'pocus_images'}${options.probe ? `/${options.probe}` : ''}`
  const relPath = `${folder}/${stem}.${kind === 'video' ? 'mp4' : 'png'}`
  const summaryRelPath = `${SUMMARY_FOLDER}/${stem}.json`
  const mediaAbs = join(root, relPath)
  const summaryAbs = join(root, summaryRelPath)
  mkdirSync(join(root, folder), { recursive: true })

  let committed = false
  try {
    progress({ done: 0, total: info.frames, message: `Decoding and encoding ${info.frames} frame(s)` })
    const decoded = decodeDicom(parsed, info)
    let done = 0
    const counted = {
      ...decoded,
      frames: async function* () {
        for await (const f of decoded.frames()) {
          yield f
          progress({ done: ++done, total: info.frames, message: `Frame ${done} of ${info.frames}` })
        }
      }
    }
    const { encoded, probe, sha256 } = await produceFileAtomic(
      mediaAbs,
      async (partial) => {
        const encoded = await encodeDecoded(counted, partial)
        const probe = await (options.probeFile ?? probeMedia)(partial).catch((e: unknown) => {
          throw new UserError('internal', `The encoded ${kind} could not be read back: ${(e as Error).message}`)
        })
        if (kind === 'video' && probe.frames !== encoded.frames)
          throw new UserError('internal', `The encoded video holds ${probe.frames} frames instead of ${encoded.frames}; nothing was imported.`)
        return { encoded, probe, sha256: await sha256File(partial) }
      },
      `${mediaAbs}.partial`
    )
    writeFileAtomic(summaryAbs, JSON.stringify({ ...deid.summary, media: relPath }, null, 2) + '\n')
    const st = statSync(mediaAbs)
    const cells = entryCells(stem, folder, kind, deid.summary, probe, options)
    progress({ done: info.frames, total: info.frames, message: 'Writing catalog' })
    const ids = db.transaction(() => {
      const r = insertContribution(db, root, cells, {
        relPath,
        stem,
        kind,
        sizeBytes: st.size,
        mtimeMs: Math.floor(st.mtimeMs),
        probe,
        sha256
      })
      db.prepare(
        `INSERT INTO deid_records (entry_id, patient_key, instance_key, summary, phi_digests, secret_fingerprint, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`
      ).run(r.entryId, deid.patientKey, deid.instanceKey, JSON.stringify(deid.summary), JSON.stringify(deid.phi), keys.fingerprint, new Date().toISOString())
      return r
    })()
    committed = true
    return {
      entryId: ids.entryId,
      sourceId: ids.sourceId,
      filename: stem,
      mediaRelPath: relPath,
      summaryRelPath,
      kind,
      frames: encoded.frames,
      fps: encoded.fps,
      width: encoded.width,
      height: encoded.height,
      patientKey: deid.patientKey,
      counts: deid.summary.deidentification.counts,
      warnings: deid.warnings,
      durationMs: Math.round(performance.now() - started)
    }
  } finally {
    if (!committed) for (const f of [mediaAbs, summaryAbs]) rmSync(f, { force: true })
  }
}
