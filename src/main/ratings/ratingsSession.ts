/**
 * The ratings services over a catalog file, for the command line (the app
 * builds them in createServices): the catalog, its audited edits, and the
 * playback service whose proxies reader bundles copy — sharing the app's
 * media cache, so a proxy the app already made is not made again.
 */
import { CatalogRepository } from '../catalog/catalogRepository'
import { openCatalog } from '../catalog/database'
import { PlaybackService } from '../media/playbackService'
import { ReviewService } from '../review/reviewService'
import { RatingsService } from './ratingsService'

export interface RatingsSession {
  service: RatingsService
  close(): Promise<void>
}

export function openRatingsSession(catalogPath: string, o: { version: string; cacheDir: string }): RatingsSession {
  const db = openCatalog(catalogPath)
  const repository = new CatalogRepository(db)
  const playback = new PlaybackService({ db, repository, cacheDir: o.cacheDir })
  const service = new RatingsService({ db, repository, review: new ReviewService(db, repository), version: o.version, playback })
  return {
    service,
    close: async () => {
      // ffmpeg jobs stop before the catalog they report to closes.
      await playback.close()
      db.close()
    }
  }
}
