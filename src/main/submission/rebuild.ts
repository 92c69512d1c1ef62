/**
 * Rebuilding what the dataset cannot redistribute, offline, from files the
 * user has: the Butterfly gallery zip and raw downloads of the web videos.
 * The clips are written where the dataset's own scripts put them (the
 * source folder's pocus_videos/<probe>/, named by the CSV's Filename) and
 * the source is re-imported, which links them to their existing rows: they
 * stop being "media missing", and the catalog stays what a re-import of the
 * folder would give. Existing files are never overwritten; if the re-import
 * fails, the files written are removed again. Every place written to is
 * named partly by data (the CSV's Filename, crop.json's keys, the gallery's
 * extensions), so each is contained in the dataset folder (fs/containment.ts):
 * a key that would leave it refuses the rebuild before anything is written.
 */
import { constants, copyFileSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import type { RebuildReport } from '../../shared/submissionContract'
import type { CatalogDb } from '../catalog/database'
import { produceFileAtomic } from '../fs/atomicWrite'
import { EntriesTable, type EntryOfSource } from '../catalog/entriesTable'
import { SourcesTable } from '../catalog/sourcesTable'
import { CSV_FILE_NAME, importDataset } from '../dataset/datasetImport'
import { columnIndex } from '../dataset/normalize'
import { UserError } from '../errors'
import { containedTarget, ContainmentError, somethingAt } from '../fs/containment'
import { mediaKind } from '../media/mediaScan'
import { probeMedia, type ProbeResult } from '../media/probe'
import { sha256File } from '../media/contentHash'
import { EditsStore, type EditsOrigin } from './editsStore'
import { changesMade, parseCropJson, probeOfKey, type CropJsonEntry, type MediaEdits } from './mediaEdits'
import { renderMedia } from './renderMedia'
import { openZip, extractEntry, type ZipItem } from './zipRead'

export interface RebuildOptions {
  sourceId?: number
  onProgress?: (p: { done: number; total: number; message: string }) => void
  probeFile?: (file: string) => Promise<ProbeResult>
}

interface Source {
  id: number
  root: string
}

type Row = EntryOfSource

interface Placement {
  entryId: number
  filename: string
  relPath: string
  abs: string
  edits: MediaEdits | null
  origin: EditsOrigin
  sourceKey: string | null
  /** True when the edits are already in the written file's pixels. */
  baked: boolean
}

/** The dataset source to rebuild into: the given one, or the first with CSV rows. */
export function datasetSource(db: CatalogDb, sourceId?: number): Source {
  const sources = new SourcesTable(db)
  const row = sourceId !== undefined ? sources.get(sourceId) : sources.firstWithCsvRows()
  const s: Source | undefined = row && { id: row.id, root: row.root }
  if (!s) throw new UserError('not_found', sourceId !== undefined ? `No dataset with id ${sourceId} in this catalog.` : 'Import the dataset folder first: its CSV rows say which clips to rebuild.')
  if (!existsSync(join(s.root, CSV_FILE_NAME))) throw new UserError('bad_input', `The dataset folder ${s.root} is gone or has no ${CSV_FILE_NAME}.`)
  return s
}

/** A CSV file name is used as a path: refuse anything that could leave the folder. */
function safeName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[\\/\0]/.test(name) && !/[\x00-\x1f]/.test(name)
}

const probeOf = (o: RebuildOptions): ((f: string) => Promise<ProbeResult>) => o.probeFile ?? ((f) => probeMedia(f))

function rowsOf(db: CatalogDb, sourceId: number): Row[] {
  return new EntriesTable(db).ofSource(sourceId)
}

function byFilename(rows: Row[]): Map<string, Row> {
  const m = new Map<string, Row>()
  for (const r of rows) if (!m.has(r.filename)) m.set(r.filename, r)
  return m
}

const linkedCount = (db: CatalogDb, sourceId: number): number => new EntriesTable(db).linkedCountOfSource(sourceId)

