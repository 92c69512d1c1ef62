/**
 * A reader study as serve mode's host: the API answers the reader-mode
 * operations only, clips are served at `/study/clips/<clipNo>`, and the
 * catalog's `/media/…` routes do not exist.
 */
import { dispatch } from '../api/dispatch'
import type { ServeHost } from '../serve/httpServer'
import { READER_DISPATCH, createReaderHandlers } from './readerHandlers'
import type { ReaderService } from './readerService'
import { NO_CATALOG_MEDIA_MESSAGE, STUDY_CLIPS_PATH, parseClipNo, resolveStudyClip } from './studyClipRoutes'

export function readerServeHost(service: ReaderService): ServeHost {
  const handlers = createReaderHandlers(service)
  return {
    dispatch: (op, payload) => dispatch(handlers, op, payload, READER_DISPATCH),
    // A study never changes under a page: the ids it holds stay good.
    generation: () => 0,
    media: async (pathname) => {
      if (!pathname.startsWith(STUDY_CLIPS_PATH)) return { status: 404, message: NO_CATALOG_MEDIA_MESSAGE }
      return resolveStudyClip(service, parseClipNo(pathname.slice(STUDY_CLIPS_PATH.length)))
    }
  }
}
