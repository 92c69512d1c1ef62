import type { Migration } from './migration'

/**
 * Blank lines between a CSV's records (or a second newline at its end).
 * They are no record, so no entry holds them, yet an export of an unedited
 * import must reproduce the file byte for byte: the source keeps where they
 * were, as a JSON array of [row_no, count] pairs, the count of blank lines
 * just before the record of that row_no (a row_no past the last record: at
 * the end of the file). Sources imported before this migration had theirs
 * dropped at import already; '[]' is what they hold.
 */
export const migration007: Migration = {
  version: 7,
  name: 'csv blank lines',
  up(db) {
    db.exec(`
      ALTER TABLE sources ADD COLUMN blank_lines TEXT NOT NULL DEFAULT '[]'
        CHECK (json_valid(blank_lines) AND json_type(blank_lines) = 'array');
    `)
  }
}
