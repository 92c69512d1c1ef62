/**
 * `lus-review stats`: counts by label × probe × type, pathologies and symptoms
 * by label, licences. Read-only: works beside a running app or server, and
 * creates nothing at a mistyped catalog path.
 */
import { Command } from 'commander'
import { CatalogRepository } from '../catalog/catalogRepository'
import { catalogReadError, openCatalog } from '../catalog/database'
import { action, catalogCommand, catalogPathOf, type CommandIo, type CommonOptions, CONSOLE } from './commandKit'
import { formatStatsTable } from './statsTable'

export function defineStatsCommand(io: CommandIo = CONSOLE): Command {
  return catalogCommand('stats', {
    summary: 'counts by label × probe × type, pathologies and symptoms by label, licences',
    description: 'Counts by label × probe × type, pathologies and symptoms by label, and licences, as tables (or JSON).',
    usage: '[--catalog FILE] [--json]',
    json: 'the counts'
  })
    .action(
      action((o: CommonOptions) => {
        const catalogPath = catalogPathOf(o)
        const db = openCatalog(catalogPath, { readonly: true })
        try {
          let stats
          try {
            stats = new CatalogRepository(db).stats()
          } catch (e) {
            throw catalogReadError(catalogPath, e)
          }
          io.log(o.json ? JSON.stringify(stats, null, 2) : formatStatsTable(stats))
        } finally {
          db.close()
        }
        return 0
      })
    )
}
