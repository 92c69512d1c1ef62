/**
 * crop.json in and out of the catalog. Entries are matched by file name
 * stem (the key's file name without extension against the Filename cell).
 * An entry whose linked file is already a size×size square of the crop's
 * size is taken to be the processed clip: the settings are recorded as
 * applied to that file (baked) rather than checked against it. A key is
 * kept (and later exported, and used by the web-video rebuild as the place
 * to write to), so one that could name a place outside the dataset folder
 * is rejected, never stored.
 */
import { readFileSync } from 'node:fs'
import { basename, extname } from 'node:path'
import type { CatalogDb } from '../catalog/database'
import { EntryMediaQueries } from '../catalog/entryMediaQueries'
import { UserError } from '../errors'
import { unsafeRelativePath } from '../fs/containment'
import { EditsStore } from './editsStore'
import { cropJsonValue, narrowByProbe, parseCropJson, validateEdits } from './mediaEdits'

export interface CropJsonImportResult {
  applied: { key: string; entryId: number; checked: boolean }[]
  unmatched: string[]
  rejected: { key: string; error: string }[]
}

export function importCropJson(db: CatalogDb, file: string, sourceId?: number): CropJsonImportResult {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new UserError('bad_input', `Cannot read ${basename(file)}: ${(e as Error).message}`)
  }
  const parsed = parseCropJson(text, basename(file))
  const store = new EditsStore(db)
  const catalog = new EntryMediaQueries(db)
  const result: CropJsonImportResult = { applied: [], unmatched: [], rejected: [] }
  const writes: (() => void)[] = []
  for (const entry of parsed) {
    const unsafe = unsafeRelativePath(entry.key)
    if (unsafe) {
      result.rejected.push({
        key: entry.key,
        error: `The key ${JSON.stringify(entry.key)} ${unsafe}: a crop.json key names a file inside the dataset folder (like pocus_videos/convex/clip.mp4). It was not applied; correct it and import the file again.`
      })
      continue
    }
    const matches = narrowByProbe(entry.key, catalog.withMediaByFilename(entry.stem, sourceId ?? null))
    if (matches.length === 0) {
      result.unmatched.push(entry.key)
      continue
    }
    const edits = { crop: entry.crop, trim: entry.trim, masks: [] }
    for (const m of matches) {
      const linked = m.media_status === 'linked' && m.width !== null && m.height !== null && m.kind !== null
      if (linked && m.width === entry.crop.size && m.height === entry.crop.size) {
        writes.push(() => store.write(m.id, edits, { origin: 'crop.json', sourceKey: entry.key, bakedSha256: m.sha256 }))
        result.applied.push({ key: entry.key, entryId: m.id, checked: true })
        continue
      }
      if (linked) {
        try {
          validateEdits(edits, { kind: m.kind!, width: m.width!, height: m.height!, frames: m.kind === 'image' ? 1 : m.frames }, `crop.json entry "${entry.key}"`)
        } catch (e) {
          if (!(e instanceof UserError)) throw e
          result.rejected.push({ key: entry.key, error: e.message })
          continue
        }
      }
      writes.push(() => store.write(m.id, edits, { origin: 'crop.json', sourceKey: entry.key }))
      result.applied.push({ key: entry.key, entryId: m.id, checked: linked })
    }
  }
  db.transaction(() => writes.forEach((w) => w()))()
  return result
}

export interface CropJsonExport {
  json: string
  entries: number
  skipped: { filename: string; reason: string }[]
}

/** crop.json for every entry with a crop, keyed as imported (or by dataset layout), in catalog order. */
export function exportCropJson(db: CatalogDb, sourceId?: number): CropJsonExport {
  const store = new EditsStore(db)
  const edited = new Set(store.editedEntryIds())
  const rows = new EntryMediaQueries(db).filesInCatalogOrder(sourceId ?? null).filter((r) => edited.has(r.id))
  const out: Record<string, unknown> = {}
  const skipped: CropJsonExport['skipped'] = []
  for (const r of rows) {
    const e = store.edits(r.id)
    if (!e.crop) {
      skipped.push({ filename: r.filename, reason: 'crop.json needs a crop; this entry only has a trim or masks' })
      continue
    }
    const kind = r.kind ?? (r.type.toLowerCase() === 'image' ? 'image' : 'video')
    let key = e.sourceKey
    if (!key) {
      if (!r.rel_path) {
        skipped.push({ filename: r.filename, reason: 'no media file to name the key after' })
        continue
      }
      const probe = ['convex', 'linear'].includes(r.probe.toLowerCase()) ? r.probe.toLowerCase() : 'convex'
      key = `${kind === 'image' ? 'pocus_images' : 'pocus_videos'}/${probe}/${r.filename}${extname(r.rel_path)}`
    }
    out[key] = cropJsonValue(e.crop, e.trim, { kind, frames: r.frames })
  }
  // The dataset writes crop.json with Python's json.dump(indent=4), which JSON.stringify(…, 4) matches.
  return { json: JSON.stringify(out, null, 4), entries: Object.keys(out).length, skipped }
}
