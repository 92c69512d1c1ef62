/** A fresh catalog file and rows written through the catalog's own tables, for the table tests. */
import { join } from 'node:path'
import { CSV_COLUMNS } from '../../../src/shared/vocabulary'
import type { EntryWrite, MediaWrite } from '../../../src/main/catalog/catalogRows'
import { catalogTables, type CatalogTables } from '../../../src/main/catalog/catalogTables'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { deriveColumns } from '../../../src/main/catalog/entryColumns'
import { DATASET_DIALECT } from '../../../src/main/dataset/csvCodec'
import { columnIndex } from '../../../src/main/dataset/normalize'
import { tempDir } from '../../helpers/paths'

export interface TableFixture {
  db: CatalogDb
  tables: CatalogTables
  close(): void
}

export function openTables(): TableFixture {
  const dir = tempDir()
  const db = openCatalog(join(dir.path, 'catalog.db'))
  return {
    db,
    tables: catalogTables(db),
    close: () => {
      db.close()
      dir.cleanup()
    }
  }
}

export function addSource(t: CatalogTables, root = '/data/ds'): number {
  return t.sources.insert({
    root,
    csvName: 'dataset_metadata.csv',
    csvSha256: 'a'.repeat(64),
    headerRaw: CSV_COLUMNS.join(','),
    dialect: DATASET_DIALECT,
    blankLines: [],
    importedAt: '2026-01-01T00:00:00.000Z'
  })
}

export function mediaRow(sourceId: number, relPath: string, extra: Partial<MediaWrite> = {}): MediaWrite {
  const stem = relPath.split('/').pop()!.replace(/\.[^.]*$/, '')
  return {
    source_id: sourceId,
    rel_path: relPath,
    stem,
    kind: 'video',
    size_bytes: 100,
    mtime_ms: 1000,
    frames: 12,
    fps: 10,
    width: 64,
    height: 48,
    duration_s: 1.2,
    codec: 'h264',
    error: null,
    sha256: null,
    ...extra
  }
}

export function entryRow(sourceId: number, filename: string, extra: Partial<EntryWrite> & { cellValues?: Partial<Record<string, string>> } = {}): EntryWrite {
  const { cellValues, ...rest } = extra
  const cells = CSV_COLUMNS.map(() => '')
  cells[columnIndex('Filename')] = filename
  for (const [column, value] of Object.entries(cellValues ?? {})) cells[columnIndex(column as (typeof CSV_COLUMNS)[number])] = value ?? ''
  return {
    source_id: sourceId,
    row_no: null,
    line: null,
    sort_key: 1,
    raw_record: null,
    edited: 1,
    cells: JSON.stringify(cells),
    ...deriveColumns(cells).columns,
    media_id: null,
    media_status: 'missing',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...rest
  }
}
