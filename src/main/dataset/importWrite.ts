/**
 * Step three of an import: write. With the CSV read and the files probed, it
 * works out the links (exact file-name stem; a stem shared by several files
 * links nothing), the orphans and the warnings, then writes the source, the
 * media and the entries through the catalog's tables in one IMMEDIATE
 * transaction, so a failed import leaves the catalog as it was. Runs where
 * the read step ran: in the import worker on its own connection, or in-thread.
 */
import { existsSync } from 'node:fs'
import { join, posix } from 'node:path'
import type { ImportReport } from '../../shared/contract'
import { CSV_COLUMNS } from '../../shared/vocabulary'
import { catalogTables, type CatalogTables } from '../catalog/catalogTables'
import type { CatalogDb } from '../catalog/database'
import { deriveColumns } from '../catalog/entryColumns'
import type { ScannedMedia } from '../media/mediaScan'
import { CSV_FILE_NAME } from './csvCodec'
import type { ProbedMedia } from './importProbe'
import type { PreparedImport } from './importRead'
import { columnIndex } from './normalize'

/** The outcome of the write step: the report less its duration. */
export type WrittenImport = Omit<ImportReport, 'durationMs'>

/** How often the write step reports progress, in rows. */
const WRITE_PROGRESS_EVERY = 5000

/** Files grouped by stem; a stem with more than one file is ambiguous. */
function filesByStem(probed: readonly ProbedMedia[]): Map<string, ProbedMedia[]> {
  const byStem = new Map<string, ProbedMedia[]>()
  for (const m of probed) byStem.set(m.stem, [...(byStem.get(m.stem) ?? []), m])
  return byStem
}

function csvLinesByFilename(prepared: PreparedImport): Map<string, number[]> {
  const filenameCol = columnIndex('Filename')
  const linesByFilename = new Map<string, number[]>()
  for (const r of prepared.csv.records) {
    const name = r.cells[filenameCol]!
    const lines = linesByFilename.get(name)
    if (lines) lines.push(r.line)
    else linesByFilename.set(name, [r.line])
  }
  return linesByFilename
}

/** Writes the prepared import and the probed media in one transaction, and builds the report. */
export function writeImport(
  db: CatalogDb,
  prepared: PreparedImport,
  probed: ProbedMedia[],
  includeOrphans: boolean,
  progress: (message: string) => void = () => {}
): WrittenImport {
  const { root, csv, derived, existingSourceId } = prepared
  const tables = catalogTables(db)
  const byStem = filesByStem(probed)
  const duplicateStems = [...byStem.entries()]
    .filter(([, files]) => files.length > 1)
    .map(([stem, files]) => ({ stem, files: files.map((f) => f.relPath) }))
  const linesByFilename = csvLinesByFilename(prepared)
  const duplicateFilenames = [...linesByFilename.entries()]
    .filter(([, lines]) => lines.length > 1)
    .map(([filename, lines]) => ({ filename, lines }))

  // Files relinked by hand to an entry of another name are not orphans.
  const relinked = new Set(existingSourceId !== null ? tables.entries.relinkedRelPaths(existingSourceId) : [])
  const orphans = probed.filter((m) => !linesByFilename.has(m.stem) && !relinked.has(m.relPath))
  const warnings: ImportReport['warnings'] = []
  csv.records.forEach((r, i) => {
    for (const w of derived[i]!.warnings) warnings.push({ line: r.line, column: w.column, message: w.message })
  })

  const now = new Date().toISOString()
  const counts = { entriesAdded: 0, entriesKept: 0, orphansAdded: 0 }
  const write = db.transaction((): number => {
    const sourceId = writeSource(tables, prepared, now, counts)
    writeMedia(tables, sourceId, root, probed, prepared)
    if (existingSourceId === null) writeEntries(tables, sourceId, prepared, now, counts, progress)
    if (includeOrphans) writeOrphans(tables, sourceId, orphans, now, counts)
    progress('Linking media')
    linkEntries(tables, sourceId, byStem)
    return sourceId
  })

  // IMMEDIATE: the write lock is taken up front (waiting out the busy timeout), never half-way through.
  const sourceId = write.immediate()
  const links = tables.entries.linkCounts(sourceId)
  return {
    sourceId,
    folder: root,
    rows: csv.records.length,
    ...counts,
    mediaFiles: probed.length,
    linked: links.linked,
    rowsWithoutMedia: links.missing,
    unreadable: probed.filter((m) => m.error).map((m) => ({ file: m.relPath, error: m.error! })),
    orphans: orphans.map((m) => m.relPath),
    duplicateStems,
    duplicateFilenames,
    warnings
  }
}

type Counts = { entriesAdded: number; entriesKept: number; orphansAdded: number }

