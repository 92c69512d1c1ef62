/**
 * Review sets: a named list of clips resolved from a catalog query (the ids
 * and the query are both kept: the query says how the set was chosen, the
 * ids what was actually rated), the fields to rate, and the raters in order.
 */
import { randomInt, randomUUID } from 'node:crypto'
import type { EntrySummary } from '../../shared/contract'
import {
  catalogQuerySchema,
  ratingFieldSchema,
  REVIEW_ORDERS,
  type CreateSetArgs,
  type RatingField,
  type ReviewOrder,
  type ReviewSet,
  type RaterRole,
  type SetQuery
} from '../../shared/ratingsContract'
import { catalogTables, type CatalogTables } from '../catalog/catalogTables'
import type { CatalogDb } from '../catalog/database'
import { UserError } from '../errors'
import { clipNumbers } from './queueOrder'

export interface SetDefinition {
  id: string
  name: string
  query: SetQuery
  fields: RatingField[]
  blinded: boolean
  revealAfterSubmit: boolean
  order: ReviewOrder
  seed: number
  createdAt: string
}

export interface SetItem {
  entryId: number
  position: number
  clipNo: number
  /** How other machines find the clip: its media content hash, else file name + CSV row. */
  mediaSha256: string | null
  filename: string
  row: number | null
}

export interface SetRater {
  id: string
  name: string
  role: RaterRole
  position: number
}

interface SetRow {
  id: string
  name: string
  query: string
  fields: string
  blinded: number
  reveal_after_submit: number
  queue_order: string
  seed: number
  created_at: string
}

interface ItemRow {
  entry_id: number
  position: number
  clip_no: number
  media_sha256: string | null
  filename: string
  row_no: number | null
}

const toItem = (r: ItemRow): SetItem => ({
  entryId: r.entry_id,
  position: r.position,
  clipNo: r.clip_no,
  mediaSha256: r.media_sha256,
  filename: r.filename,
  row: r.row_no
})

/** Sorting a blinded set by these in catalog order would group its clips by label. */
const LABEL_REVEALING_SORTS = new Set(['label', 'filename'])

export class ReviewSetStore {
  private readonly s
  private readonly catalog: CatalogTables

  constructor(private readonly db: CatalogDb) {
    this.catalog = catalogTables(db)
    this.s = {
      set: db.prepare<[string], SetRow>('SELECT * FROM review_sets WHERE id = ?'),
      sets: db.prepare<[], SetRow>('SELECT * FROM review_sets ORDER BY created_at, id'),
      raters: db.prepare<[string], SetRater>(
        `SELECT r.id, r.name, r.role, sr.position FROM review_set_raters sr JOIN raters r ON r.id = sr.rater_id
         WHERE sr.set_id = ? ORDER BY sr.position`
      ),
      items: db.prepare<[string], ItemRow>(
        'SELECT entry_id, position, clip_no, media_sha256, filename, row_no FROM review_set_items WHERE set_id = ? ORDER BY position'
      ),
      itemByClip: db.prepare<[string, number], ItemRow>(
        'SELECT entry_id, position, clip_no, media_sha256, filename, row_no FROM review_set_items WHERE set_id = ? AND clip_no = ?'
      ),
      itemByEntry: db.prepare<[string, number], ItemRow>(
        'SELECT entry_id, position, clip_no, media_sha256, filename, row_no FROM review_set_items WHERE set_id = ? AND entry_id = ?'
      ),
      ratedByRater: db.prepare<[string], { rater_id: string; n: number }>(
        'SELECT rater_id, count(*) AS n FROM ratings WHERE set_id = ? GROUP BY rater_id'
      ),
      complete: db.prepare<[string, string], { n: number }>(
        `SELECT count(*) AS n FROM (SELECT entry_id FROM ratings WHERE set_id = ? GROUP BY entry_id
         HAVING count(*) = (SELECT count(*) FROM review_set_raters WHERE set_id = ?))`
      ),
      insertSet: db.prepare(
        `INSERT INTO review_sets (id, name, query, fields, blinded, reveal_after_submit, queue_order, seed, created_at)
         VALUES (@id, @name, @query, @fields, @blinded, @reveal_after_submit, @queue_order, @seed, @created_at)`
      ),
      insertRater: db.prepare<[string, string, number]>('INSERT INTO review_set_raters (set_id, rater_id, position) VALUES (?, ?, ?)'),
      insertItem: db.prepare(
        `INSERT INTO review_set_items (set_id, entry_id, position, clip_no, media_sha256, filename, row_no)
         VALUES (@set_id, @entry_id, @position, @clip_no, @media_sha256, @filename, @row_no)`
      ),
      raterExists: db.prepare<[string], { id: string }>('SELECT id FROM raters WHERE id = ?')
    }
  }

