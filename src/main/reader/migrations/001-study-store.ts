import type { Migration } from '../../catalog/migrations/migration'

/**
 * A reader workstation's store of one study: the manifest as the bundle
 * brought it, and what this machine's raters did with it. The raters, clips
 * and queues are copied out of the manifest into tables so that foreign keys
 * refuse a rating or key frame of a clip that is not in that rater's queue.
 */
export const migration001: Migration = {
  version: 1,
  name: 'reader study store',
  up(db) {
    db.exec(`
      CREATE TABLE study (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        study_id TEXT NOT NULL,
        -- study.json exactly as the bundle carried it: the source of truth for names, fields and frame times.
        manifest TEXT NOT NULL CHECK (json_valid(manifest)),
        -- SHA-256 of those bytes: a bundle with the same study id but another manifest is a different bundle.
        manifest_sha256 TEXT NOT NULL,
        -- Where the bundle was last opened from: ratings are exported beside it by default.
        bundle_path TEXT NOT NULL,
        created_at TEXT NOT NULL,
        opened_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE raters (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        position INTEGER NOT NULL UNIQUE
      ) STRICT;

      CREATE TABLE clips (
        clip_no INTEGER PRIMARY KEY CHECK (clip_no > 0),
        kind TEXT NOT NULL CHECK (kind IN ('video', 'image')),
        -- The file's name inside the store's clips/ folder.
        file TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL CHECK (bytes > 0)
      ) STRICT;

      CREATE TABLE queue_items (
        rater_id TEXT NOT NULL REFERENCES raters(id),
        position INTEGER NOT NULL,
        clip_no INTEGER NOT NULL REFERENCES clips(clip_no),
        PRIMARY KEY (rater_id, position),
        UNIQUE (rater_id, clip_no)
      ) STRICT;

      CREATE TABLE ratings (
        rater_id TEXT NOT NULL,
        clip_no INTEGER NOT NULL,
        -- Keys in the study's field order, so that equal ratings are equal text.
        values_json TEXT NOT NULL CHECK (json_valid(values_json)),
        confidence INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 5),
        comment TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (rater_id, clip_no),
        FOREIGN KEY (rater_id, clip_no) REFERENCES queue_items(rater_id, clip_no)
      ) STRICT;

      CREATE TABLE key_frames (
        rater_id TEXT NOT NULL,
        clip_no INTEGER NOT NULL,
        -- 0-based index into the clip's frame times; people see frame + 1.
        frame INTEGER NOT NULL CHECK (frame >= 0),
        note TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (rater_id, clip_no, frame),
        FOREIGN KEY (rater_id, clip_no) REFERENCES queue_items(rater_id, clip_no)
      ) STRICT;

      -- A rater who exported their ratings as final: nothing of theirs changes after.
      CREATE TABLE finalizations (
        rater_id TEXT PRIMARY KEY REFERENCES raters(id),
        finalized_at TEXT NOT NULL,
        exported_to TEXT NOT NULL
      ) STRICT;
    `)
  }
}
