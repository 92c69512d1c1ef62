import type { Migration } from './migration'

/**
 * A pre-labelled clip's per-frame probabilities, so opening it shows the
 * stored prediction's timeline without classifying it again: a JSON array of
 * [time s, p(class 1), p(class 2), …] in the model's class order, one per
 * sampled frame. NULL for failed predictions and for rows stored before
 * this migration (their clip-level figures stay as they were).
 */
export const migration008: Migration = {
  version: 8,
  name: 'prediction frames',
  up(db) {
    db.exec(`
      ALTER TABLE predictions ADD COLUMN frames TEXT
        CHECK (frames IS NULL OR (json_valid(frames) AND json_type(frames) = 'array'));
    `)
  }
}
