/**
 * `lus-review backup` and `lus-review restore [BACKUP]`: a backup beside the
 * catalog (backups/, the last 10 kept), the list of backups, and a restore,
 * which is refused while an app or server holds the catalog.
 */
import { resolve } from 'node:path'
import { Command } from 'commander'
import { backupNow, listBackups, restoreBackup } from '../catalog/backup'
import { acquireCatalogLock } from '../catalog/catalogLock'
import { openCatalog } from '../catalog/database'
import { action, catalogCommand, catalogPathOf, type CommandIo, type CommonOptions, CONSOLE } from './commandKit'

export function defineBackupCommand(io: CommandIo = CONSOLE): Command {
  return catalogCommand('backup', {
    summary: 'write a backup beside the catalog',
    description: 'Write a backup beside the catalog (backups/); the last 10 are kept. Works beside a running app or server.',
    usage: '[--catalog FILE] [--json]',
    json: 'the backup written'
  })
    .action(
      action((o: CommonOptions) => {
        const catalogPath = catalogPathOf(o)
        // VACUUM INTO reads a consistent snapshot, so a backup needs no lock and works beside a running owner.
        const db = openCatalog(catalogPath, { readonly: true, allowOlderSchema: true })
        try {
          const b = backupNow(db, catalogPath, 'manual')
          io.log(o.json ? JSON.stringify({ catalog: catalogPath, ...b }) : `Backed up ${catalogPath} to ${b.file} (${b.sizeBytes} bytes).`)
        } finally {
          db.close()
        }
        return 0
      })
    )
}

export function defineRestoreCommand(io: CommandIo = CONSOLE): Command {
  return catalogCommand('restore', {
    summary: 'list backups, or replace the catalog with one',
    description: 'Without BACKUP, list the backups; with it, replace the catalog with it (the current one is backed up first). Refused while the app or a server has the catalog open.',
    usage: '[BACKUP] [--catalog FILE] [--json]',
    json: 'the list or what was restored'
  })
    .argument('[backup]', 'a backup file (as listed)')
    .action(
      action((file: string | undefined, o: CommonOptions) => {
        const catalogPath = catalogPathOf(o)
        if (!file) {
          const backups = listBackups(catalogPath)
          if (o.json) io.log(JSON.stringify({ catalog: catalogPath, backups }))
          else if (backups.length === 0) io.log(`No backups of ${catalogPath}.`)
          else for (const b of backups) io.log(`${b.createdAt}  ${b.reason.padEnd(28)}  ${b.file}`)
          return 0
        }
        // Never under a running app or server: the file it writes into would be renamed away (its later edits lost).
        const lock = acquireCatalogLock(catalogPath, { instead: 'restore the backup from inside it (Backups)' })
        let safetyCopy: string | null
        try {
          safetyCopy = restoreBackup(catalogPath, resolve(file)).safetyCopy
        } finally {
          lock.release()
        }
        if (o.json) io.log(JSON.stringify({ catalog: catalogPath, restored: resolve(file), safetyCopy }))
        else io.log(`Restored ${catalogPath} from ${resolve(file)}.${safetyCopy ? ` The catalog it replaced is saved as ${safetyCopy}.` : ''}`)
        return 0
      })
    )
}
