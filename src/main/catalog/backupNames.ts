/**
 * Backups as the UI sees them: by file name only, never by path. A name that
 * comes back from the renderer is resolved here, inside the catalog's backup
 * folder, and only if it is one `listBackups` finds there.
 */
import { realpathSync } from 'node:fs'
import { basename, sep } from 'node:path'
import type { BackupSummary } from '../../shared/contract'
import { UserError } from '../errors'
import { backupDir, listBackups, type BackupInfo } from './backup'

export function toBackupSummary(b: BackupInfo): BackupSummary {
  return { name: basename(b.file), createdAt: b.createdAt, reason: b.reason, sizeBytes: b.sizeBytes }
}

/** The name as it may be shown in a message: quoted, control characters escaped, not too long. */
function shown(name: string): string {
  const quoted = JSON.stringify(name)
  return quoted.length > 80 ? `${quoted.slice(0, 77)}…"` : quoted
}

/**
 * The backup of that file name beside `catalogPath`, with its real path.
 * Refuses paths, traversal, names that are not backups of this catalog, and
 * files that resolve (through a link) outside the backup folder.
 */
export function resolveBackupName(catalogPath: string, name: string): BackupInfo {
  if (name === '' || name === '.' || name === '..' || /[\\/\0]/.test(name) || name !== basename(name))
    throw new UserError('bad_input', `${shown(name)} is not a backup name: choose a backup from the list (a file name, not a path).`)
  const found = listBackups(catalogPath).find((b) => basename(b.file) === name)
  if (!found) throw new UserError('not_found', `There is no backup named ${shown(name)} for this catalog; choose one from the list.`)
  let dir: string
  let real: string
  try {
    dir = realpathSync(backupDir(catalogPath))
    real = realpathSync(found.file)
  } catch (e) {
    throw new UserError('not_found', `The backup ${shown(name)} cannot be read: ${(e as Error).message}`)
  }
  if (!real.startsWith(dir + sep)) throw new UserError('bad_input', `The backup ${shown(name)} points outside the backup folder; not restored.`)
  return { ...found, file: real }
}
