/**
 * Agreement per rated field of a review set. Items are the set's clips (by
 * clip number), raters its raters in order (a rater with no ratings yet still
 * appears, with undefined pairwise κ); categories are the field's vocabulary.
 */
import type { SetAgreement } from '../../shared/ratingsContract'
import { analyzeAgreement } from '../agreement/agreementReport'
import type { BootstrapOptions } from '../agreement/bootstrap'
import { buildRatingTable, type RatingTriple } from '../agreement/ratingTable'
import { valueOf } from '../../shared/ratingFieldVocabulary'
import { agreementSkipReason, categoryOf, fieldCategories } from './ratingFields'
import type { RatingStore } from './ratingStore'
import type { ReviewSetStore } from './reviewSetStore'

export function setAgreement(sets: ReviewSetStore, ratings: RatingStore, setId: string, options: Partial<BootstrapOptions>): SetAgreement {
  const def = sets.definition(setId)
  const raters = sets.raters(setId)
  const names = new Map(raters.map((r) => [r.id, r.name]))
  const clipOf = new Map(sets.items(setId).map((i) => [i.entryId, i.clipNo]))
  const all = ratings.ofSet(setId)
  const out: SetAgreement = { setId, fields: [], skippedFields: [] }
  for (const field of def.fields) {
    const skip = agreementSkipReason(field)
    const categories = fieldCategories(field)
    if (skip !== null || categories === null) {
      out.skippedFields.push({ field, reason: skip ?? 'not categorical' })
      continue
    }
    const triples: RatingTriple[] = []
    for (const r of all) {
      const v = valueOf(r.values, field)
      if (v === undefined) continue
      triples.push({ item: `Clip ${clipOf.get(r.entryId)}`, rater: names.get(r.raterId)!, value: categoryOf(field, v) })
    }
    const table = buildRatingTable(triples, { categories, raters: raters.map((r) => r.name) })
    out.fields.push({ field, report: analyzeAgreement(table, options) })
  }
  return out
}
