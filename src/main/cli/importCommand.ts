/**
 * `lus-review import FOLDER | FILE.dcm`: a dataset folder (dataset_metadata.csv
 * and its media) into the catalog, or one DICOM file, de-identified, as a new
 * contribution (dicomCommands.ts). Which one is decided by what the path is.
 */
import { resolve } from 'node:path'
import { Command } from 'commander'
import type { ImportReport } from '../../shared/contract'
import { openCatalog } from '../catalog/database'
import { importDataset } from '../dataset/datasetImport'
import { action, catalogOption, catalogPathOf, CONSOLE, jsonOption, quietIo, quietOption, type CommandIo, type CommonOptions } from './commandKit'
import { checkDicomImportOptions, dicomImport, formatDicomImport, isDicomImport } from './dicomCommands'

interface ImportOptions extends CommonOptions {
  includeOrphans?: boolean
  label?: string
  probe?: string
  license?: string
  provenance?: string
}

export function formatImportReport(report: ImportReport, catalogPath: string): string[] {
  const lines = [
    `Imported ${report.folder} into ${catalogPath}: ${report.rows} rows (${report.entriesAdded} new, ${report.entriesKept} kept), ` +
      `${report.mediaFiles} media files, ${report.linked} linked, ${report.rowsWithoutMedia} rows without media, ` +
      `${report.unreadable.length} unreadable, ${report.orphans.length} media without a row` +
      (report.orphansAdded ? ` (${report.orphansAdded} added as new entries)` : '') +
      `, ${report.warnings.length} normalization warnings, in ${(report.durationMs / 1000).toFixed(1)} s.`
  ]
  for (const u of report.unreadable) lines.push(`  unreadable: ${u.file}: ${u.error}`)
  for (const d of report.duplicateStems) lines.push(`  ambiguous media (same name): ${d.files.join(', ')}`)
  for (const d of report.duplicateFilenames) lines.push(`  duplicate Filename "${d.filename}" on lines ${d.lines.join(', ')}`)
  if (report.orphans.length && !report.orphansAdded)
    lines.push(`  ${report.orphans.length} media files have no CSV row; --include-orphans adds them as new entries.`)
  return lines
}

export function defineImportCommand(io: CommandIo = CONSOLE): Command {
  return new Command('import')
    .summary('import a dataset folder, or one DICOM file')
    .description(
      'Import a dataset folder (dataset_metadata.csv, pocus_videos/, pocus_images/): one entry per CSV row, media probed with ffprobe. ' +
        'Given a DICOM file instead, import it de-identified as a new contribution (--label, --probe, --license, --provenance apply to it).'
    )
    .usage('FOLDER|FILE.dcm [--catalog FILE] [--include-orphans] [--label L] [--probe P] [--license L] [--provenance TEXT] [--json] [--quiet]')
    .argument('<path>', 'a dataset folder, or a DICOM file')
    .addOption(catalogOption())
    .option('--include-orphans', 'add media files without a CSV row as new entries (folders)')
    .option('--label <label>', 'the clip label (DICOM)')
    .option('--probe <probe>', 'convex or linear (DICOM)')
    .option('--license <licence>', 'the licence, e.g. "CC BY 4.0" (DICOM)')
    .option('--provenance <text>', 'where the clip comes from (DICOM)')
    .addOption(jsonOption('the import report'))
    .addOption(quietOption())
    .action(
      action(async (path: string, o: ImportOptions) => {
        const out = quietIo(io, o.quiet)
        const catalogPath = catalogPathOf(o)
        const target = resolve(path)
        if (isDicomImport(target)) {
          const options = checkDicomImportOptions({ catalogPath, label: o.label, probe: o.probe, license: o.license, provenance: o.provenance })
          const r = await dicomImport(target, { ...options, onProgress: (done, total) => out.progress?.(done, total) })
          out.progressDone?.()
          if (o.json) out.log(JSON.stringify(r))
          else for (const line of formatDicomImport(r, catalogPath)) out.log(line)
          return 0
        }
        const db = openCatalog(catalogPath, { instead: 'import the folder from inside it' })
        try {
          const report = await importDataset(db, target, {
            includeOrphans: o.includeOrphans ?? false,
            onProgress: (p) => out.progress?.(p.done, p.total, p.message)
          })
          out.progressDone?.()
          if (o.json) out.log(JSON.stringify(report))
          else for (const line of formatImportReport(report, catalogPath)) out.log(line)
        } finally {
          db.close()
        }
        return 0
      })
    )
}
