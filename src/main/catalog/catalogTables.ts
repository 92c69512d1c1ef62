/**
 * The three tables the catalog owns, opened together on one connection: what
 * another domain (the import, a contribution, a relink, an export) takes when
 * it needs rows rather than the app's views of them (catalogRepository.ts).
 */
import type { CatalogDb } from './database'
import { EntriesTable } from './entriesTable'
import { EntryMediaQueries } from './entryMediaQueries'
import { MediaTable } from './mediaTable'
import { SourcesTable } from './sourcesTable'

export interface CatalogTables {
  entries: EntriesTable
  media: MediaTable
  sources: SourcesTable
  /** Reads that join an entry to its file. */
  entryMedia: EntryMediaQueries
}

export function catalogTables(db: CatalogDb): CatalogTables {
  return { entries: new EntriesTable(db), media: new MediaTable(db), sources: new SourcesTable(db), entryMedia: new EntryMediaQueries(db) }
}
