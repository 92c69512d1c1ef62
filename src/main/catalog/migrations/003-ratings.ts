import type { Migration } from './migration'

/**
 * Blinded multi-rater review: rater profiles, review sets (the resolved
 * clips and the query they came from), per-rater ratings kept apart from the
 * dataset's reference label, and the adjudicated consensus.
 *
 * Raters and sets are keyed by UUIDs, not row ids, because review bundles
 * carry them between offline machines and must name the same rater and set
 * on every one of them.
 */
export const migration003: Migration = {
  version: 3,
  name: 'raters, review sets, ratings, consensus',
  up(db) {
    db.exec(`
      CREATE TABLE raters (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('rater', 'adjudicator', 'coordinator')),
        created_at TEXT NOT NULL
      ) STRICT;
      -- Names are what people see on every machine: two profiles with one name would be indistinguishable.
      CREATE UNIQUE INDEX raters_name ON raters (name COLLATE NOCASE);

      CREATE TABLE review_sets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        -- The catalog query the set was made from, kept for the record; the clips are in review_set_items.
        query TEXT NOT NULL CHECK (json_valid(query)),
        -- The rating fields, as a JSON array of field keys.
        fields TEXT NOT NULL CHECK (json_valid(fields)),
        blinded INTEGER NOT NULL CHECK (blinded IN (0, 1)),
        reveal_after_submit INTEGER NOT NULL CHECK (reveal_after_submit IN (0, 1)),
        -- Checked in code, not here, so orders added later (model uncertainty, disagreement) need no migration.
        queue_order TEXT NOT NULL,
        seed INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE review_set_raters (
        set_id TEXT NOT NULL REFERENCES review_sets(id) ON DELETE CASCADE,
        rater_id TEXT NOT NULL REFERENCES raters(id),
        -- 1-based; rater 1..3 write the MD1..MD3 comment columns.
        position INTEGER NOT NULL CHECK (position >= 1),
        PRIMARY KEY (set_id, rater_id),
        UNIQUE (set_id, position)
      ) STRICT;

      CREATE TABLE review_set_items (
        set_id TEXT NOT NULL REFERENCES review_sets(id) ON DELETE CASCADE,
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        -- Catalog order (the query's order when the set was made), 1-based.
        position INTEGER NOT NULL CHECK (position >= 1),
        -- The number in the opaque handle "Clip n of N"; shuffled in blinded sets.
        clip_no INTEGER NOT NULL CHECK (clip_no >= 1),
        -- How bundles name the clip on other machines: the media content hash, else file name + CSV row.
        media_sha256 TEXT,
        filename TEXT NOT NULL,
        row_no INTEGER,
        PRIMARY KEY (set_id, position),
        UNIQUE (set_id, entry_id),
        UNIQUE (set_id, clip_no)
      ) STRICT;

      CREATE TABLE ratings (
        set_id TEXT NOT NULL,
        entry_id INTEGER NOT NULL,
        rater_id TEXT NOT NULL,
        -- The rated fields as a JSON object (keys in a fixed order, so equal answers are equal text).
        answers TEXT NOT NULL CHECK (json_valid(answers)),
        confidence INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 5),
        comment TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (set_id, rater_id, entry_id),
        FOREIGN KEY (set_id, entry_id) REFERENCES review_set_items (set_id, entry_id) ON DELETE CASCADE,
        FOREIGN KEY (set_id, rater_id) REFERENCES review_set_raters (set_id, rater_id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX ratings_item ON ratings (set_id, entry_id);

      CREATE TABLE consensus (
        set_id TEXT NOT NULL,
        entry_id INTEGER NOT NULL,
        field TEXT NOT NULL,
        -- The field's value as JSON (a string, number or null).
        value TEXT NOT NULL CHECK (json_valid(value)),
        reason TEXT NOT NULL,
        adjudicator_id TEXT NOT NULL REFERENCES raters(id),
        at TEXT NOT NULL,
        -- When it was last written into the catalog's cells; NULL while pending.
        applied_at TEXT,
        PRIMARY KEY (set_id, entry_id, field),
        FOREIGN KEY (set_id, entry_id) REFERENCES review_set_items (set_id, entry_id) ON DELETE CASCADE
      ) STRICT;
    `)
  }
}
