/**
 * `lus-review dicom-info FILE` and `lus-review import FILE.dcm`, as functions
 * the command line (src/main/cli.ts) dispatches to. Both run under plain Node.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { Command } from 'commander'
import { LABELS, PROBES, type Label, type Probe } from '../../shared/vocabulary'
import { KNOWN_LICENSES, type KnownLicense } from '../../shared/submissionContract'
import { openCatalog, type CatalogDb } from '../catalog/database'
import { dicomInfo } from '../dicom/dicomInfo'
import { importDicomFile, type DicomImportReport } from '../submission/dicomImport'
import { action, CONSOLE, jsonOption, UsageError, type CommandIo } from './commandKit'

/** `dicom-info FILE`: the technical facts as JSON (no patient attribute is ever printed). */
export function dicomInfoCommand(file: string): string {
  return JSON.stringify(dicomInfo(resolve(file)), null, 2)
}

/**
 * Whether `import PATH` means a DICOM file rather than a dataset folder: a
 * file named .dcm, or any file with the DICM marker at byte 128. cli.ts
 * sends those here and folders to the dataset import.
 */
export function isDicomImport(path: string): boolean {
  let st
  try {
    st = statSync(path)
  } catch {
    return false
  }
  if (!st.isFile()) return false
  if (extname(path).toLowerCase() === '.dcm') return true
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(132)
    return readSync(fd, head, 0, 132, 0) === 132 && head.toString('latin1', 128, 132) === 'DICM'
  } finally {
    closeSync(fd)
  }
}

export interface DicomImportCommandOptions {
  catalogPath: string
  label?: string | undefined
  probe?: string | undefined
  license?: string | undefined
  provenance?: string | undefined
  /** Where the de-identification secret lives (default: the user-data directory). */
  stateDir?: string
  /** How to open the catalog (tests open it with their migration list). */
  open?: (path: string) => CatalogDb
  /** Progress lines, e.g. to stderr on a TTY. */
  onProgress?: (line: string) => void
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string, option: string): T | undefined {
  if (value === undefined) return undefined
  const v = allowed.find((a) => a.toLowerCase() === value.toLowerCase())
  if (!v) throw new UsageError(`Unknown ${what} "${value}" for --${option}; use one of: ${allowed.join(', ')}`)
  return v
}

export interface CheckedDicomImportOptions {
  catalogPath: string
  label?: Label | undefined
  probe?: Probe | undefined
  license?: KnownLicense | undefined
  provenance?: string | undefined
  stateDir?: string | undefined
  open?: ((path: string) => CatalogDb) | undefined
}

/** The options checked against the vocabularies, before anything is opened: a mistake here is a usage error. */
export function checkDicomImportOptions(o: DicomImportCommandOptions): CheckedDicomImportOptions {
  return {
    catalogPath: o.catalogPath,
    label: oneOf<Label>(o.label, LABELS, 'label', 'label'),
    probe: oneOf<Probe>(o.probe, PROBES, 'probe', 'probe'),
    license: oneOf<KnownLicense>(o.license, KNOWN_LICENSES, 'licence', 'license'),
    provenance: o.provenance,
    stateDir: o.stateDir,
    open: o.open
  }
}

/** Imports one DICOM file as a contribution; the report as the import made it. */
export async function dicomImport(
  file: string,
  o: CheckedDicomImportOptions & { onProgress?: (done: number, total: number, message: string) => void }
): Promise<DicomImportReport> {
  const db = (o.open ?? openCatalog)(o.catalogPath)
  try {
    return await importDicomFile(db, resolve(file), {
      catalogPath: o.catalogPath,
      stateDir: o.stateDir,
      label: o.label,
      probe: o.probe,
      license: o.license,
      provenance: o.provenance,
      onProgress: (p) => o.onProgress?.(p.done, p.total, p.message)
    })
  } finally {
    db.close()
  }
}

export function formatDicomImport(r: DicomImportReport, catalogPath: string): string[] {
  return [
    `Imported ${r.kind === 'video' ? `a ${r.frames}-frame video at ${r.fps?.toFixed(2)} fps` : 'a single image'} (${r.width}×${r.height}) as "${r.filename}" (entry ${r.entryId}) into ${catalogPath}.`,
    `  media: contributions/${r.mediaRelPath}; de-identification summary: contributions/${r.summaryRelPath}`,
    `  de-identification (PS3.15 Basic Profile): ${r.counts.removed} attributes removed, ${r.counts['uid-replaced']} UIDs replaced, ${r.counts.retained} retained (age, sex), ${r.counts['not-carried']} not carried; patient key ${r.patientKey}.`,
    ...r.warnings.map((w) => `  warning: ${w}`)
  ]
}

/** `import FILE.dcm [--catalog C] [--label L] [--probe P] [--license "CC BY 4.0"] [--provenance TEXT]`, as text. */
export async function dicomImportCommand(file: string, o: DicomImportCommandOptions): Promise<string> {
  const checked = checkDicomImportOptions(o)
  const r = await dicomImport(file, { ...checked, onProgress: (done, total, message) => o.onProgress?.(`${done}/${total} ${message}`) })
  return formatDicomImport(r, o.catalogPath).join('\n')
}

export function defineDicomInfoCommand(io: CommandIo = CONSOLE): Command {
  return new Command('dicom-info')
    .summary('the technical facts of a DICOM file, as JSON')
    .description('Transfer syntax, SOP class, modality, frames, size, photometric interpretation, frame rate, as JSON (no patient attribute is ever printed).')
    .usage('FILE.dcm [--json]')
    .argument('<file>', 'a DICOM file')
    .addOption(jsonOption('the facts (always JSON; accepted for uniformity)'))
    .action(
      action((file: string) => {
        io.log(dicomInfoCommand(resolve(file)))
        return 0
      })
    )
}
