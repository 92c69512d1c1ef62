/**
 * Importing a folder with the dataset's layout into the catalog: one entry
 * per CSV record (cells verbatim), media linked by file-name stem and probed
 * with ffprobe. All reading and probing happens first; the catalog is then
 * written in one transaction, so a failed import leaves it as it was.
 *
 * The two heavy phases, reading the CSV (parse, hash, normalize every record)
 * and writing the catalog, can run in a worker thread on its own connection
 * (`offThread`, what the app and serve mode use): at 100k rows each takes
 * seconds of CPU that would otherwise stop every other request. Probing stays
 * here: it is ffprobe processes, awaited, and tests replace it with a function.
 */
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { extname, isAbsolute, join, posix } from 'node:path'
import type { ImportReport } from '../../shared/contract'
import { CSV_COLUMNS } from '../../shared/vocabulary'
import type { CatalogDb } from '../catalog/database'
import { deriveColumns } from '../catalog/entryColumns'
import { UserError } from '../errors'
import { probeMedia, type ProbeResult } from '../media/probe'
import { scanMedia, type ScannedMedia } from '../media/mediaScan'
import { WorkerConversation, startWorker } from '../jobs/workerThread'
import { parseDatasetCsv, type ParsedCsv } from './csvCodec'
import { mediaProblem } from './mediaChecks'
import { columnIndex } from './normalize'

export const CSV_FILE_NAME = 'dataset_metadata.csv'

export interface ImportProgress {
  done: number
  total: number
  message: string
}

export interface ProbedMedia extends ScannedMedia {
  probe: ProbeResult | null
  error: string | null
  /** Content hash: matches clips across machines and detects files changed since import. */
  sha256: string | null
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolveHash, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolveHash(hash.digest('hex')))
      .on('error', reject)
  })
}

export interface ExistingMedia {
  rel_path: string
  size_bytes: number
  mtime_ms: number
  frames: number | null
  fps: number | null
  width: number | null
  height: number | null
  duration_s: number | null
  codec: string | null
  error: string | null
  sha256: string | null
}

function resolveDatasetFolder(folder: string): string {
  if (!isAbsolute(folder)) throw new UserError('bad_input', `Give the dataset folder as an absolute path (got "${folder}").`)
  if (!existsSync(folder)) throw new UserError('bad_input', `The folder ${folder} does not exist.`)
  const root = realpathSync(folder)
  if (!statSync(root).isDirectory()) throw new UserError('bad_input', `${folder} is a file, not a dataset folder.`)
  if (!existsSync(join(root, CSV_FILE_NAME)))
    throw new UserError(
      'bad_input',
      `${folder} is not a dataset folder: ${CSV_FILE_NAME} was not found in it. A dataset folder holds ${CSV_FILE_NAME}, pocus_videos/ and pocus_images/.`
    )
  return root
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return out
}

export interface ImportOptions {
  includeOrphans?: boolean
  onProgress?: (p: ImportProgress) => void
  probe?: (file: string) => Promise<ProbeResult>
  concurrency?: number
  /** Read and write in a worker thread on its own connection to the catalog file (ignored for an in-memory catalog). */
  offThread?: boolean
  /** better-sqlite3 built for Electron, for the worker's connection. */
  nativeBinding?: string
}

/** What the read phase hands back to the thread that probes. */
export interface PreparedSummary {
  existingSourceId: number | null
  known: ExistingMedia[]
}

/** What the import worker is started with (importWorker.ts). */
export interface ImportWorkerData {
  catalogPath: string
  root: string
  nativeBinding?: string
}

export type ImportWorkerRequest = { type: 'write'; probed: ProbedMedia[]; includeOrphans: boolean }

export type ImportWorkerAnswer =
  | ({ type: 'prepared' } & PreparedSummary)
  | { type: 'progress'; message: string }
  | { type: 'written'; result: WrittenImport }

/** The outcome of the write phase: the report less its duration. */
export type WrittenImport = Omit<ImportReport, 'durationMs'>

/** Everything the write phase needs from the read phase; it stays in the thread that read it. */
export interface PreparedImport extends PreparedSummary {
  root: string
  csv: ParsedCsv
  csvSha: string
  /** deriveColumns of each record, computed once for the warnings and the rows written. */
  derived: ReturnType<typeof deriveColumns>[]
}

