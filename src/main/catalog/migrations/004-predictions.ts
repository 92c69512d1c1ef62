import type { Migration } from './migration'

/**
 * Model predictions, one row per entry and model file (its SHA-256): the
 * classifier's per-class probabilities, or why there is none. Kept apart from
 * the entries' cells, so the expert label is never touched; re-running a model
 * replaces its own row, and a new model adds rows beside the old ones.
 */
export const migration004: Migration = {
  version: 4,
  name: 'classifier predictions',
  up(db) {
    db.exec(`
      CREATE TABLE predictions (
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        model_name TEXT NOT NULL,
        model_version TEXT NOT NULL,
        model_sha256 TEXT NOT NULL,
        -- ok: probabilities are set; failed: no prediction was possible, see reason.
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
        -- {"covid": p, "pneumonia": p, ...} in the model's class order; NULL when failed.
        probabilities TEXT CHECK (probabilities IS NULL OR json_valid(probabilities)),
        predicted TEXT,
        -- Shannon entropy of the probabilities, in bits.
        entropy REAL,
        frames_used INTEGER NOT NULL CHECK (frames_used >= 0),
        reason TEXT,
        -- Which file content the prediction was made from (media.sha256 at the time), when known.
        media_sha256 TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (entry_id, model_sha256),
        CHECK ((status = 'ok' AND probabilities IS NOT NULL AND predicted IS NOT NULL) OR (status = 'failed' AND reason IS NOT NULL))
      ) STRICT;
      CREATE INDEX predictions_model ON predictions (model_sha256, entry_id);
    `)
  }
}
