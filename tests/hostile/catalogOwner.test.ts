/**
 * Hostile `--catalog` files: whatever a mistyped or malicious path points
 * at, a writing open refuses it before writing anything (no LUS schema, no
 * WAL switch, no -wal/-shm, no lock or backup beside it) and a read-only open
 * creates nothing. Good catalogs beside them open, so the refusals are about
 * what each case is.
 */
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCatalog } from '../../src/main/catalog/database'
import { LATEST_SCHEMA_VERSION } from '../../src/main/catalog/migrations'
import { tempDir } from '../helpers/paths'

interface CatalogCase {
  id: string
  description: string
  /** Makes the file at `path` (in an empty folder). */
  make: (path: string) => void
  expect: RegExp
}

const sqlite = (path: string, sql: string, userVersion = 0, wal = false): void => {
  const db = new Database(path)
  if (wal) db.pragma('journal_mode = WAL')
  db.exec(sql)
  if (userVersion) db.pragma(`user_version = ${userVersion}`)
  db.close()
}

export const CATALOG_CASES: CatalogCase[] = [
  { id: 'catalog-foreign-sqlite', description: 'another application’s SQLite file', make: (p) => sqlite(p, 'CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)'), expect: /is an SQLite file but not a LUS Review catalog \(it has tables of its own/ },
  {
    id: 'catalog-foreign-wal',
    description: 'another application’s SQLite file, already in WAL mode',
    make: (p) => sqlite(p, 'CREATE TABLE t (x)', 0, true),
    expect: /not a LUS Review catalog/
  },
  {
    id: 'catalog-conflicting-tables',
    description: 'a file claiming catalog version 2 whose entries table is not ours',
    make: (p) => sqlite(p, 'CREATE TABLE sources (id); CREATE TABLE media (id); CREATE TABLE entries (id)', 2),
    expect: /its tables do not match catalog version 2/
  },
  { id: 'catalog-newer', description: 'a catalog from a newer version', make: (p) => sqlite(p, 'CREATE TABLE future (x)', LATEST_SCHEMA_VERSION + 1), expect: /newer version of LUS Review .*the file was not changed/ },
  { id: 'catalog-text', description: 'a text file', make: (p) => writeFileSync(p, 'my notes\n'.repeat(600)), expect: /is damaged or not an SQLite file/ },
  { id: 'catalog-negative-version', description: 'user_version below zero', make: (p) => sqlite(p, 'CREATE TABLE t (x)', -5), expect: /not a LUS Review catalog/ }
]

let dir: ReturnType<typeof tempDir>
beforeEach(() => (dir = tempDir('lus-hostile-catalog-')))
afterEach(() => dir.cleanup())

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex')

describe('hostile --catalog files', () => {
  for (const c of CATALOG_CASES) {
    it(`${c.id}: ${c.description}: refused for writing and reading, byte for byte unchanged, nothing beside it`, () => {
      const folder = join(dir.path, c.id)
      mkdirSync(folder)
      const path = join(folder, 'c.db')
      c.make(path)
      const made = readdirSync(folder).sort()
      const before = sha(path)
      expect(() => openCatalog(path)).toThrow(c.expect)
      expect(() => openCatalog(path, { readonly: true })).toThrow(c.expect)
      expect(sha(path)).toBe(before)
      expect(readdirSync(folder).sort()).toEqual(made)
    })
  }

  it('catalog-symlink-to-foreign: a link to another application’s file is refused and the file unchanged', () => {
    const target = join(dir.path, 'their.db')
    sqlite(target, 'CREATE TABLE invoices (id)')
    const link = join(dir.path, 'c.db')
    symlinkSync(target, link)
    const before = sha(target)
    expect(() => openCatalog(link)).toThrow(/not a LUS Review catalog/)
    expect(sha(target)).toBe(before)
    expect(readdirSync(dir.path).sort()).toEqual(['c.db', 'their.db'])
  })

  it('catalog-directory: a folder given as --catalog is refused with a message', () => {
    const folder = join(dir.path, 'a-folder')
    mkdirSync(folder)
    expect(() => openCatalog(folder)).toThrow(/Cannot open catalog|not a LUS Review catalog|directory/)
    expect(() => openCatalog(folder, { readonly: true })).toThrow(/Cannot open catalog|directory/)
  })

  it('good inputs beside them: a new path and an empty file become catalogs, an existing catalog opens', () => {
    openCatalog(join(dir.path, 'new.db')).close()
    writeFileSync(join(dir.path, 'empty.db'), '')
    openCatalog(join(dir.path, 'empty.db')).close()
    openCatalog(join(dir.path, 'new.db')).close()
    openCatalog(join(dir.path, 'new.db'), { readonly: true }).close()
  })
})
