/**
 * Finding a bundle's clips in this catalog: by the media file's content hash
 * (wherever the file lives here), else — only for clips that had no media —
 * by file name and CSV row. Several files with one hash (the same video saved
 * twice) are told apart by file name.
 */
import type { CatalogDb } from '../../catalog/database'
import type { BundleClip } from './bundleFormat'

interface Candidate {
  id: number
  filename: string
  row_no: number | null
}

export type ClipMatch = { entryId: number; by: 'sha256' | 'filename' } | { entryId: null; why: string }

export class ClipMatcher {
  private readonly s

  constructor(db: CatalogDb) {
    this.s = {
      byHash: db.prepare<[string], Candidate>(
        'SELECT e.id, e.filename, e.row_no FROM entries e JOIN media m ON m.id = e.media_id WHERE m.sha256 = ? ORDER BY e.id'
      ),
      byName: db.prepare<[string, number | null], Candidate>('SELECT id, filename, row_no FROM entries WHERE filename = ? AND row_no IS ? ORDER BY id')
    }
  }

  match(clip: BundleClip): ClipMatch {
    if (clip.sha256 !== null) {
      const all = this.s.byHash.all(clip.sha256)
      if (all.length === 0) return { entryId: null, why: `no media file here has its content (SHA-256 ${clip.sha256.slice(0, 12)}…)` }
      const found = all.length === 1 ? all : narrow(all, clip)
      if (found.length === 1) return { entryId: found[0]!.id, by: 'sha256' }
      return { entryId: null, why: `${all.length} clips here have its content, and its file name does not tell them apart` }
    }
    const found = this.s.byName.all(clip.filename, clip.row)
    if (found.length === 1) return { entryId: found[0]!.id, by: 'filename' }
    return { entryId: null, why: found.length === 0 ? 'no entry here has its file name and CSV row' : 'several entries here have its file name and CSV row' }
  }
}

function narrow(found: Candidate[], clip: BundleClip): Candidate[] {
  const byName = found.filter((c) => c.filename === clip.filename)
  if (byName.length <= 1) return byName
  return byName.filter((c) => c.row_no === clip.row)
}
