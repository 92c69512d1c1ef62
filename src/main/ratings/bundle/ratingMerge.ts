/**
 * Merging ratings that arrive from another machine (a review bundle, or a
 * reader's ratings bundle) with those already here: a rating here that says
 * the same is left as it is, a missing one is added, and a different one by
 * the same rater of the same clip is a conflict that a person resolves
 * (keep mine / take theirs) before anything is written. Pure planning: the
 * caller writes `toPut` in its own transaction.
 */
import type { BundleConflict } from '../../../shared/ratingsContract'
import { UserError } from '../../errors'
import { sameRating, type StoredRating } from '../ratingStore'

export type Resolutions = Record<string, 'mine' | 'theirs'>

export interface IncomingRating extends StoredRating {
  /** How the bundle names the clip; conflicts are shown by it. */
  clipNo: number
}

/** What importing does with one incoming rating. `unresolved`: a conflict without a resolution yet. */
export type MergeOutcome = 'added' | 'unchanged' | 'replaced' | 'kept' | 'unresolved'

export interface RatingMerge {
  toPut: StoredRating[]
  conflicts: BundleConflict[]
  counts: { added: number; unchanged: number; replaced: number; kept: number }
  /** One per incoming rating, in its order. */
  outcomes: MergeOutcome[]
}

/** The key a conflict is resolved by: rater and clip number, as the bundle names them. */
export const conflictKey = (raterId: string, clipNo: number): string => `${raterId}:${clipNo}`

const strip = (x: StoredRating): BundleConflict['mine'] => ({
  values: x.values,
  confidence: x.confidence,
  comment: x.comment,
  submittedAt: x.submittedAt,
  updatedAt: x.updatedAt
})

export function mergeRatings(
  path: string,
  incoming: readonly IncomingRating[],
  /** The rating here of the same rater and clip, if any. */
  mineOf: (r: IncomingRating) => StoredRating | null,
  raterName: (raterId: string) => string,
  resolutions: Resolutions
): RatingMerge {
  const merge: RatingMerge = { toPut: [], conflicts: [], counts: { added: 0, unchanged: 0, replaced: 0, kept: 0 }, outcomes: [] }
  const keys = new Set<string>()
  for (const r of incoming) {
    const { clipNo, ...theirs } = r
    const mine = mineOf(r)
    if (!mine) {
      merge.toPut.push(theirs)
      merge.counts.added++
      merge.outcomes.push('added')
    } else if (sameRating(mine, theirs)) {
      merge.counts.unchanged++
      merge.outcomes.push('unchanged')
    } else {
      const key = conflictKey(r.raterId, clipNo)
      keys.add(key)
      merge.conflicts.push({ key, rater: raterName(r.raterId), clipNo, mine: strip(mine), theirs: strip(theirs) })
      if (resolutions[key] === 'theirs') {
        merge.toPut.push(theirs)
        merge.counts.replaced++
        merge.outcomes.push('replaced')
      } else if (resolutions[key] === 'mine') {
        merge.counts.kept++
        merge.outcomes.push('kept')
      } else merge.outcomes.push('unresolved')
    }
  }
  const stray = Object.keys(resolutions).filter((k) => !keys.has(k))
  if (stray.length > 0) throw new UserError('bad_input', `Cannot import ${path}: the resolutions name conflicts it does not have (${stray.slice(0, 5).join(', ')}).`)
  return merge
}

/** Nothing is written while a conflict has no resolution. */
export const hasUnresolved = (merge: Pick<RatingMerge, 'outcomes'>): boolean => merge.outcomes.includes('unresolved')
