/**
 * A submission bundle: a zip with the dataset's layout, ready to send to the
 * dataset's maintainers.
 *
 *   pocus_videos/<probe>/Cov_<source>_1.mp4 …   media, renamed to the dataset's convention
 *   pocus_images/<probe>/Reg_<source>_1.png …
 *   dataset_metadata.csv                          the rows, same 44 columns and dialect
 *   crop.json                                     the crops/trims applied (the dataset's form)
 *   deidentification/<name>.json                  de-identification summaries of DICOM-derived clips
 *   SUMMARY.md                                    what is in it, for a person
 *
 * Everything is built in a staging folder beside the output, scanned for
 * PHI (phiScan.ts), and only then zipped; a finding blocks the export and
 * nothing is written.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative, sep } from 'node:path'
import yazl from 'yazl'
import { LICENSE_LINKS, type BundleResult } from '../../shared/submissionContract'
import { LABEL_INFO, type CsvColumn } from '../../shared/vocabulary'
import type { CatalogDb } from '../catalog/database'
import { DATASET_DIALECT, DATASET_HEADER, serializeRecord, writeDatasetCsv } from '../dataset/csvCodec'
import { columnIndex } from '../dataset/normalize'
import type { DeidKeys } from '../deid/keys'
import { UserError } from '../errors'
import { neutralizeFormula } from '../../shared/spreadsheetFormula'
import { streamFileAtomic } from '../fs/atomicWrite'
import { exportTarget } from '../fs/exportTarget'
import type { ProbeResult } from '../media/probe'
import { probeMedia } from '../media/probe'
import { validateBundle, type BundleItem } from './bundleValidate'
import { changesMade, cropJsonValue, hasEdits } from './mediaEdits'
import { catalogPhiMatcher, scanFile, type PhiFinding } from './phiScan'
import { renderMedia } from './renderMedia'
import { requireSubmissionSchema } from './schema'

export interface BundleOptions {
  entryIds: readonly number[]
  sourceName: string
  outPath: string
  keys: DeidKeys
  onProgress?: (p: { done: number; total: number; message: string }) => void
  probeFile?: (file: string) => Promise<ProbeResult>
}

/** Thrown when the PHI scan finds something: carries the findings for the UI. */
export class PhiBlockedError extends UserError {
  constructor(readonly findings: PhiFinding[]) {
    super(
      'conflict',
      `The bundle was not written: the PHI scan found ${findings.length} problem(s): ` +
        findings
          .slice(0, 5)
          .map((f) => `${f.file} (${f.where}): ${f.what}`)
          .join('; ') +
        (findings.length > 5 ? '; …' : '.') +
        ' Remove the identifying text from the catalog and export again.'
    )
  }
}

interface Planned {
  item: BundleItem
  stem: string
  path: string
}

function plan(items: BundleItem[], sourceName: string): Planned[] {
  const counters = new Map<string, number>()
  return items.map((item) => {
    const n = (counters.get(item.prefix) ?? 0) + 1
    counters.set(item.prefix, n)
    const stem = `${item.prefix}_${sourceName}_${n}`
    const folder = item.kind === 'video' ? 'pocus_videos' : 'pocus_images'
    return { item, stem, path: `${folder}/${item.probe}/${stem}.${item.kind === 'video' ? 'mp4' : 'png'}` }
  })
}

function bundleRow(p: Planned, out: ProbeResult): string[] {
  const cells = [...p.item.cells]
  const set = (c: CsvColumn, v: string): void => {
    cells[columnIndex(c)] = v
  }
  set('Filename', p.stem)
  set('Current location', p.path.slice(0, p.path.lastIndexOf('/')))
  set('Label', LABEL_INFO[p.item.label].csv)
  set('Probe', p.item.probe)
  set('Type', p.item.kind)
  set('License', p.item.license)
  set('LinkToLicense', LICENSE_LINKS[p.item.license])
  set('InThisRepo', 'Yes')
  set('ChangesMade', changesMade(cells[columnIndex('ChangesMade')] ?? '', p.item.recordedEdits))
  if (out.width && out.height) set('Resolution', `${out.width}x${out.height}`)
  set('Length (frames)', String(p.item.kind === 'image' ? 1 : (out.frames ?? '')))
  if (p.item.kind === 'video' && out.fps) set('Framerate', String(Math.round(out.fps * 100) / 100))
  // A spreadsheet must show these cells, not run them.
  return cells.map(neutralizeFormula)
}

