/**
 * Where a row whose clip the dataset does not redistribute can be rebuilt
 * from, read from its CSV cells the way src/main/submission/rebuild.ts finds
 * them: the Butterfly gallery (its clips are named "…Butterfly-…" and come
 * from butterflynetwork.com), else a web video at the row's URL. Rows with
 * neither (donations, publications) have no public source to rebuild from.
 */
export type RebuildSource = 'butterfly' | 'web'

export interface RebuildCells {
  filename: string
  /** `Current location` */
  location: string
  /** `URL (Video Name)` */
  url: string
}

export function rebuildSourceOf(cells: RebuildCells): RebuildSource | null {
  const url = cells.url.trim().toLowerCase()
  if (/butterfly-/i.test(cells.filename) || url.includes('butterflynetwork.') || cells.location.trim().toLowerCase() === 'butterfly') return 'butterfly'
  if (/^https?:\/\//.test(url) || /^www\./.test(url)) return 'web'
  return null
}
