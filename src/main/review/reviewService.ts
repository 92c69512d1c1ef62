/**
 * Audited review edits. Every change to a CSV cell or key frame is recorded
 * (who, when, field, old and new value) as part of one action, and actions
 * can be undone and redone in stack order, across restarts: the stack is the
 * actions table itself. Each action changes one clip, so the review can show
 * that clip before an undo touches it; a step names the action it expects and
 * is refused when the stack's top is another.
 */
import type { Change, EntryDetail, HistoryExpectation, HistoryStatus, HistoryStep, HistoryTarget, KeyFrame } from '../../shared/contract'
import { keyFrameField } from '../../shared/csvConventions'
import type { CsvColumn } from '../../shared/vocabulary'
import { isCsvColumn, type CatalogRepository } from '../catalog/catalogRepository'
import type { CatalogDb } from '../catalog/database'
import { columnIndex } from '../dataset/normalize'
import { UserError } from '../errors'
import { actionText, fieldText, keyFrameOfField, shownFrame } from './changeText'
import { SettingsStore } from './settingsStore'

interface FieldChange {
  entryId: number
  field: string
  oldValue: string | null
  newValue: string | null
}

interface ActionRow {
  id: number
  kind: 'edit' | 'undo' | 'redo'
  target_id: number | null
  state: string
  user: string
  at: string
}

export class ReviewService {
  readonly settings: SettingsStore
  private readonly s

  constructor(
    private readonly db: CatalogDb,
    private readonly repository: CatalogRepository
  ) {
    this.settings = new SettingsStore(db)
    this.s = {
      insertAction: db.prepare<[string, number | null, string, string, string]>(
        'INSERT INTO actions (kind, target_id, state, user, at) VALUES (?, ?, ?, ?, ?)'
      ),
      insertChange: db.prepare<[number | bigint, number, string, string | null, string | null]>(
        'INSERT INTO changes (action_id, entry_id, field, old_value, new_value) VALUES (?, ?, ?, ?, ?)'
      ),
      dropRedoable: db.prepare("UPDATE actions SET state = 'dropped' WHERE kind = 'edit' AND state = 'undone'"),
      setState: db.prepare<[string, number]>('UPDATE actions SET state = ? WHERE id = ?'),
      lastDone: db.prepare<[], ActionRow>("SELECT * FROM actions WHERE kind = 'edit' AND state = 'done' ORDER BY id DESC LIMIT 1"),
      // The edit to redo is the target of the latest undo whose target is still undone.
      nextRedo: db.prepare<[], ActionRow>(
        `SELECT t.* FROM actions u JOIN actions t ON t.id = u.target_id
         WHERE u.kind = 'undo' AND t.state = 'undone' ORDER BY u.id DESC LIMIT 1`
      ),
      changesOf: db.prepare<[number], { entry_id: number; field: string; old_value: string | null; new_value: string | null }>(
        'SELECT entry_id, field, old_value, new_value FROM changes WHERE action_id = ? ORDER BY id'
      ),
      history: db.prepare<[number], { id: number; action_id: number; entry_id: number; field: string; old_value: string | null; new_value: string | null; kind: Change['kind']; user: string; at: string }>(
        `SELECT c.id, c.action_id, c.entry_id, c.field, c.old_value, c.new_value, a.kind, a.user, a.at
         FROM changes c JOIN actions a ON a.id = c.action_id WHERE c.entry_id = ? ORDER BY c.id DESC`
      ),
      keyFrames: db.prepare<[number], KeyFrame>('SELECT frame, note, user, at FROM key_frames WHERE entry_id = ? ORDER BY frame'),
      keyFrameNote: db.prepare<[number, number], { note: string }>('SELECT note FROM key_frames WHERE entry_id = ? AND frame = ?'),
      upsertKeyFrame: db.prepare<[number, number, string, string, string]>(
        `INSERT INTO key_frames (entry_id, frame, note, user, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (entry_id, frame) DO UPDATE SET note = excluded.note, user = excluded.user, at = excluded.at`
      ),
      deleteKeyFrame: db.prepare<[number, number]>('DELETE FROM key_frames WHERE entry_id = ? AND frame = ?')
    }
  }

