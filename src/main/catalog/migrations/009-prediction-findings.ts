import type { Migration } from './migration'

/**
 * A pre-labelled clip's expert findings as the model predicts them (models
 * with a findings head, lusnet 2.0.0 on): a JSON object of finding name to
 * clip probability (mean over the sampled frames), in the model's order. NULL
 * for failed predictions, for models without the head and for rows stored
 * before this migration.
 */
export const migration009: Migration = {
  version: 9,
  name: 'prediction findings',
  up(db) {
    db.exec(`
      ALTER TABLE predictions ADD COLUMN findings TEXT
        CHECK (findings IS NULL OR (json_valid(findings) AND json_type(findings) = 'object'));
    `)
  }
}
