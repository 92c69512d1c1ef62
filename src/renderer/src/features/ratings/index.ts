/**
 * What the reader workstation shares with rater mode: one rating session
 * (draft, key presses, saving). Never imports a .vue file.
 */
export { makeRatingSession, type RatingClip, type RatingDraft, type RatingSession } from './ratingSession'