  private requireUser(): string {
    const user = this.settings.userName()
    if (!user) throw new UserError('conflict', 'Set your name first: every change is recorded with the name of who made it.')
    return user
  }

  /** Sets CSV cells of one entry as one undoable action; cells that already hold the value are skipped. */
  editCells(entryId: number, cells: Partial<Record<CsvColumn, string>>): EntryDetail {
    const user = this.requireUser()
    this.db.transaction(() => {
      const current = this.repository.cells(entryId)
      const changes: FieldChange[] = []
      for (const [field, value] of Object.entries(cells)) {
        if (value === undefined) continue
        if (!isCsvColumn(field)) throw new UserError('invalid_request', `Unknown CSV column "${field}".`)
        const old = current[columnIndex(field)] ?? ''
        if (old !== value) changes.push({ entryId, field, oldValue: old, newValue: value })
      }
      this.record(user, changes)
    })()
    return this.repository.get(entryId)
  }

  listKeyFrames(entryId: number): KeyFrame[] {
    this.repository.cells(entryId) // not_found for an unknown entry
    return this.s.keyFrames.all(entryId)
  }

  setKeyFrame(entryId: number, frame: number, note: string): KeyFrame[] {
    const user = this.requireUser()
    this.db.transaction(() => {
      this.repository.cells(entryId)
      const old = this.s.keyFrameNote.get(entryId, frame)?.note ?? null
      if (old !== note) this.record(user, [{ entryId, field: keyFrameField(frame), oldValue: old, newValue: note }])
    })()
    return this.s.keyFrames.all(entryId)
  }

  removeKeyFrame(entryId: number, frame: number): KeyFrame[] {
    const user = this.requireUser()
    this.db.transaction(() => {
      const old = this.s.keyFrameNote.get(entryId, frame)?.note
      if (old === undefined) throw new UserError('not_found', `Frame ${shownFrame(frame)} is not a key frame of this clip.`)
      this.record(user, [{ entryId, field: keyFrameField(frame), oldValue: old, newValue: null }])
    })()
    return this.s.keyFrames.all(entryId)
  }

  history(entryId: number): Change[] {
    this.repository.cells(entryId)
    return this.s.history.all(entryId).map((r) => ({
      id: r.id,
      actionId: r.action_id,
      entryId: r.entry_id,
      at: r.at,
      user: r.user,
      field: r.field,
      fieldText: fieldText(r.field),
      oldValue: r.old_value,
      newValue: r.new_value,
      kind: r.kind
    }))
  }

  status(): HistoryStatus {
    const undo = this.s.lastDone.get()
    const redo = this.s.nextRedo.get()
    return {
      canUndo: undo !== undefined,
      canRedo: redo !== undefined,
      undo: undo ? this.target(undo.id) : null,
      redo: redo ? this.target(redo.id) : null
    }
  }

  /**
   * Takes back the last edit. `expected` is the edit the page showed as next
   * (history/status's `undo`); without it (tests, scripts) the top is undone
   * whichever clip it is on.
   */
  undo(expected?: HistoryExpectation): HistoryStep {
    return this.step('undo', expected)
  }

  redo(expected?: HistoryExpectation): HistoryStep {
    return this.step('redo', expected)
  }

