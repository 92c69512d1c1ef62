import type { CatalogRepository } from '../catalog/catalogRepository'
import { UserError } from '../errors'
import { containedPath } from './mediaResponse'

/** The file behind a media id, contained in its dataset folder. */
export function mediaFilePath(repository: CatalogRepository, mediaId: number): string {
  const loc = repository.mediaLocation(mediaId)
  if (!loc) throw new UserError('not_found', `No media with id ${mediaId}.`)
  return containedPath(loc.root, loc.relPath)
}
