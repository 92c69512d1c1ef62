/**
 * The handlers of the rating operations (src/shared/ratingsContract.ts), to
 * be spread into createServices' handlers. Arguments arrive validated by
 * dispatch.
 */
import { isAbsolute } from 'node:path'
import type { z } from 'zod'
import type { RatingOperationName, RatingsContract } from '../../shared/ratingsContract'
import { UserError } from '../errors'
import { RatingsService, type RatingContext } from './ratingsService'

export type RatingHandlers = {
  [K in RatingOperationName]: (
    args: z.output<RatingsContract[K]['args']>
  ) => z.output<RatingsContract[K]['result']> | Promise<z.output<RatingsContract[K]['result']>>
}

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
    }
  }
}
