/**
 * Adjudication: the disagreeing clips of a set with every rating side by
 * side, a consensus value per field set by an adjudicator with a reason, and
 * writing consensus (and raters' comments) into the catalog. Catalog writes
 * go through ReviewService.editCells, so each is audited and undoable, and
 * one apply is one transaction: every clip or none.
 */
import type { AdjudicationItem, ApplyReport, RatingField, RatingValue } from '../../shared/ratingsContract'
import { CSV_COLUMNS, type CsvColumn } from '../../shared/vocabulary'
import type { CatalogRepository } from '../catalog/catalogRepository'
import type { CatalogDb } from '../catalog/database'
import { UserError } from '../errors'
import type { ReviewService } from '../review/reviewService'
import type { RaterStore } from './raterStore'
import { valueOf } from '../../shared/ratingFieldVocabulary'
import { consensusCell, isFreeText, MD_COLUMNS, parseFieldValue, referenceValues, sameValue } from './ratingFields'
import type { RatingStore, StoredRating } from './ratingStore'
import type { ReviewSetStore, SetDefinition, SetItem, SetRater } from './reviewSetStore'

export interface AdjudicationDeps {
  db: CatalogDb
  sets: ReviewSetStore
  ratings: RatingStore
  raters: RaterStore
  repository: CatalogRepository
  review: ReviewService
}

interface ConsensusRow {
  entry_id: number
  field: string
  value: string
  reason: string
  adjudicator: string
  at: string
  applied_at: string | null
}

type FieldStatus = AdjudicationItem['fields'][number]['status']

export function fieldStatus(field: RatingField, ratings: readonly StoredRating[]): FieldStatus {
  if (isFreeText(field)) return 'text'
  const values = ratings.map((r) => valueOf(r.values, field)).filter((v) => v !== undefined)
  if (values.length === 0) return 'none'
  if (values.length === 1) return 'single'
  return values.every((v) => sameValue(v, values[0])) ? 'agree' : 'disagree'
}

const ADJUDICATING_ROLES = new Set(['adjudicator', 'coordinator'])

export class Adjudication {
  private readonly s

  constructor(private readonly d: AdjudicationDeps) {
    this.s = {
      ofSet: d.db.prepare<[string], ConsensusRow>(
        `SELECT c.entry_id, c.field, c.value, c.reason, r.name AS adjudicator, c.at, c.applied_at
         FROM consensus c JOIN raters r ON r.id = c.adjudicator_id WHERE c.set_id = ?`
      ),
      upsert: d.db.prepare<[string, number, string, string, string, string, string]>(
        `INSERT INTO consensus (set_id, entry_id, field, value, reason, adjudicator_id, at, applied_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (set_id, entry_id, field) DO UPDATE SET value = excluded.value, reason = excluded.reason,
           adjudicator_id = excluded.adjudicator_id, at = excluded.at, applied_at = NULL`
      ),
      applied: d.db.prepare<[string, string, number, string]>('UPDATE consensus SET applied_at = ? WHERE set_id = ? AND entry_id = ? AND field = ?')
    }
  }

  list(setId: string, onlyDisagreements: boolean): { setId: string; raters: (SetRater & { rated: number })[]; items: AdjudicationItem[] } {
    const def = this.d.sets.definition(setId)
    const set = this.d.sets.get(setId)
    const consensus = this.consensusByEntry(setId)
    const items = this.d.sets
      .items(setId)
      .map((item) => this.itemView(def, set.raters, item, consensus))
      .filter((v) => !onlyDisagreements || v.fields.some((f) => f.status === 'disagree'))
    return { setId, raters: set.raters, items }
  }

  setConsensus(args: { setId: string; entryId: number; adjudicatorId: string; field: RatingField; value: RatingValue; reason: string }): AdjudicationItem {
    const def = this.d.sets.definition(args.setId)
    const adjudicator = this.d.raters.get(args.adjudicatorId)
    if (!ADJUDICATING_ROLES.has(adjudicator.role))
      throw new UserError('conflict', `${adjudicator.name} is a rater; only an adjudicator or coordinator profile can set a consensus.`)
    const item = this.item(def, args.entryId)
    if (!def.fields.includes(args.field)) throw new UserError('bad_input', `Review set "${def.name}" does not rate ${args.field}.`)
    if (isFreeText(args.field)) throw new UserError('bad_input', 'Comments are not adjudicated; export them to the MD1–MD3 columns instead.')
    const value = parseFieldValue(args.field, args.value, `Clip ${item.clipNo}`)
    this.d.db.transaction(() => {
      this.s.upsert.run(def.id, item.entryId, args.field, JSON.stringify(value), args.reason.trim(), adjudicator.id, new Date().toISOString())
    })()
    return this.itemView(def, this.d.sets.get(def.id).raters, item, this.consensusByEntry(def.id))
  }

