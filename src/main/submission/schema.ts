/** The submission tables come with migration 5; a catalog opened without it gets a clear message, not "no such table". */
import type { CatalogDb } from '../catalog/database'
import { UserError } from '../errors'

export function hasSubmissionSchema(db: CatalogDb): boolean {
  return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('media_edits', 'deid_records')").get()!.n === 2
}

export function requireSubmissionSchema(db: CatalogDb): void {
  if (!hasSubmissionSchema(db))
    throw new UserError('unsupported', 'This catalog has no submission tables (schema migration 5, "crop/trim/mask settings, de-identification records"); open it with a version of LUS Review that includes them.')
}
