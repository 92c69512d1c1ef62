import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCatalog, schemaVersion } from '../../../src/main/catalog/database'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/main/catalog/migrations'
import { migration001 } from '../../../src/main/catalog/migrations/001-initial-schema'
import { migration002 } from '../../../src/main/catalog/migrations/002-review-audit'
import { migration003 } from '../../../src/main/catalog/migrations/003-ratings'
import { tempDir } from '../../helpers/paths'

let dir: ReturnType<typeof tempDir>
beforeEach(() => (dir = tempDir()))
afterEach(() => dir.cleanup())

describe('migration 003 (ratings)', () => {
  it('is listed third', () => {
    expect(MIGRATIONS[2]).toBe(migration003)
    expect(migration003.version).toBe(3)
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(3)
  })

  it('upgrades a version-2 catalog with data, keeping every row, and its tables refuse what the app never writes', () => {
    const file = join(dir.path, 'v2.db')
    const v2 = openCatalog(file, { migrations: [migration001, migration002] })
    v2.prepare(
      `INSERT INTO sources (root, csv_name, csv_sha256, header_raw, record_delimiter, final_newline, bom, imported_at)
       VALUES ('/d', 'dataset_metadata.csv', 'x', 'h', char(10), 1, 0, 'now')`
    ).run()
    v2.prepare(
      `INSERT INTO entries (source_id, row_no, sort_key, cells, filename, label, label_raw, probe, type, license, source_ref,
        location, title, search_text, normalized, warnings, media_status, updated_at)
       VALUES (1, 1, 1, '[]', 'Cov_x', 'covid', 'COVID-19', 'linear', 'video', '', '', '', '', '', '{}', '[]', 'missing', 'now')`
    ).run()
    v2.prepare("INSERT INTO settings (key, value) VALUES ('user.name', 'Dr. Rossi')").run()
    v2.close()
    const db = openCatalog(file, { migrations: [migration001, migration002, migration003] })
    expect(schemaVersion(db)).toBe(3)
    expect(db.prepare('SELECT filename FROM entries').all()).toEqual([{ filename: 'Cov_x' }])
    expect(db.prepare('SELECT value FROM settings').all()).toEqual([{ value: 'Dr. Rossi' }])
    const set = '11111111-1111-4111-8111-111111111111'
    const rater = '22222222-2222-4222-8222-222222222222'
    db.prepare("INSERT INTO raters (id, name, role, created_at) VALUES (?, 'Dr A', 'rater', 'now')").run(rater)
    expect(() => db.prepare("INSERT INTO raters (id, name, role, created_at) VALUES ('x', 'dr a', 'rater', 'now')").run()).toThrow(/UNIQUE/)
    expect(() => db.prepare("INSERT INTO raters (id, name, role, created_at) VALUES ('y', 'B', 'boss', 'now')").run()).toThrow(/CHECK/)
    db.prepare(
      `INSERT INTO review_sets (id, name, query, fields, blinded, reveal_after_submit, queue_order, seed, created_at)
       VALUES (?, 's', '{}', '["label"]', 1, 0, 'random', 1, 'now')`
    ).run(set)
    db.prepare('INSERT INTO review_set_raters (set_id, rater_id, position) VALUES (?, ?, 1)').run(set, rater)
    db.prepare("INSERT INTO review_set_items (set_id, entry_id, position, clip_no, media_sha256, filename, row_no) VALUES (?, 1, 1, 1, NULL, 'Cov_x', 1)").run(set)
    const rate = db.prepare(
      `INSERT INTO ratings (set_id, entry_id, rater_id, answers, confidence, comment, submitted_at, updated_at)
       VALUES (?, ?, ?, '{"label":"covid"}', ?, '', 'now', 'now')`
    )
    expect(() => rate.run(set, 1, rater, 6)).toThrow(/CHECK/)
    expect(() => rate.run(set, 2, rater, 3)).toThrow(/FOREIGN KEY/) // not an item of the set
    rate.run(set, 1, rater, 3)
    // Deleting a set removes its items and ratings with it.
    db.prepare('DELETE FROM review_sets WHERE id = ?').run(set)
    expect(db.prepare('SELECT count(*) AS n FROM ratings').get()).toEqual({ n: 0 })
    db.close()
  })
})