/** The folder's source row: the existing one (its entries kept), or a new one. Returns its id. */
function writeSource(tables: CatalogTables, prepared: PreparedImport, now: string, counts: Counts): number {
  const { csv } = prepared
  if (prepared.existingSourceId !== null) {
    const sourceId = prepared.existingSourceId
    // Same CSV (its hash matched): its blank-line layout, lost by imports made before catalog version 7, is restored.
    tables.sources.setBlankLines(sourceId, csv.blankLines)
    counts.entriesKept = tables.entries.countOfSource(sourceId)
    return sourceId
  }
  return tables.sources.insert({
    root: prepared.root,
    csvName: CSV_FILE_NAME,
    csvSha256: prepared.csvSha,
    headerRaw: csv.headerRaw,
    dialect: csv.dialect,
    blankLines: csv.blankLines,
    importedAt: now
  })
}

function writeMedia(tables: CatalogTables, sourceId: number, root: string, probed: readonly ProbedMedia[], prepared: PreparedImport): void {
  for (const m of probed) {
    tables.media.upsert({
      source_id: sourceId,
      rel_path: m.relPath,
      stem: m.stem,
      kind: m.kind,
      size_bytes: m.sizeBytes,
      mtime_ms: m.mtimeMs,
      frames: m.probe?.frames ?? null,
      fps: m.probe?.fps ?? null,
      width: m.probe?.width ?? null,
      height: m.probe?.height ?? null,
      duration_s: m.probe?.durationS ?? null,
      codec: m.probe?.codec ?? null,
      error: m.error,
      sha256: m.sha256
    })
  }
  const present = new Set(probed.map((m) => m.relPath))
  // A file relinked by hand may live outside the scanned folders: it goes only when it is gone.
  for (const { rel_path } of prepared.known)
    if (!present.has(rel_path) && !existsSync(join(root, rel_path))) tables.media.remove(sourceId, rel_path)
}

/** One entry per CSV record, in file order, on a first import only. */
function writeEntries(tables: CatalogTables, sourceId: number, prepared: PreparedImport, now: string, counts: Counts, progress: (message: string) => void): void {
  const { csv, derived } = prepared
  csv.records.forEach((r, i) => {
    tables.entries.insert({
      source_id: sourceId,
      row_no: i + 1,
      line: r.line,
      sort_key: i + 1,
      raw_record: r.raw,
      edited: 0,
      cells: JSON.stringify(r.cells),
      ...derived[i]!.columns,
      media_id: null,
      media_status: 'missing',
      updated_at: now
    })
    counts.entriesAdded++
    if (counts.entriesAdded % WRITE_PROGRESS_EVERY === 0) progress(`Writing catalog: ${counts.entriesAdded} of ${csv.records.length} entries`)
  })
}

/** An app-added entry for each file no CSV row names (imported on request), after the CSV's rows. */
function writeOrphans(tables: CatalogTables, sourceId: number, orphans: readonly ProbedMedia[], now: string, counts: Counts): void {
  let sortKey = tables.entries.maxSortKey(sourceId)
  for (const m of orphans) {
    if (tables.entries.hasFilename(sourceId, m.stem)) continue
    const cells = orphanCells(m)
    tables.entries.insert({
      source_id: sourceId,
      row_no: null,
      line: null,
      sort_key: ++sortKey,
      raw_record: null,
      edited: 1,
      cells: JSON.stringify(cells),
      ...deriveColumns(cells).columns,
      media_id: null,
      media_status: 'missing',
      updated_at: now
    })
    counts.orphansAdded++
  }
}

/** (Re)links every entry of the source to its media by exact stem. */
function linkEntries(tables: CatalogTables, sourceId: number, byStem: ReadonlyMap<string, ProbedMedia[]>): void {
  const mediaIdByRel = new Map(tables.media.ofSource(sourceId).map((m) => [m.rel_path, m.id]))
  for (const e of tables.entries.linkStates(sourceId)) {
    // An entry relinked by hand to a file of another name keeps that link.
    if (e.linked_stem !== null && e.linked_stem !== e.filename) continue
    const candidates = byStem.get(e.filename)
    if (candidates?.length === 1) {
      const m = candidates[0]!
      tables.entries.link(e.id, mediaIdByRel.get(m.relPath)!, m.error ? 'unreadable' : 'linked')
    } else tables.entries.link(e.id, null, 'missing')
  }
}

/** A new entry for a media file no CSV row names, filled with what the path tells. */
function orphanCells(m: ScannedMedia): string[] {
  const cells = CSV_COLUMNS.map(() => '')
  const folder = posix.dirname(m.relPath)
  cells[columnIndex('Filename')] = m.stem
  cells[columnIndex('Current location')] = folder
  cells[columnIndex('Type')] = m.kind
  cells[columnIndex('InThisRepo')] = 'Yes'
  const probe = /(^|\/)(convex|linear)(\/|$)/i.exec(folder)?.[2]?.toLowerCase()
  if (probe) cells[columnIndex('Probe')] = probe
  return cells
}
