/**
 * `lus-review export-csv OUT.csv`: dataset_metadata.csv from the catalog, in
 * the source file's dialect. Read-only, so it works beside a running app or
 * server and creates nothing at a mistyped catalog path.
 */
import { resolve } from 'node:path'
import { Command } from 'commander'
import { openCatalog } from '../catalog/database'
import { exportCsv } from '../export/csvExport'
import { sourceCsvFiles, writeCsvExport } from '../export/csvFile'
import { action, catalogCommand, catalogPathOf, type CommandIo, type CommonOptions, CONSOLE } from './commandKit'

export function defineExportCsvCommand(io: CommandIo = CONSOLE): Command {
  return catalogCommand('export-csv', {
    summary: "write dataset_metadata.csv from the catalog, in the source file's dialect",
    description: "Write dataset_metadata.csv from the catalog, in the source file's dialect (never over the dataset's own CSV).",
    usage: 'OUT.csv [--catalog FILE] [--json]',
    json: 'what was written'
  })
    .argument('<out>', 'the CSV file to write')
    .action(
      action((out: string, o: CommonOptions) => {
        const db = openCatalog(catalogPathOf(o), { readonly: true })
        try {
          const { bytes, rows, neutralizedCells } = exportCsv(db)
          // The API's writer: never the dataset's own CSV, never through a symbolic link, atomically.
          const written = writeCsvExport(resolve(out), bytes, sourceCsvFiles(db))
          if (o.json) {
            io.log(JSON.stringify({ path: written, rows, bytes: bytes.length, neutralizedCells }))
            return 0
          }
          io.log(`Wrote ${rows} rows (${bytes.length} bytes) to ${written}.`)
          if (neutralizedCells > 0)
            io.log(`  ${neutralizedCells} cells that spreadsheets would run as formulas were written with a leading ' (CSV injection).`)
        } finally {
          db.close()
        }
        return 0
      })
    )
}