const probeFolder = (r: Row): string => (['convex', 'linear'].includes(r.probe.trim().toLowerCase()) ? r.probe.trim().toLowerCase() : 'convex')

function emptyReport(source: Source, db: CatalogDb): RebuildReport {
  return { sourceId: source.id, placed: [], alreadyPresent: [], notFound: [], failed: [], linkedBefore: linkedCount(db, source.id), linkedAfter: 0 }
}

/** Re-imports the source to link the placed files, then records their crop settings. */
async function relink(db: CatalogDb, source: Source, placed: Placement[], report: RebuildReport, o: RebuildOptions): Promise<RebuildReport> {
  if (placed.length > 0) {
    try {
      await importDataset(db, source.root, { probe: o.probeFile, onProgress: o.onProgress })
    } catch (e) {
      for (const p of placed) rmSync(p.abs, { force: true })
      throw e
    }
    const store = new EditsStore(db)
    const withEdits = await Promise.all(placed.filter((p) => p.edits).map(async (p) => ({ p, sha: p.baked ? await sha256File(p.abs) : null })))
    db.transaction(() => {
      for (const { p, sha } of withEdits) store.write(p.entryId, p.edits!, { origin: p.origin, sourceKey: p.sourceKey, bakedSha256: sha })
    })()
  }
  const entries = new EntriesTable(db)
  report.placed = placed.map((p) => {
    const cells = JSON.parse(entries.cellsJson(p.entryId)!) as string[]
    return { filename: p.filename, relPath: p.relPath, changes: p.edits ? changesMade(cells[columnIndex('ChangesMade')] ?? '', p.edits) : 'none' }
  })
  report.linkedAfter = linkedCount(db, source.id)
  return report
}

/**
 * Where `relPath` is written in the source folder: contained in it (its
 * folders made as needed, none of them a link), and nothing there yet, not
 * even a dangling link. A UserError naming the path otherwise.
 */
function placeFor(source: Source, relPath: string): string {
  let abs: string
  try {
    abs = containedTarget(source.root, relPath, { create: true })
  } catch (e) {
    if (e instanceof ContainmentError) throw new UserError('bad_input', `${relPath} ${e.message}: it would be written outside the dataset folder, so it was not written`)
    throw e
  }
  if (somethingAt(abs)) throw new UserError('conflict', `${relPath} already exists and is not overwritten`)
  return abs
}

/** Writes through a `.partial` name so a crash never leaves a half file under a media name. */
function place<T>(abs: string, write: (tmp: string) => Promise<T>): Promise<T> {
  return produceFileAtomic(abs, write, `${abs}.partial`)
}

/**
 * The crop the dataset's Butterfly script applied (process_butterfly_videos.py):
 * 100 px off the top (the app's header), 15 % off each side, a square below.
 */
export function butterflyCrop(width: number, height: number): MediaEdits['crop'] {
  const top = 100
  let border = Math.floor(width * 0.15)
  let size = width - 2 * border
  if (size + top > height) {
    size = height - top
    border = Math.floor(width / 2 - size / 2)
  }
  return size > 0 && border >= 0 ? { top, left: border, size } : null
}

