import type { Migration } from './migration'

/**
 * Review: local settings (the user's name), an audit trail of every change
 * grouped into undoable actions, key frames, and media content hashes.
 */
export const migration002: Migration = {
  version: 2,
  name: 'review audit trail, key frames, media hashes',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- One user action (an edit, or the undo/redo of one); its cell changes are in changes.
      CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('edit', 'undo', 'redo')),
        -- For undo/redo: the edit action it undid or redid.
        target_id INTEGER REFERENCES actions(id),
        -- For edits: done, undone (redoable), or dropped (undone, then superseded by a new edit).
        state TEXT NOT NULL CHECK (state IN ('done', 'undone', 'dropped', 'applied')),
        user TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX actions_state ON actions (kind, state, id);

      CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        -- A CSV column, or 'key frame <n>'.
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT
      ) STRICT;
      CREATE INDEX changes_entry ON changes (entry_id, id);
      CREATE INDEX changes_action ON changes (action_id);

      CREATE TABLE key_frames (
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        frame INTEGER NOT NULL CHECK (frame >= 0),
        note TEXT NOT NULL,
        user TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (entry_id, frame)
      ) STRICT;

      ALTER TABLE media ADD COLUMN sha256 TEXT;
    `)
  }
}
