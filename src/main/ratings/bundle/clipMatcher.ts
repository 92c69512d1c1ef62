/**
 * Finding a bundle's clips in this catalog: by the media file's content hash
 * (wherever the file lives here), else — only for clips that had no media —
 * by file name and CSV row. Several files with one hash (the same video saved
 * twice) are told apart by file name.
 */
import type { EntryRow } from '../../catalog/catalogRows'
import { catalogTables, type CatalogTables } from '../../catalog/catalogTables'
import type { CatalogDb } from '../../catalog/database'
import type { BundleClip } from './bundleFormat'

type Candidate = Pick<EntryRow, 'id' | 'filename' | 'row_no'>

export type ClipMatch = { entryId: number; by: 'sha256' | 'filename' } | { entryId: null; why: string }

export class ClipMatcher {
  private readonly catalog: CatalogTables

  constructor(db: CatalogDb) {
    this.catalog = catalogTables(db)
  }

  match(clip: BundleClip): ClipMatch {
    if (clip.sha256 !== null) {
      const all = this.catalog.entryMedia.byMediaSha256(clip.sha256)
      if (all.length === 0) return { entryId: null, why: `no media file here has its content (SHA-256 ${clip.sha256.slice(0, 12)}…)` }
      const found = all.length === 1 ? all : narrow(all, clip)
      if (found.length === 1) return { entryId: found[0]!.id, by: 'sha256' }
      return { entryId: null, why: `${all.length} clips here have its content, and its file name does not tell them apart` }
    }
    const found = this.catalog.entries.byFilenameAndRow(clip.filename, clip.row)
    if (found.length === 1) return { entryId: found[0]!.id, by: 'filename' }
    return { entryId: null, why: found.length === 0 ? 'no entry here has its file name and CSV row' : 'several entries here have its file name and CSV row' }
  }
}

function narrow(found: Candidate[], clip: BundleClip): Candidate[] {
  const byName = found.filter((c) => c.filename === clip.filename)
  if (byName.length <= 1) return byName
  return byName.filter((c) => c.row_no === clip.row)
}
