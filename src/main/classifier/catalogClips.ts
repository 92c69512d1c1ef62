/**
 * The catalog entries the classifier works on: every entry linked to a media
 * file, with the cells the splitter groups by (patient, source) and the
 * file's absolute path for ffmpeg.
 */
import { join } from 'node:path'
import { lusClassForLabel, type LusClass } from '../../shared/classifierPreprocess'
import { LABELS, type Label } from '../../shared/vocabulary'
import type { CatalogDb } from '../catalog/database'
import { EntryMediaQueries, type LinkedClipRow } from '../catalog/entryMediaQueries'

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

/** Prepared once per connection. */
export function catalogClipReader(db: CatalogDb): { all(): CatalogClip[]; one(entryId: number): CatalogClip | null } {
  const queries = new EntryMediaQueries(db)
  return {
    all: () => queries.linkedClips().map(toClip),
    one: (entryId) => {
      const r = queries.linkedClip(entryId)
      return r ? toClip(r) : null
    }
  }
}

function toClip(r: LinkedClipRow): CatalogClip {
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
