/**
 * What `lus-media://` answers, in either mode, apart from Electron's
 * protocol module so it can be tested without it:
 *
 *   catalog mode   lus-media://media/<id>[/playback|/thumb]   (mediaRoutes)
 *   reader mode    lus-media://study/<clipNo>                 (studyClipRoutes)
 *
 * Each mode answers 404 to the other's URLs: a reader workstation serves
 * nothing of a catalog, and the catalog app holds no study.
 */
import type { CatalogRepository } from '../catalog/catalogRepository'
import { parseMediaPath, resolveMediaFile, type MediaAnswer } from '../media/mediaRoutes'
import type { PlaybackService } from '../media/playbackService'
import {
  NO_CATALOG_MEDIA_MESSAGE,
  NO_STUDY_MEDIA_MESSAGE,
  parseClipNo,
  resolveStudyClip,
  type StudyClipFiles
} from '../reader/studyClipRoutes'

export type MediaSchemeSource =
  /** Read on every request, so that after a backup is restored in place the restored catalog answers. */
  | { mode: 'catalog'; services: { readonly repository: CatalogRepository; readonly playback?: PlaybackService } }
  | { mode: 'reader'; study: StudyClipFiles }

export async function resolveMediaSchemeUrl(url: URL, source: MediaSchemeSource): Promise<MediaAnswer> {
  const rest = url.pathname.replace(/^\//, '')
  if (source.mode === 'reader') {
    if (url.hostname === 'study') return resolveStudyClip(source.study, parseClipNo(rest))
    if (url.hostname === 'media') return { status: 404, message: NO_CATALOG_MEDIA_MESSAGE }
    return { status: 400, message: 'Bad media URL' }
  }
  if (url.hostname === 'study') return { status: 404, message: NO_STUDY_MEDIA_MESSAGE }
  const target = url.hostname === 'media' ? parseMediaPath(rest) : null
  if (!target) return { status: 400, message: 'Bad media URL' }
  return resolveMediaFile(target, source.services.repository, source.services.playback)
}