export async function rebuildButterfly(db: CatalogDb, zipPath: string, o: RebuildOptions & { namesFile?: string } = {}): Promise<RebuildReport> {
  const source = datasetSource(db, o.sourceId)
  const namesFile = o.namesFile ?? join(source.root, 'data_from_butterfly.json')
  let names: unknown
  try {
    names = JSON.parse(readFileSync(namesFile, 'utf8'))
  } catch (e) {
    throw new UserError('bad_input', `Cannot read the list of Butterfly clips (${basename(namesFile)}): ${(e as Error).message}`)
  }
  if (!Array.isArray(names) || !names.every((n): n is string => typeof n === 'string'))
    throw new UserError('bad_input', `${basename(namesFile)} should be a JSON list of file names.`)
  const report = emptyReport(source, db)
  const rows = byFilename(rowsOf(db, source.id))
  const zip = await openZip(zipPath)
  const placed: Placement[] = []
  try {
    // The gallery names its files without the dataset's "Cov-Butterfly-" prefix, in category folders.
    const byName = new Map<string, ZipItem>()
    for (const e of zip.entries) {
      if (e.folder || e.name.startsWith('__MACOSX/')) continue
      const key = basename(e.name).normalize('NFC').toLowerCase()
      if (!byName.has(key)) byName.set(key, e)
    }
    let done = 0
    for (const name of names) {
      o.onProgress?.({ done: done++, total: names.length, message: name })
      const stem = name.slice(0, name.length - extname(name).length)
      const gallery = name.split('Butterfly-').pop()!
      const galleryStem = gallery.slice(0, gallery.length - extname(gallery).length)
      // Rows may spell the clip without its prefix ("Subpleural Basal Consolidation_Example 2", beside its prefixed twin): each gets it.
      const targets = [...new Set([rows.get(stem), rows.get(galleryStem)].filter((r): r is Row => r !== undefined))]
      if (targets.length === 0) {
        report.failed.push({ name, error: `no row of ${CSV_FILE_NAME} has the Filename "${stem}"` })
        continue
      }
      const entry = byName.get(gallery.normalize('NFC').toLowerCase()) ?? byName.get(name.normalize('NFC').toLowerCase())
      for (const row of targets) {
        if (row.media_status === 'linked') {
          report.alreadyPresent.push(row.filename)
          continue
        }
        if (!safeName(row.filename)) {
          report.failed.push({ name, error: `the Filename "${row.filename}" cannot be used as a file name` })
          continue
        }
        if (!entry) {
          report.notFound.push(gallery)
          continue
        }
        const relPath = `pocus_videos/${probeFolder(row)}/${row.filename}${extname(entry.name).toLowerCase() || '.mp4'}`
        try {
          const abs = placeFor(source, relPath)
          const p = await place(abs, async (tmp) => {
            await extractEntry(zip, entry, tmp)
            return probeOf(o)(tmp)
          })
          const crop = p.width && p.height ? butterflyCrop(p.width, p.height) : null
          placed.push({ entryId: row.id, filename: row.filename, relPath, abs, edits: crop ? { crop, trim: null, masks: [] } : null, origin: 'butterfly', sourceKey: null, baked: false })
        } catch (e) {
          report.failed.push({ name, error: e instanceof UserError ? e.message : `${(e as Error).message}` })
        }
      }
    }
  } finally {
    zip.zip.close()
  }
  return relink(db, source, placed, report, o)
}

function listFiles(folder: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name)
      const st = lstatSync(abs)
      if (st.isDirectory()) walk(abs)
      else if (st.isFile() && !name.endsWith('.partial')) out.push(abs)
    }
  }
  walk(folder)
  return out
}

