import type { Migration } from './migration'

/** Sources (imported dataset folders), their media files, and one entry per CSV record. */
export const migration001: Migration = {
  version: 1,
  name: 'initial schema',
  up(db) {
    db.exec(`
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        root TEXT NOT NULL UNIQUE,
        csv_name TEXT NOT NULL,
        csv_sha256 TEXT NOT NULL,
        header_raw TEXT NOT NULL,
        record_delimiter TEXT NOT NULL CHECK (record_delimiter IN (char(13, 10), char(10), char(13))),
        final_newline INTEGER NOT NULL CHECK (final_newline IN (0, 1)),
        bom INTEGER NOT NULL CHECK (bom IN (0, 1)),
        imported_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE media (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        rel_path TEXT NOT NULL,
        stem TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('video', 'image')),
        size_bytes INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        frames INTEGER,
        fps REAL,
        width INTEGER,
        height INTEGER,
        duration_s REAL,
        codec TEXT,
        error TEXT,
        UNIQUE (source_id, rel_path)
      ) STRICT;
      CREATE INDEX media_source_stem ON media (source_id, stem);

      CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        -- 1-based position among the CSV's records; NULL for entries added in the app.
        row_no INTEGER,
        line INTEGER,
        -- Export order: CSV rows first, in file order, then added entries.
        sort_key INTEGER NOT NULL,
        -- The record's source text, written back verbatim while the entry is unedited.
        raw_record TEXT,
        edited INTEGER NOT NULL DEFAULT 0 CHECK (edited IN (0, 1)),
        cells TEXT NOT NULL CHECK (json_valid(cells)),
        -- Derived from cells on every write, for listing and filtering without parsing JSON.
        filename TEXT NOT NULL,
        label TEXT NOT NULL,
        label_raw TEXT NOT NULL,
        probe TEXT NOT NULL,
        type TEXT NOT NULL,
        license TEXT NOT NULL,
        source_ref TEXT NOT NULL,
        location TEXT NOT NULL,
        title TEXT NOT NULL,
        search_text TEXT NOT NULL,
        normalized TEXT NOT NULL CHECK (json_valid(normalized)),
        warnings TEXT NOT NULL CHECK (json_valid(warnings)),
        media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
        media_status TEXT NOT NULL CHECK (media_status IN ('linked', 'missing', 'unreadable')),
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX entries_source_order ON entries (source_id, sort_key);
      CREATE UNIQUE INDEX entries_source_row ON entries (source_id, row_no) WHERE row_no IS NOT NULL;
      CREATE INDEX entries_media ON entries (media_id);
    `)
  }
}