  private step(kind: 'undo' | 'redo', expected: HistoryExpectation | undefined): HistoryStep {
    const user = this.requireUser()
    let done: HistoryTarget | null = null
    let description = kind === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.'
    this.db.transaction(() => {
      const top = kind === 'undo' ? this.s.lastDone.get() : this.s.nextRedo.get()
      if (expected) this.requireExpected(kind, top, expected)
      if (!top) return
      const target = this.target(top.id)
      const changes = this.s.changesOf.all(top.id)
      const steps: FieldChange[] = (kind === 'undo' ? [...changes].reverse() : changes).map((c) => ({
        entryId: c.entry_id,
        field: c.field,
        oldValue: kind === 'undo' ? c.new_value : c.old_value,
        newValue: kind === 'undo' ? c.old_value : c.new_value
      }))
      for (const st of steps) {
        const now = this.currentValue(st.entryId, st.field)
        if (now !== st.oldValue)
          throw new UserError(
            'conflict',
            `Cannot ${kind}: ${fieldText(st.field)} of ${this.filename(st.entryId)} was changed since (it is now "${now ?? '(none)'}").`
          )
      }
      description = `${kind === 'undo' ? 'Undid' : 'Redid'} ${target.change} of ${target.filename}`
      const action = this.s.insertAction.run(kind, top.id, 'applied', user, new Date().toISOString()).lastInsertRowid
      for (const st of steps) this.apply(st, action, user)
      this.s.setState.run(kind === 'undo' ? 'undone' : 'done', top.id)
      done = target
    })()
    return { target: done, description, status: this.status() }
  }

  /** Refuses a step whose page showed another edit as next: it would change what its user is not looking at. */
  private requireExpected(kind: 'undo' | 'redo', top: ActionRow | undefined, expected: HistoryExpectation): void {
    const verb = kind === 'undo' ? 'undone' : 'redone'
    if (!top)
      throw new UserError('conflict', `Nothing was ${verb}: there is nothing left to ${kind} (perhaps it was done in another window).`)
    const target = this.target(top.id)
    if (target.entryId !== expected.entryId)
      throw new UserError(
        'conflict',
        `Nothing was ${verb}: the next change to ${kind} is on ${target.filename} (${target.change}), not on the clip this page expected. Show that clip first.`
      )
    if (target.actionId !== expected.actionId)
      throw new UserError(
        'conflict',
        `Nothing was ${verb}: the next change to ${kind} on ${target.filename} is now ${target.change}, which this page had not shown (it was made elsewhere, perhaps in another window). Look at the clip again before you ${kind}.`
      )
  }

  private record(user: string, changes: FieldChange[]): void {
    if (changes.length === 0) return
    // Undo shows the clip an action changed before it takes it back: that needs one clip per action.
    if (changes.some((c) => c.entryId !== changes[0]?.entryId)) throw new Error('one audited action changes one entry')
    // A new edit makes the undone actions unreachable by redo, as in every editor.
    this.s.dropRedoable.run()
    const action = this.s.insertAction.run('edit', null, 'done', user, new Date().toISOString()).lastInsertRowid
    for (const c of changes) this.apply(c, action, user)
  }

  private apply(c: FieldChange, action: number | bigint, user: string): void {
    this.s.insertChange.run(action, c.entryId, c.field, c.oldValue, c.newValue)
    const frame = keyFrameOfField(c.field)
    if (frame !== null) {
      if (c.newValue === null) this.s.deleteKeyFrame.run(c.entryId, frame)
      else this.s.upsertKeyFrame.run(c.entryId, frame, c.newValue, user, new Date().toISOString())
    } else if (isCsvColumn(c.field)) {
      this.repository.writeCells(c.entryId, { [c.field]: c.newValue ?? '' })
    } else throw new Error(`unknown audited field ${c.field}`)
  }

  private currentValue(entryId: number, field: string): string | null {
    const frame = keyFrameOfField(field)
    if (frame !== null) return this.s.keyFrameNote.get(entryId, frame)?.note ?? null
    return isCsvColumn(field) ? (this.repository.cells(entryId)[columnIndex(field)] ?? '') : null
  }

  private filename(entryId: number): string {
    return this.repository.tables.entries.filename(entryId) ?? `entry ${entryId}`
  }

  /** The edit as history/status names it: its clip, and what it changed in reviewers' words. */
  private target(actionId: number): HistoryTarget {
    const changes = this.s.changesOf.all(actionId)
    const entryId = changes[0]?.entry_id
    if (entryId === undefined) throw new Error(`audited action ${actionId} has no changes`)
    return {
      actionId,
      entryId,
      filename: this.filename(entryId),
      change: actionText(changes.map((c) => ({ field: c.field, oldValue: c.old_value, newValue: c.new_value })))
    }
  }
}