/** Reads, checks and normalizes the CSV; refuses a CSV changed since its import. No write. */
export function prepareImport(db: CatalogDb, root: string): PreparedImport {
  const csvPath = join(root, CSV_FILE_NAME)
  let csvBytes: Buffer
  try {
    csvBytes = readFileSync(csvPath)
  } catch (e) {
    throw new UserError('bad_input', `Cannot read ${csvPath}: ${(e as Error).message}`)
  }
  const csv = parseDatasetCsv(csvBytes, csvPath)
  const csvSha = createHash('sha256').update(csvBytes).digest('hex')

  const existingSource = db
    .prepare<[string], { id: number; csv_sha256: string; imported_at: string }>(
      'SELECT id, csv_sha256, imported_at FROM sources WHERE root = ?'
    )
    .get(root)
  if (existingSource && existingSource.csv_sha256 !== csvSha) {
    throw new UserError(
      'conflict',
      `${csvPath} changed since it was imported on ${existingSource.imported_at}. Re-importing would replace the catalog's entries and any edits made in the app; export the catalog's CSV first, or import into a new catalog.`
    )
  }
  const known = existingSource
    ? db.prepare<[number], ExistingMedia>('SELECT * FROM media WHERE source_id = ?').all(existingSource.id)
    : []
  return { root, csv, csvSha, derived: csv.records.map((r) => deriveColumns(r.cells)), existingSourceId: existingSource?.id ?? null, known }
}

/** How often the write phase reports progress, in rows. */
const WRITE_PROGRESS_EVERY = 5000

