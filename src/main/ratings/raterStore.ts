/** Local rater profiles. Ids are UUIDs so that the same rater is recognised on every machine. */
import { randomUUID } from 'node:crypto'
import type { Rater, RaterRole } from '../../shared/ratingsContract'
import type { CatalogDb } from '../catalog/database'
import { UserError } from '../errors'

interface RaterRow {
  id: string
  name: string
  role: RaterRole
  created_at: string
}

const toRater = (r: RaterRow): Rater => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at })

export class RaterStore {
  private readonly s

  constructor(private readonly db: CatalogDb) {
    this.s = {
      list: db.prepare<[], RaterRow>('SELECT * FROM raters ORDER BY name COLLATE NOCASE'),
      get: db.prepare<[string], RaterRow>('SELECT * FROM raters WHERE id = ?'),
      byName: db.prepare<[string], RaterRow>('SELECT * FROM raters WHERE name = ? COLLATE NOCASE'),
      insert: db.prepare<[string, string, string, string]>('INSERT INTO raters (id, name, role, created_at) VALUES (?, ?, ?, ?)')
    }
  }

  list(): Rater[] {
    return this.s.list.all().map(toRater)
  }

  find(id: string): Rater | null {
    const r = this.s.get.get(id)
    return r ? toRater(r) : null
  }

  get(id: string): Rater {
    const r = this.find(id)
    if (!r) throw new UserError('not_found', `No rater with id ${id}.`)
    return r
  }

  byName(name: string): Rater | null {
    const r = this.s.byName.get(name.trim())
    return r ? toRater(r) : null
  }

  create(name: string, role: RaterRole): Rater {
    const clean = name.trim()
    if (clean === '') throw new UserError('bad_input', 'A rater needs a name.')
    const rater: Rater = { id: randomUUID(), name: clean, role, createdAt: new Date().toISOString() }
    // Checked inside the write's transaction, so the friendly message and the unique index agree.
    this.db.transaction(() => {
      if (this.byName(clean)) throw new UserError('conflict', `A rater called "${clean}" already exists.`)
      this.insert(rater)
    })()
    return rater
  }

  /** Also used by bundle import, inside its transaction. */
  insert(r: Rater): void {
    this.s.insert.run(r.id, r.name, r.role, r.createdAt)
  }
}
