/**
 * The reader-mode operations as handlers, in both hosts: a reader
 * workstation answers them from its study, and answers nothing else
 * (READER_DISPATCH refuses every other operation); the catalog app answers
 * `app/mode` and refuses the reader operations, since no study is open there.
 */
import { READER_MODE_OPERATIONS, type ReaderModeOperation } from '../../shared/operations'
import type { DispatchOptions } from '../api/dispatch'
import type { Handlers } from '../api/handlers'
import { UserError } from '../errors'
import type { ReaderService } from './readerService'

export type ReaderHandlers = Pick<Handlers, ReaderModeOperation>

export const NO_STUDY_OPEN_MESSAGE =
  'No reader study is open here: open one with `lus-review serve --study FILE.zip` (or File → Open reader study…).'

export const READER_WORKSTATION_REFUSAL =
  'This is a reader workstation: it answers only the reader study it holds, and the catalog and its other tools are not available here.'

/** How a reader workstation dispatches: its own operations only. */
export const READER_DISPATCH: DispatchOptions = { allowed: READER_MODE_OPERATIONS, refusal: READER_WORKSTATION_REFUSAL }

export function createReaderHandlers(service: ReaderService): ReaderHandlers {
  return {
    'app/mode': () => ({ mode: 'reader' }),
    'reader/study': () => service.study(),
    'reader/open': ({ raterId, clipNo }) => service.open(raterId, clipNo),
    'reader/submit': (args) => service.submit(args),
    'reader/playback': ({ clipNo }) => service.playback(clipNo),
    'reader/keyFrames/set': ({ raterId, clipNo, frame, note }) => service.setKeyFrame(raterId, clipNo, frame, note),
    'reader/keyFrames/remove': ({ raterId, clipNo, frame }) => service.removeKeyFrame(raterId, clipNo, frame),
    'reader/exportRatings': (args) => service.exportRatings(args)
  }
}

/** The catalog app's answers: it is not a reader workstation. */
export function catalogModeReaderHandlers(): ReaderHandlers {
  const noStudy = (): never => {
    throw new UserError('forbidden', NO_STUDY_OPEN_MESSAGE)
  }
  return {
    'app/mode': () => ({ mode: 'catalog' }),
    'reader/study': noStudy,
    'reader/open': noStudy,
    'reader/submit': noStudy,
    'reader/playback': noStudy,
    'reader/keyFrames/set': noStudy,
    'reader/keyFrames/remove': noStudy,
    'reader/exportRatings': noStudy
  }
}
