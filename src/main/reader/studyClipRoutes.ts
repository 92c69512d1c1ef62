/**
 * The URLs of a reader study's clips, by clip number only, shared by serve
 * mode (`/study/clips/<clipNo>`) and the Electron media scheme
 * (`lus-media://study/<clipNo>`). The number is resolved to the verified
 * copy in the study store's clips/ folder, contained there (symlinks included).
 */
import type { MediaAnswer } from '../media/mediaRoutes'
import { UserError } from '../errors'

export const STUDY_CLIPS_PATH = '/study/clips/'

/** What a reader workstation answers to the catalog's media URLs. */
export const NO_CATALOG_MEDIA_MESSAGE = 'This is a reader workstation: it serves only the clips of its reader study.'
/** What the catalog app answers to a study clip URL. */
export const NO_STUDY_MEDIA_MESSAGE = 'No reader study is open here.'

/** What the routes need of a study: the stored file of a clip number (not_found when there is none). */
export interface StudyClipFiles {
  clipFile(clipNo: number): string
}

/** `rest` is what follows the route's prefix: a clip number, written plainly (no sign, no leading zero). */
export function parseClipNo(rest: string): number | null {
  const m = /^([1-9]\d{0,8})$/.exec(rest)
  return m ? Number(m[1]) : null
}

export function resolveStudyClip(files: StudyClipFiles, clipNo: number | null): MediaAnswer {
  if (clipNo === null) return { status: 400, message: 'Study clips are addressed by number: /study/clips/<clip number>.' }
  try {
    return { file: files.clipFile(clipNo) }
  } catch (e) {
    if (!(e instanceof UserError)) throw e
    return { status: e.code === 'not_found' ? 404 : 403, message: e.message }
  }
}
