import type { Migration } from './migration'

/**
 * Key frames a rater marks while rating a review set's clip ("frame 41: the
 * B-lines are clearest here"). They belong to the rating, not to the
 * catalog: the catalog's own key_frames (002) are the curators' and are
 * audited edits of the entry, whereas these are per rater, blinded like the
 * ratings, and arrive with a reader's ratings bundle. Deleting a set, one of
 * its clips or one of its raters removes them with it.
 */
export const migration006: Migration = {
  version: 6,
  name: 'rater key frames',
  up(db) {
    db.exec(`
      CREATE TABLE rater_key_frames (
        set_id TEXT NOT NULL,
        rater_id TEXT NOT NULL,
        entry_id INTEGER NOT NULL,
        -- 0-based index of the decoded frame of what the rater played; people see frame + 1.
        frame INTEGER NOT NULL CHECK (frame >= 0),
        note TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (set_id, rater_id, entry_id, frame),
        FOREIGN KEY (set_id, entry_id) REFERENCES review_set_items (set_id, entry_id) ON DELETE CASCADE,
        FOREIGN KEY (set_id, rater_id) REFERENCES review_set_raters (set_id, rater_id) ON DELETE CASCADE
      ) STRICT;
      -- Cascades from review_set_items look rows up by (set_id, entry_id).
      CREATE INDEX rater_key_frames_item ON rater_key_frames (set_id, entry_id);
    `)
  }
}
