/** Ratings: one per set, rater and clip, kept apart from the catalog's reference cells. */
import { RATING_FIELDS, ratingValuesSchema, type Rating, type RatingValues } from '../../shared/ratingsContract'
import type { CatalogDb } from '../catalog/database'

export interface StoredRating extends Rating {
  raterId: string
  entryId: number
}

interface RatingRow {
  rater_id: string
  entry_id: number
  answers: string
  confidence: number
  comment: string
  submitted_at: string
  updated_at: string
}

const toRating = (r: RatingRow): StoredRating => ({
  raterId: r.rater_id,
  entryId: r.entry_id,
  values: ratingValuesSchema.parse(JSON.parse(r.answers)),
  confidence: r.confidence,
  comment: r.comment,
  submittedAt: r.submitted_at,
  updatedAt: r.updated_at
})

/** Canonical text of a rating's values (keys in RATING_FIELDS order), so equal answers are equal text. */
export function answersText(values: RatingValues): string {
  const v = values as Record<string, unknown>
  return JSON.stringify(Object.fromEntries(RATING_FIELDS.filter((f) => v[f] !== undefined).map((f) => [f, v[f]])))
}

/** Whether two ratings say the same thing; when they were made does not matter. */
export const sameRating = (a: Rating, b: Rating): boolean =>
  answersText(a.values) === answersText(b.values) && a.confidence === b.confidence && a.comment === b.comment

export class RatingStore {
  private readonly s

  constructor(db: CatalogDb) {
    const columns = 'rater_id, entry_id, answers, confidence, comment, submitted_at, updated_at'
    this.s = {
      one: db.prepare<[string, string, number], RatingRow>(`SELECT ${columns} FROM ratings WHERE set_id = ? AND rater_id = ? AND entry_id = ?`),
      ofItem: db.prepare<[string, number], RatingRow>(`SELECT ${columns} FROM ratings WHERE set_id = ? AND entry_id = ?`),
      ofSet: db.prepare<[string], RatingRow>(`SELECT ${columns} FROM ratings WHERE set_id = ? ORDER BY entry_id, rater_id`),
      ratedBy: db.prepare<[string, string], { entry_id: number }>('SELECT entry_id FROM ratings WHERE set_id = ? AND rater_id = ?'),
      upsert: db.prepare(
        `INSERT INTO ratings (set_id, entry_id, rater_id, answers, confidence, comment, submitted_at, updated_at)
         VALUES (@set_id, @entry_id, @rater_id, @answers, @confidence, @comment, @submitted_at, @updated_at)
         ON CONFLICT (set_id, rater_id, entry_id) DO UPDATE SET answers = excluded.answers, confidence = excluded.confidence,
           comment = excluded.comment, submitted_at = excluded.submitted_at, updated_at = excluded.updated_at`
      )
    }
  }

  find(setId: string, raterId: string, entryId: number): StoredRating | null {
    const r = this.s.one.get(setId, raterId, entryId)
    return r ? toRating(r) : null
  }

  ofItem(setId: string, entryId: number): StoredRating[] {
    return this.s.ofItem.all(setId, entryId).map(toRating)
  }

  ofSet(setId: string): StoredRating[] {
    return this.s.ofSet.all(setId).map(toRating)
  }

  ratedEntries(setId: string, raterId: string): Set<number> {
    return new Set(this.s.ratedBy.all(setId, raterId).map((r) => r.entry_id))
  }

  /** Callers hold the transaction where it must be atomic with other writes. */
  put(setId: string, r: StoredRating): void {
    this.s.upsert.run({
      set_id: setId,
      entry_id: r.entryId,
      rater_id: r.raterId,
      answers: answersText(r.values),
      confidence: r.confidence,
      comment: r.comment,
      submitted_at: r.submittedAt,
      updated_at: r.updatedAt
    })
  }
}