function summaryText(planned: Planned[], outs: ProbeResult[], warnings: BundleResult['warnings'], scanned: number): string {
  const count = (f: (p: Planned) => string): string =>
    [...planned.reduce((m, p) => m.set(f(p), (m.get(f(p)) ?? 0) + 1), new Map<string, number>())].map(([k, n]) => `${n} ${k}`).join(', ')
  const lines = [
    '# Submission bundle',
    '',
    `Made by LUS Review on ${new Date().toISOString().slice(0, 10)}: ${planned.length} clip(s): ${count((p) => LABEL_INFO[p.item.label].display)}; ${count((p) => `${p.item.probe} ${p.item.kind}`)}.`,
    '',
    'Licences: ' + count((p) => p.item.license) + '.',
    '',
    '| file | label | probe | type | frames | fps | size | changes | licence |',
    '|---|---|---|---|---|---|---|---|---|'
  ]
  planned.forEach((p, i) => {
    const o = outs[i]!
    lines.push(
      `| ${p.path} | ${LABEL_INFO[p.item.label].display} | ${p.item.probe} | ${p.item.kind} | ${o.frames ?? ''} | ${o.fps ?? ''} | ${o.width}x${o.height} | ${changesMade('', p.item.recordedEdits) || 'none'} | ${p.item.license} |`
    )
  })
  const fromDicom = planned.filter((p) => p.item.deidSummary).length
  lines.push(
    '',
    '## De-identification',
    '',
    fromDicom > 0
      ? `${fromDicom} clip(s) were imported from DICOM and de-identified with the DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile (with the Retain Patient Characteristics Option for age and sex); their media were re-encoded from the pixels, so no DICOM header is included. "Patient ID / Name" holds a pseudonymous key (a keyed hash), not an identifier; deidentification/ has one summary per clip.`
      : 'No clip was imported from DICOM.',
    '',
    `Every file of this bundle (${scanned} files) was scanned before it was written: no DICOM header, and none of the patient names, IDs, birth dates, addresses or staff names removed by the de-identifications of this catalog, in file names, CSV cells, texts or the strings inside the media. Burned-in text in the images cannot be found this way: it was handled by cropping and masks where marked in crop.json and ChangesMade.`,
    ''
  )
  if (warnings.length > 0) {
    lines.push('## Warnings', '')
    for (const w of warnings) lines.push(`- ${planned.find((p) => p.item.entryId === w.entryId)?.stem ?? w.filename}: ${w.field}: ${w.message}`)
    lines.push('')
  }
  return lines.join('\n')
}

function listFiles(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const abs = join(dir, n)
      if (statSync(abs).isDirectory()) walk(abs)
      else out.push(relative(root, abs).split(sep).join('/'))
    }
  }
  walk(root)
  return out
}

/** Zips the staging folder to `target` (from exportTarget): atomically, never through a link. */
async function zipFolder(root: string, files: string[], target: string): Promise<number> {
  const zip = new yazl.ZipFile()
  const mtime = new Date()
  for (const f of files) zip.addFile(join(root, f), f, { mtime, compress: !/\.(mp4|png)$/.test(f) })
  zip.end()
  return streamFileAtomic(target, zip.outputStream)
}

export async function exportBundle(db: CatalogDb, o: BundleOptions): Promise<BundleResult> {
  requireSubmissionSchema(db)
  const target = exportTarget(o.outPath, { extension: '.zip', noun: 'bundle file' })
  const validation = validateBundle(db, o.entryIds, o.sourceName)
  if (!validation.ok)
    throw new UserError(
      'bad_input',
      `The bundle cannot be made: ${validation.errors.length} problem(s): ` +
        validation.errors
          .slice(0, 5)
          .map((e) => `${e.filename || `entry ${e.entryId}`}: ${e.message}`)
          .join(' ') +
        (validation.errors.length > 5 ? ' …' : '')
    )
  const matcher = catalogPhiMatcher(db, o.keys)
  const planned = plan(validation.items, o.sourceName)
  const progress = o.onProgress ?? (() => {})
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.staging-`))
  try {
    const outs: ProbeResult[] = []
    let done = 0
    for (const p of planned) {
      progress({ done: done++, total: planned.length + 1, message: p.path })
      const dest = join(staging, p.path)
      mkdirSync(dirname(dest), { recursive: true })
      if (p.item.fromContributions && !hasEdits(p.item.edits)) {
        // Made by this app from pixels, with no metadata: copied as is (no second lossy encode).
        copyFileSync(p.item.mediaPath, dest)
        outs.push(await (o.probeFile ?? probeMedia)(dest))
      } else {
        // Re-encoded even without edits: drops whatever metadata the original container carried.
        outs.push(await renderMedia(p.item.mediaPath, dest, p.item.kind, p.item.edits, { label: p.item.filename, probeFile: o.probeFile }))
      }
    }
    progress({ done: planned.length, total: planned.length + 1, message: 'Writing metadata and scanning for PHI' })
    writeFileSync(
      join(staging, 'dataset_metadata.csv'),
      writeDatasetCsv({
        dialect: DATASET_DIALECT,
        headerRaw: DATASET_HEADER,
        records: planned.map((p, i) => serializeRecord(bundleRow(p, outs[i]!)))
      })
    )
    const crops: Record<string, unknown> = {}
    planned.forEach((p) => {
      const e = p.item.recordedEdits
      if (e.crop) crops[p.path] = cropJsonValue(e.crop, e.trim, { kind: p.item.kind, frames: p.item.frames })
    })
    writeFileSync(join(staging, 'crop.json'), JSON.stringify(crops, null, 4))
    for (const p of planned) {
      if (!p.item.deidSummary) continue
      mkdirSync(join(staging, 'deidentification'), { recursive: true })
      writeFileSync(join(staging, 'deidentification', `${p.stem}.json`), JSON.stringify({ ...(JSON.parse(p.item.deidSummary) as object), media: p.path }, null, 2) + '\n')
    }
    const files = [...listFiles(staging), 'SUMMARY.md']
    writeFileSync(join(staging, 'SUMMARY.md'), summaryText(planned, outs, validation.warnings, files.length))
    const findings = files.flatMap((f) => scanFile(f, join(staging, f), matcher))
    if (findings.length > 0) throw new PhiBlockedError(findings)
    const bytes = await zipFolder(staging, files.sort(), target)
    progress({ done: planned.length + 1, total: planned.length + 1, message: 'Done' })
    return {
      outPath: o.outPath,
      bytes,
      entries: planned.map((p) => ({ entryId: p.item.entryId, filename: p.stem, path: p.path })),
      warnings: validation.warnings,
      phiFindings: []
    }
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}