export async function rebuildWebVideos(db: CatalogDb, folder: string, o: RebuildOptions & { cropJsonPath?: string } = {}): Promise<RebuildReport> {
  const source = datasetSource(db, o.sourceId)
  if (!existsSync(folder) || !lstatSync(folder).isDirectory()) throw new UserError('bad_input', `The folder ${folder} does not exist.`)
  const cropPath = o.cropJsonPath ?? join(source.root, 'crop.json')
  const crops: CropJsonEntry[] = existsSync(cropPath) ? parseCropJson(readFileSync(cropPath, 'utf8'), basename(cropPath)) : []
  // Checked before anything is written: a key naming a place outside the dataset folder is a crafted or broken crop.json.
  for (const c of crops) {
    if (!c.key.includes('/')) continue
    try {
      containedTarget(source.root, c.key)
    } catch (e) {
      if (!(e instanceof ContainmentError)) throw e
      throw new UserError(
        'bad_input',
        `${basename(cropPath)} was refused: its key ${JSON.stringify(c.key)} ${e.message}, so a clip rebuilt for it would be written outside the dataset folder. Nothing was rebuilt; correct or remove that key and run the rebuild again.`
      )
    }
  }
  const cropsByStem = new Map<string, CropJsonEntry[]>()
  for (const c of crops) cropsByStem.set(c.stem, [...(cropsByStem.get(c.stem) ?? []), c])
  // Of two keys for one name (convex and linear), the one in the row's probe folder.
  const cropFor = (r: Row): CropJsonEntry | null => {
    const all = cropsByStem.get(r.filename) ?? []
    return all.find((c) => probeOfKey(c.key) === r.probe.trim().toLowerCase()) ?? all[0] ?? null
  }

  const files = listFiles(folder)
  const byName = new Map<string, string>()
  const byStem = new Map<string, string>()
  for (const f of files) {
    const b = basename(f).toLowerCase()
    if (!byName.has(b)) byName.set(b, f)
    const s = b.slice(0, b.length - extname(b).length)
    if (!byStem.has(s)) byStem.set(s, f)
  }

  const report = emptyReport(source, db)
  const rows = rowsOf(db, source.id)
  const placed: Placement[] = []
  const work = rows.filter((r) => cropsByStem.has(r.filename) || byStem.has(r.filename.toLowerCase()))
  let done = 0
  for (const row of work) {
    o.onProgress?.({ done: done++, total: work.length, message: row.filename })
    const crop = cropFor(row)
    if (row.media_status === 'linked') {
      report.alreadyPresent.push(row.filename)
      continue
    }
    const raw = (crop && byName.get(basename(crop.key).toLowerCase())) || byStem.get(row.filename.toLowerCase())
    if (!raw) {
      if (crop) report.notFound.push(basename(crop.key))
      continue
    }
    if (!safeName(row.filename)) {
      report.failed.push({ name: row.filename, error: 'the Filename cannot be used as a file name' })
      continue
    }
    try {
      if (crop) {
        // As the dataset's crop_processed_data.py: videos become <name>.mp4, images keep being images (PNG here).
        const kind = /^pocus_images\//i.test(crop.key) || mediaKind(crop.key) === 'image' ? 'image' : 'video'
        const dir = crop.key.includes('/') ? crop.key.slice(0, crop.key.lastIndexOf('/')) : `${kind === 'image' ? 'pocus_images' : 'pocus_videos'}/${probeFolder(row)}`
        const relPath = `${dir}/${row.filename}${kind === 'image' ? '.png' : '.mp4'}`
        const abs = placeFor(source, relPath)
        const edits: MediaEdits = { crop: crop.crop, trim: crop.trim, masks: [] }
        await place(abs, (tmp) => renderMedia(raw, tmp, kind, edits, { label: basename(raw), probeFile: o.probeFile }))
        placed.push({ entryId: row.id, filename: row.filename, relPath, abs, edits, origin: 'crop.json', sourceKey: crop.key, baked: true })
      } else {
        const kind = mediaKind(raw)
        if (!kind) throw new UserError('bad_input', `${basename(raw)} is not a video or image the dataset uses`)
        const relPath = `${kind === 'image' ? 'pocus_images' : 'pocus_videos'}/${probeFolder(row)}/${row.filename}${extname(raw).toLowerCase()}`
        const abs = placeFor(source, relPath)
        // COPYFILE_EXCL: the copy creates its file, it never writes through one that appeared meanwhile.
        await place(abs, async (tmp) => copyFileSync(raw, tmp, constants.COPYFILE_EXCL))
        placed.push({ entryId: row.id, filename: row.filename, relPath, abs, edits: null, origin: 'crop.json', sourceKey: null, baked: false })
      }
    } catch (e) {
      report.failed.push({ name: basename(raw), error: e instanceof UserError ? e.message : (e as Error).message })
    }
  }
  return relink(db, source, placed, report, o)
}
