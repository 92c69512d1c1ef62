/**
 * A catalog with the submission tables (migration 5) whether or not the
 * lead has wired migration 5 into MIGRATIONS yet: until then, a no-op
 * stands in for whatever version 4 will be.
 */
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { MIGRATIONS } from '../../../src/main/catalog/migrations'
import type { Migration } from '../../../src/main/catalog/migrations/migration'
import { migration005 } from '../../../src/main/catalog/migrations/005-submissions'

export function submissionMigrations(): readonly Migration[] {
  if (MIGRATIONS.some((m) => m.version === 5)) return MIGRATIONS
  const list: Migration[] = MIGRATIONS.filter((m) => m.version < 5)
  while (list.length < 4) list.push({ version: list.length + 1, name: 'placeholder for a migration of another issue', up() {} })
  return [...list, migration005]
}

export function openSubmissionCatalog(path: string): CatalogDb {
  return openCatalog(path, { migrations: submissionMigrations() })
}
