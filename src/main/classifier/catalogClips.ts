/**
 * The catalog entries the classifier works on: every entry linked to a media
 * file, with the cells the splitter groups by (patient, source) and the
 * file's absolute path for ffmpeg.
 */
import { join } from 'node:path'
import { lusClassForLabel, type LusClass } from '../../shared/classifierPreprocess'
import { LABELS, type Label } from '../../shared/vocabulary'
import type { CatalogDb } from '../catalog/database'
import { columnIndex } from '../dataset/normalize'

export interface CatalogClip {
  entryId: number
  sourceId: number
  /** The CSV's Filename cell (usually the media file's stem). */
  filename: string
  /** The media file's name with its extension, as the dataset's training scripts name clips. */
  mediaName: string
  label: Label
  /** The class the model learns; null for labels it does not (Other). */
  lusClass: LusClass | null
  /** `Patient ID / Name` cell, trimmed; '' when empty. */
  patientId: string
  /** `Source ID` cell, trimmed. */
  sourceRef: string
  mediaId: number
  relPath: string
  absPath: string
  kind: 'video' | 'image'
  mediaSha256: string | null
}

interface Row {
  id: number
  source_id: number
  filename: string
  label: string
  patient: string | null
  source_ref: string | null
  media_id: number
  rel_path: string
  root: string
  kind: 'video' | 'image'
  sha256: string | null
}

const PATIENT_COL = columnIndex('Patient ID / Name')
const SOURCE_COL = columnIndex('Source ID')

/** Prepared once per connection; the column positions are constants of the CSV layout. */
export function catalogClipReader(db: CatalogDb): { all(): CatalogClip[]; one(entryId: number): CatalogClip | null } {
  const base = `SELECT e.id, e.source_id, e.filename, e.label,
      json_extract(e.cells, '$[${PATIENT_COL}]') AS patient, json_extract(e.cells, '$[${SOURCE_COL}]') AS source_ref,
      m.id AS media_id, m.rel_path, s.root, m.kind, m.sha256
    FROM entries e JOIN media m ON m.id = e.media_id JOIN sources s ON s.id = e.source_id`
  const all = db.prepare<[], Row>(`${base} ORDER BY e.source_id, e.sort_key`)
  const one = db.prepare<[number], Row>(`${base} WHERE e.id = ?`)
  return {
    all: () => all.all().map(toClip),
    one: (entryId) => {
      const r = one.get(entryId)
      return r ? toClip(r) : null
    }
  }
}

function toClip(r: Row): CatalogClip {
  const label = (LABELS as readonly string[]).includes(r.label) ? (r.label as Label) : 'other'
  const mediaName = r.rel_path.split('/').pop() ?? r.rel_path
  return {
    entryId: r.id,
    sourceId: r.source_id,
    filename: r.filename,
    mediaName,
    label,
    lusClass: lusClassForLabel(label),
    patientId: (r.patient ?? '').trim(),
    sourceRef: (r.source_ref ?? '').trim(),
    mediaId: r.media_id,
    relPath: r.rel_path,
    absPath: join(r.root, ...r.rel_path.split('/')),
    kind: r.kind,
    mediaSha256: r.sha256
  }
}