  /** The clips are the query's result, in its order, as `entries` (CatalogIndex over repository.list()) gave them. */
  create(args: CreateSetArgs, entries: readonly EntrySummary[]): string {
    if (entries.length === 0) throw new UserError('bad_input', 'The filter matches no clips: a review set needs at least one.')
    if (new Set(args.fields).size !== args.fields.length) throw new UserError('bad_input', 'Each field can be rated only once per set.')
    if (new Set(args.raterIds).size !== args.raterIds.length) throw new UserError('bad_input', 'A rater is listed twice.')
    for (const id of args.raterIds) if (!this.s.raterExists.get(id)) throw new UserError('not_found', `No rater with id ${id}.`)
    if (args.blinded && args.order === 'catalog' && LABEL_REVEALING_SORTS.has(args.query.sortKey))
      throw new UserError(
        'bad_input',
        `A blinded set in catalog order cannot be sorted by ${args.query.sortKey}: clips would come grouped by label. Sort by row, or use random order.`
      )
    const def: SetDefinition = {
      id: randomUUID(),
      name: args.name,
      query: args.query,
      fields: args.fields,
      blinded: args.blinded,
      revealAfterSubmit: args.revealAfterSubmit,
      order: args.order,
      seed: args.seed ?? randomInt(0, 2 ** 31 - 1),
      createdAt: new Date().toISOString()
    }
    const numbers = clipNumbers(entries.length, def.blinded, def.seed)
    const items: SetItem[] = entries.map((e, i) => ({
      entryId: e.id,
      position: i + 1,
      clipNo: numbers[i]!,
      mediaSha256: this.catalog.entryMedia.mediaSha256(e.id),
      filename: e.filename,
      row: this.catalog.entries.rowNo(e.id) ?? null
    }))
    this.db.transaction(() => this.insert(def, args.raterIds, items))()
    return def.id
  }

  /** Writes a whole set; callers hold the transaction (bundle import uses it too). */
  insert(def: SetDefinition, raterIds: readonly string[], items: readonly SetItem[]): void {
    this.s.insertSet.run({
      id: def.id,
      name: def.name,
      query: JSON.stringify(def.query),
      fields: JSON.stringify(def.fields),
      blinded: def.blinded ? 1 : 0,
      reveal_after_submit: def.revealAfterSubmit ? 1 : 0,
      queue_order: def.order,
      seed: def.seed,
      created_at: def.createdAt
    })
    raterIds.forEach((id, i) => this.s.insertRater.run(def.id, id, i + 1))
    for (const it of items)
      this.s.insertItem.run({
        set_id: def.id,
        entry_id: it.entryId,
        position: it.position,
        clip_no: it.clipNo,
        media_sha256: it.mediaSha256,
        filename: it.filename,
        row_no: it.row
      })
  }

  find(setId: string): SetDefinition | null {
    const r = this.s.set.get(setId)
    return r ? toDefinition(r) : null
  }

  definition(setId: string): SetDefinition {
    const d = this.find(setId)
    if (!d) throw new UserError('not_found', `No review set with id ${setId}.`)
    return d
  }

  raters(setId: string): SetRater[] {
    return this.s.raters.all(setId)
  }

  items(setId: string): SetItem[] {
    return this.s.items.all(setId).map(toItem)
  }

  itemByClipNo(setId: string, clipNo: number): SetItem | null {
    const r = this.s.itemByClip.get(setId, clipNo)
    return r ? toItem(r) : null
  }

  itemByEntry(setId: string, entryId: number): SetItem | null {
    const r = this.s.itemByEntry.get(setId, entryId)
    return r ? toItem(r) : null
  }

  get(setId: string): ReviewSet {
    const def = this.definition(setId)
    const rated = new Map(this.s.ratedByRater.all(setId).map((r) => [r.rater_id, r.n]))
    const items = this.s.items.all(setId)
    return {
      ...def,
      raters: this.raters(setId).map((r) => ({ ...r, rated: rated.get(r.id) ?? 0 })),
      clips: items.length,
      clipsWithoutMedia: items.filter((i) => !this.catalog.entries.hasMedia(i.entry_id)).length,
      complete: this.s.complete.get(setId, setId)!.n
    }
  }

  list(): ReviewSet[] {
    return this.s.sets.all().map((r) => this.get(r.id))
  }

  setIds(): string[] {
    return this.s.sets.all().map((r) => r.id)
  }
}

function toDefinition(r: SetRow): SetDefinition {
  if (!(REVIEW_ORDERS as readonly string[]).includes(r.queue_order))
    throw new UserError('unsupported', `Review set "${r.name}" uses the queue order "${r.queue_order}", which this version does not know. Update the app.`)
  return {
    id: r.id,
    name: r.name,
    query: catalogQuerySchema.parse(JSON.parse(r.query)),
    fields: ratingFieldSchema.array().parse(JSON.parse(r.fields)),
    blinded: r.blinded === 1,
    revealAfterSubmit: r.reveal_after_submit === 1,
    order: r.queue_order as ReviewOrder,
    seed: r.seed,
    createdAt: r.created_at
  }
}