  /**
   * Writes adjudicated values (and, if asked, unanimous ones from clips every
   * rater rated) into the catalog's cells.
   */
  applyConsensus(setId: string, includeUnanimous: boolean): ApplyReport {
    const def = this.d.sets.definition(setId)
    const raterCount = this.d.sets.raters(setId).length
    const consensus = this.consensusByEntry(setId)
    const report: ApplyReport = { entriesChanged: 0, cellsWritten: 0, skipped: [] }
    this.d.db.transaction(() => {
      const now = new Date().toISOString()
      for (const item of this.d.sets.items(setId)) {
        const ratings = this.d.ratings.ofItem(setId, item.entryId)
        const cells: Partial<Record<CsvColumn, string>> = {}
        const used: RatingField[] = []
        for (const field of def.fields) {
          if (isFreeText(field)) continue
          const c = consensus.get(item.entryId)?.get(field)
          if (c) {
            const [column, text] = consensusCell(field, JSON.parse(c.value) as RatingValue)
            cells[column] = text
            used.push(field)
            continue
          }
          const status = fieldStatus(field, ratings)
          if (status === 'disagree') report.skipped.push({ clipNo: item.clipNo, field, reason: 'the raters disagree and no consensus was set' })
          else if (includeUnanimous && status === 'agree' && ratings.length < raterCount)
            report.skipped.push({ clipNo: item.clipNo, field, reason: 'not every rater rated this clip' })
          else if (includeUnanimous && status === 'agree') {
            const [column, text] = consensusCell(field, valueOf(ratings[0]!.values, field)!)
            cells[column] = text
          }
        }
        this.write(item, cells, report)
        for (const field of used) this.s.applied.run(now, setId, item.entryId, field)
      }
    })()
    return report
  }

  /** Rater k's comment (k = 1..3, the set's rater order) into the MDk column. */
  exportComments(setId: string, from: 'comments' | 'comment', overwrite: boolean): ApplyReport {
    const def = this.d.sets.definition(setId)
    if (from === 'comments' && !def.fields.includes('comments'))
      throw new UserError('bad_input', `Review set "${def.name}" does not rate the comments field; export the raters' free comments instead.`)
    const raters = this.d.sets.raters(setId)
    const report: ApplyReport = { entriesChanged: 0, cellsWritten: 0, skipped: [] }
    for (const r of raters.slice(MD_COLUMNS.length))
      report.skipped.push({ clipNo: null, field: r.name, reason: 'only the first three raters have comment columns (MD1–MD3)' })
    this.d.db.transaction(() => {
      for (const item of this.d.sets.items(setId)) {
        const current = this.d.repository.cells(item.entryId)
        const cells: Partial<Record<CsvColumn, string>> = {}
        const ratings = this.d.ratings.ofItem(setId, item.entryId)
        raters.slice(0, MD_COLUMNS.length).forEach((rater, k) => {
          const rating = ratings.find((x) => x.raterId === rater.id)
          if (!rating) return
          const text = (from === 'comments' ? String(valueOf(rating.values, 'comments') ?? '') : rating.comment).trim()
          const column = MD_COLUMNS[k]!
          const old = current[CSV_COLUMNS.indexOf(column)] ?? ''
          if (text === '' || old === text) return
          if (old.trim() !== '' && !overwrite) {
            report.skipped.push({ clipNo: item.clipNo, field: column, reason: 'the cell already holds other text (overwrite replaces it)' })
            return
          }
          cells[column] = text
        })
        this.write(item, cells, report)
      }
    })()
    return report
  }

  private write(item: SetItem, cells: Partial<Record<CsvColumn, string>>, report: ApplyReport): void {
    if (Object.keys(cells).length === 0) return
    const before = this.d.repository.cells(item.entryId)
    this.d.review.editCells(item.entryId, cells)
    const after = this.d.repository.cells(item.entryId)
    const changed = after.filter((v, i) => v !== before[i]).length
    if (changed > 0) report.entriesChanged++
    report.cellsWritten += changed
  }

  private item(def: SetDefinition, entryId: number): SetItem {
    const item = this.d.sets.itemByEntry(def.id, entryId)
    if (!item) throw new UserError('not_found', `Catalog entry ${entryId} is not in review set "${def.name}".`)
    return item
  }

  private consensusByEntry(setId: string): Map<number, Map<string, ConsensusRow>> {
    const out = new Map<number, Map<string, ConsensusRow>>()
    for (const c of this.s.ofSet.all(setId)) {
      const m = out.get(c.entry_id) ?? new Map<string, ConsensusRow>()
      m.set(c.field, c)
      out.set(c.entry_id, m)
    }
    return out
  }

  private itemView(
    def: SetDefinition,
    raters: readonly SetRater[],
    item: SetItem,
    consensusByEntry: Map<number, Map<string, ConsensusRow>>
  ): AdjudicationItem {
    const detail = this.d.repository.get(item.entryId)
    const position = new Map(raters.map((r) => [r.id, r]))
    const ratings = this.d.ratings
      .ofItem(def.id, item.entryId)
      .sort((a, b) => (position.get(a.raterId)?.position ?? 0) - (position.get(b.raterId)?.position ?? 0))
    const consensus = consensusByEntry.get(item.entryId)
    return {
      clipNo: item.clipNo,
      entryId: item.entryId,
      filename: detail.summary.filename,
      mediaId: detail.summary.mediaId,
      reference: referenceValues(detail, def.fields),
      ratings: ratings.map((r) => ({
        raterId: r.raterId,
        rater: position.get(r.raterId)?.name ?? 'unknown rater',
        values: r.values,
        confidence: r.confidence,
        comment: r.comment
      })),
      fields: def.fields.map((field) => {
        const c = consensus?.get(field)
        return {
          field,
          status: fieldStatus(field, ratings),
          consensus: c
            ? { value: JSON.parse(c.value) as RatingValue, reason: c.reason, adjudicator: c.adjudicator, at: c.at, appliedAt: c.applied_at }
            : null
        }
      })
    }
  }
}
