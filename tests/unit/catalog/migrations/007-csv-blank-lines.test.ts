import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCatalog, schemaVersion } from '../../../../src/main/catalog/database'
import { MIGRATIONS } from '../../../../src/main/catalog/migrations'
import { migration007 } from '../../../../src/main/catalog/migrations/007-csv-blank-lines'
import { tempDir } from '../../../helpers/paths'

let dir: ReturnType<typeof tempDir>
beforeEach(() => (dir = tempDir()))
afterEach(() => dir.cleanup())

describe('migration 007: the CSV blank-line layout of a source', () => {
  it('is the seventh migration, registered after 006', () => {
    expect(migration007.version).toBe(7)
    expect(MIGRATIONS[6]).toBe(migration007)
  })

  it('gives a source imported before it an empty layout, and refuses a layout that is not a JSON array', () => {
    const file = join(dir.path, 'c.db')
    const v6 = openCatalog(file, { migrations: MIGRATIONS.slice(0, 6) })
    v6.prepare(
      `INSERT INTO sources (root, csv_name, csv_sha256, header_raw, record_delimiter, final_newline, bom, imported_at)
       VALUES ('/d', 'dataset_metadata.csv', 'x', 'h', char(13, 10), 0, 0, 'now')`
    ).run()
    v6.close()

    const db = openCatalog(file, { migrations: MIGRATIONS.slice(0, 7) })
    expect(schemaVersion(db)).toBe(7)
    expect(db.prepare('SELECT blank_lines FROM sources').get()).toEqual({ blank_lines: '[]' })
    const set = db.prepare('UPDATE sources SET blank_lines = ?')
    set.run('[[2,1],[5,2]]')
    expect(db.prepare('SELECT blank_lines FROM sources').get()).toEqual({ blank_lines: '[[2,1],[5,2]]' })
    expect(() => set.run('not json')).toThrow(/CHECK/)
    expect(() => set.run('{"2":1}')).toThrow(/CHECK/)
    db.close()
  })
})
