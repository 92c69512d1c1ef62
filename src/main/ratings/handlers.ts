/**
 * The handlers of the rating operations (src/shared/ratingsContract.ts) and
 * of the coordinator's reader-study operations (src/shared/readerContract.ts:
 * reader bundles, rater key frames), to be spread into createServices'
 * handlers. Arguments arrive validated by dispatch.
 */
import { isAbsolute } from 'node:path'
import type { RatingOperationName } from '../../shared/operations'
import type { RatingsContract } from '../../shared/ratingsContract'
import type { ReaderContract } from '../../shared/readerContract'
import type { HandlersOf } from '../api/handlers'
import { UserError } from '../errors'
import { RatingsService, type RatingContext } from './ratingsService'

/** The reader-study operations answered by the catalog app (the reader workstation answers the others). */
export const CATALOG_READER_OPERATIONS = ['reviewSets/exportReaderBundle', 'rater/keyFrames/set', 'rater/keyFrames/remove'] as const
type CatalogReaderOperation = (typeof CATALOG_READER_OPERATIONS)[number]

export type RatingHandlers = HandlersOf<RatingsContract, RatingOperationName> & HandlersOf<ReaderContract, CatalogReaderOperation>

export function createRatingHandlers(ctx: RatingContext, service = new RatingsService(ctx)): RatingHandlers {
  const s = service
  return {
    'raters/list': () => ({ raters: s.raters.list() }),
    'raters/create': ({ name, role }) => s.createRater(name, role),
    'reviewSets/list': () => ({ sets: s.sets.list() }),
    'reviewSets/create': (args) => s.createSet(args),
    'reviewSets/get': ({ setId }) => s.sets.get(setId),
    'reviewSets/agreement': ({ setId, replicates, seed }) =>
      s.agreement(setId, { ...(replicates !== undefined ? { replicates } : {}), ...(seed !== undefined ? { seed } : {}) }),
    'rater/sets': ({ raterId }) => ({ sets: s.raterMode.sets(raterId) }),
    'rater/next': ({ setId, raterId }) => s.raterMode.next(setId, raterId),
    'rater/clip': ({ setId, raterId, clipNo }) => s.raterMode.clip(setId, raterId, clipNo),
    'rater/submit': (args) => s.raterMode.submit(args),
    'adjudication/list': ({ setId, onlyDisagreements }) => s.adjudication.list(setId, onlyDisagreements),
    'adjudication/setConsensus': (args) => s.adjudication.setConsensus(args),
    'adjudication/applyConsensus': ({ setId, includeUnanimous }) => s.adjudication.applyConsensus(setId, includeUnanimous),
    'adjudication/exportComments': ({ setId, from, overwrite }) => s.adjudication.exportComments(setId, from, overwrite),
    'bundles/export': ({ setId, outPath, raterIds }) => s.exportBundle(setId, outPath, raterIds),
    'bundles/import': ({ path, resolutions, dryRun }) => {
      if (!isAbsolute(path)) throw new UserError('bad_input', `Give the bundle as an absolute path (got "${path}").`)
      return s.importBundle(path, { ...(resolutions ? { resolutions } : {}), dryRun })
    },
    'reviewSets/exportReaderBundle': ({ setId, outPath, raterIds }) => s.exportReaderBundle(setId, outPath, raterIds),
    'rater/keyFrames/set': (args) => s.raterMode.setKeyFrame(args),
    'rater/keyFrames/remove': (args) => s.raterMode.removeKeyFrame(args)
  }
}