/** Writes the prepared import and the probed media in one transaction, and builds the report. */
export function writeImport(
  db: CatalogDb,
  prepared: PreparedImport,
  probed: ProbedMedia[],
  includeOrphans: boolean,
  progress: (message: string) => void = () => {}
): WrittenImport {
  const { root, csv, csvSha, derived } = prepared
  const known = new Set(prepared.known.map((m) => m.rel_path))
  const existingSourceId = prepared.existingSourceId
  // Link by exact stem; a stem shared by several files is ambiguous and links nothing.
  const byStem = new Map<string, ProbedMedia[]>()
  for (const m of probed) byStem.set(m.stem, [...(byStem.get(m.stem) ?? []), m])
  const duplicateStems = [...byStem.entries()]
    .filter(([, files]) => files.length > 1)
    .map(([stem, files]) => ({ stem, files: files.map((f) => f.relPath) }))

  const filenameCol = columnIndex('Filename')
  const linesByFilename = new Map<string, number[]>()
  for (const r of csv.records) {
    const name = r.cells[filenameCol]!
    const lines = linesByFilename.get(name)
    if (lines) lines.push(r.line)
    else linesByFilename.set(name, [r.line])
  }
  const duplicateFilenames = [...linesByFilename.entries()]
    .filter(([, lines]) => lines.length > 1)
    .map(([filename, lines]) => ({ filename, lines }))

  // Files relinked by hand to an entry of another name are not orphans.
  const relinked = new Set(
    existingSourceId !== null
      ? db
          .prepare<[number], { rel_path: string }>(
            `SELECT m.rel_path FROM entries e JOIN media m ON m.id = e.media_id WHERE e.source_id = ? AND m.stem != e.filename`
          )
          .all(existingSourceId)
          .map((r) => r.rel_path)
      : []
  )
  const orphans = probed.filter((m) => !linesByFilename.has(m.stem) && !relinked.has(m.relPath))
  const warnings: ImportReport['warnings'] = []
  csv.records.forEach((r, i) => {
    for (const w of derived[i]!.warnings) warnings.push({ line: r.line, column: w.column, message: w.message })
  })

  const now = new Date().toISOString()
  let entriesAdded = 0
  let entriesKept = 0
  let orphansAdded = 0

  const write = db.transaction((): number => {
    let sourceId: number
    if (existingSourceId !== null) {
      sourceId = existingSourceId
      // Same CSV (its hash matched): its blank-line layout, lost by imports made before catalog version 7, is restored.
      db.prepare('UPDATE sources SET blank_lines = ? WHERE id = ?').run(JSON.stringify(csv.blankLines), sourceId)
      entriesKept = (
        db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM entries WHERE source_id = ?').get(sourceId)!
      ).n
    } else {
      sourceId = Number(
        db
          .prepare(
            `INSERT INTO sources (root, csv_name, csv_sha256, header_raw, record_delimiter, final_newline, bom, blank_lines, imported_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
          )
          .run(root, CSV_FILE_NAME, csvSha, csv.headerRaw, csv.dialect.recordDelimiter, csv.dialect.finalNewline ? 1 : 0, csv.dialect.bom ? 1 : 0, JSON.stringify(csv.blankLines), now)
          .lastInsertRowid
      )
    }

    const upsertMedia = db.prepare(
      `INSERT INTO media (source_id, rel_path, stem, kind, size_bytes, mtime_ms, frames, fps, width, height, duration_s, codec, error, sha256)
       VALUES (@source_id, @rel_path, @stem, @kind, @size_bytes, @mtime_ms, @frames, @fps, @width, @height, @duration_s, @codec, @error, @sha256)
       ON CONFLICT (source_id, rel_path) DO UPDATE SET stem = excluded.stem, kind = excluded.kind,
         size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, frames = excluded.frames, fps = excluded.fps,
         width = excluded.width, height = excluded.height, duration_s = excluded.duration_s, codec = excluded.codec,
         error = excluded.error, sha256 = excluded.sha256`
    )
    for (const m of probed) {
      upsertMedia.run({
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
    const deleteMedia = db.prepare('DELETE FROM media WHERE source_id = ? AND rel_path = ?')
    // A file relinked by hand may live outside the scanned folders: it goes only when it is gone.
    for (const relPath of known)
      if (!present.has(relPath) && !existsSync(join(root, relPath))) deleteMedia.run(sourceId, relPath)

    const insertEntry = db.prepare(
      `INSERT INTO entries (source_id, row_no, line, sort_key, raw_record, edited, cells, filename, label, label_raw,
         probe, type, license, source_ref, location, title, search_text, normalized, warnings, media_status, updated_at)
       VALUES (@source_id, @row_no, @line, @sort_key, @raw_record, @edited, @cells, @filename, @label, @label_raw,
         @probe, @type, @license, @source_ref, @location, @title, @search_text, @normalized, @warnings, 'missing', @updated_at)`
    )
    if (existingSourceId === null) {
      csv.records.forEach((r, i) => {
        insertEntry.run({
          source_id: sourceId,
          row_no: i + 1,
          line: r.line,
          sort_key: i + 1,
          raw_record: r.raw,
          edited: 0,
          cells: JSON.stringify(r.cells),
          ...derived[i]!.columns,
          updated_at: now
        })
        entriesAdded++
        if (entriesAdded % WRITE_PROGRESS_EVERY === 0) progress(`Writing catalog: ${entriesAdded} of ${csv.records.length} entries`)
      })
    }

    if (includeOrphans) {
      const hasEntry = db.prepare<[number, string], { id: number }>(
        'SELECT id FROM entries WHERE source_id = ? AND filename = ?'
      )
      let sortKey =
        db.prepare<[number], { k: number | null }>('SELECT max(sort_key) AS k FROM entries WHERE source_id = ?').get(sourceId)!
          .k ?? 0
      for (const m of orphans) {
        if (hasEntry.get(sourceId, m.stem)) continue
        const cells = orphanCells(m)
        insertEntry.run({
          source_id: sourceId,
          row_no: null,
          line: null,
          sort_key: ++sortKey,
          raw_record: null,
          edited: 1,
          cells: JSON.stringify(cells),
          ...deriveColumns(cells).columns,
          updated_at: now
        })
        orphansAdded++
      }
    }

    // (Re)link every entry of the source to its media by exact stem.
    progress('Linking media')
    const mediaIdByRel = new Map(
      db
        .prepare<[number], { id: number; rel_path: string }>('SELECT id, rel_path FROM media WHERE source_id = ?')
        .all(sourceId)
        .map((m) => [m.rel_path, m.id])
    )
    const link = db.prepare('UPDATE entries SET media_id = ?, media_status = ? WHERE id = ?')
    for (const e of db
      .prepare<[number], { id: number; filename: string; linked_stem: string | null }>(
        `SELECT e.id, e.filename, m.stem AS linked_stem FROM entries e LEFT JOIN media m ON m.id = e.media_id WHERE e.source_id = ?`
      )
      .all(sourceId)) {
      // An entry relinked by hand to a file of another name keeps that link.
      if (e.linked_stem !== null && e.linked_stem !== e.filename) continue
      const candidates = byStem.get(e.filename)
      if (candidates?.length === 1) {
        const m = candidates[0]!
        link.run(mediaIdByRel.get(m.relPath)!, m.error ? 'unreadable' : 'linked', e.id)
      } else link.run(null, 'missing', e.id)
    }
    return sourceId
  })

  // IMMEDIATE: the write lock is taken up front (waiting out the busy timeout), never half-way through.
  const sourceId = write.immediate()
  const counts = db
    .prepare<[number], { linked: number; missing: number }>(
      `SELECT sum(media_status = 'linked') AS linked, sum(media_status = 'missing') AS missing FROM entries WHERE source_id = ?`
    )
    .get(sourceId)!

  return {
    sourceId,
    folder: root,
    rows: csv.records.length,
    entriesAdded,
    entriesKept,
    orphansAdded,
    mediaFiles: probed.length,
    linked: counts.linked ?? 0,
    rowsWithoutMedia: counts.missing ?? 0,
    unreadable: probed.filter((m) => m.error).map((m) => ({ file: m.relPath, error: m.error! })),
    orphans: orphans.map((m) => m.relPath),
    duplicateStems,
    duplicateFilenames,
    warnings
  }
}

/** Where the read and write phases run: here, on the caller's connection, or in a worker on its own. */
interface ImportPhases {
  prepare(): Promise<PreparedSummary>
  write(probed: ProbedMedia[], includeOrphans: boolean, progress: (message: string) => void): Promise<WrittenImport>
  close(): Promise<void>
}

function inThreadPhases(db: CatalogDb, root: string): ImportPhases {
  let prepared: PreparedImport | null = null
  return {
    prepare: async () => (prepared = prepareImport(db, root)),
    write: async (probed, includeOrphans, progress) => writeImport(db, prepared!, probed, includeOrphans, progress),
    close: async () => {}
  }
}

function offThreadPhases(db: CatalogDb, root: string, nativeBinding: string | undefined): ImportPhases {
  const data: ImportWorkerData = { catalogPath: db.name, root, ...(nativeBinding ? { nativeBinding } : {}) }
  let onProgress: (message: string) => void = () => {}
  const worker = new WorkerConversation<ImportWorkerAnswer>(startWorker('importWorker', data), (m) => {
    if (m.type === 'progress') onProgress(m.message)
  })
  return {
    prepare: async () => {
      const m = await worker.next('prepared')
      return { existingSourceId: m.existingSourceId, known: m.known }
    },
    write: async (probed, includeOrphans, progress) => {
      onProgress = progress
      // While the worker holds the write lock, a write here fails at once (the API answers `conflict`) rather than
      // blocking this thread for the busy timeout.
      const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number
      db.pragma('busy_timeout = 0')
      try {
        worker.send({ type: 'write', probed, includeOrphans } satisfies ImportWorkerRequest)
        return (await worker.next('written')).result
      } finally {
        // PRAGMA takes no bound parameters; the value is the integer it had.
        db.pragma(`busy_timeout = ${Math.trunc(busyTimeout)}`)
      }
    },
    close: () => worker.close()
  }
}

export async function importDataset(db: CatalogDb, folder: string, options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now()
  const progress = options.onProgress ?? (() => {})
  const probe = options.probe ?? ((f: string) => probeMedia(f))
  const root = resolveDatasetFolder(folder)

  progress({ done: 0, total: 0, message: `Reading ${CSV_FILE_NAME}` })
  const phases = options.offThread && !db.memory ? offThreadPhases(db, root, options.nativeBinding) : inThreadPhases(db, root)
  try {
    const prepared = await phases.prepare()
    const scanned = scanMedia(root)
    const known = new Map(prepared.known.map((m) => [m.rel_path, m]))

    let done = 0
    const total = scanned.length
    progress({ done, total, message: `Probing ${total} media files` })
    const probed: ProbedMedia[] = await mapLimit(scanned, options.concurrency ?? availableParallelism(), async (m) => {
      let result: ProbedMedia
      const prior = known.get(m.relPath)
      if (m.unreadable) {
        // Flagged by the scan (a name that is not UTF-8): reported, never opened.
        result = { ...m, probe: null, error: m.unreadable, sha256: null }
      } else if (prior && prior.size_bytes === m.sizeBytes && prior.mtime_ms === m.mtimeMs && prior.sha256 !== null) {
        // Unchanged since the last import: keep what ffprobe said then.
        result = {
          ...m,
          probe: prior.error
            ? null
            : { frames: prior.frames, fps: prior.fps, width: prior.width, height: prior.height, durationS: prior.duration_s, codec: prior.codec },
          error: prior.error,
          sha256: prior.sha256
        }
      } else if (m.sizeBytes === 0) {
        result = { ...m, probe: null, error: 'zero-byte file', sha256: null }
      } else {
        let sha256: string | null = null
        try {
          const [probed, hash] = await Promise.all([probe(m.absPath), hashFile(m.absPath)])
          sha256 = hash
          const problem = mediaProblem(m.kind, extname(m.relPath).toLowerCase(), probed)
          result = problem ? { ...m, probe: null, error: problem, sha256 } : { ...m, probe: probed, error: null, sha256 }
        } catch (e) {
          result = { ...m, probe: null, error: (e as Error).message, sha256 }
        }
      }
      done++
      progress({ done, total, message: m.relPath })
      return result
    })

    progress({ done: total, total, message: 'Writing catalog' })
    const written = await phases.write(probed, options.includeOrphans ?? false, (message) => progress({ done: total, total, message }))
    return { ...written, durationMs: Math.round(performance.now() - started) }
  } finally {
    await phases.close()
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
