/**
 * How audited changes read to a person: field names as the review shows them
 * (key frames 1-based, like the frame counter), and cell values in the
 * reviewers' words ("Healthy", "Present") rather than the CSV's spellings
 * ("regular", "1"). The audit trail itself keeps what was stored: `key frame
 * <n>` with the 0-based frame index the key_frames table uses, so no record of
 * it is ever rewritten; every text for people goes through here instead.
 */
import { KEY_FRAME_FIELD_PREFIX } from '../../shared/csvConventions'
import { knownCellText } from '../../shared/cellWords'

/** One recorded change, as the changes table holds it. */
export interface StoredChange {
  field: string
  oldValue: string | null
  newValue: string | null
}

/** Beyond this many fields an action is summed up as "… and 2 more changes". */
const FIELDS_NAMED = 3
/** Long free text (a comment) would push the clip's name out of a tooltip. */
const VALUE_CHARS = 40

/** The 0-based frame index a key-frame field stands for, or null for a CSV column. */
export function keyFrameOfField(field: string): number | null {
  if (!field.startsWith(KEY_FRAME_FIELD_PREFIX)) return null
  const frame = Number(field.slice(KEY_FRAME_FIELD_PREFIX.length))
  return Number.isSafeInteger(frame) && frame >= 0 ? frame : null
}

/** The frame number people see for a stored 0-based index. */
export const shownFrame = (frame: number): number => frame + 1

export function fieldText(field: string): string {
  const frame = keyFrameOfField(field)
  if (frame !== null) return `Key frame ${shownFrame(frame)}`
  return field === '' ? '(unnamed column)' : field
}

function quoted(text: string): string {
  const short = text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text
  return `"${short}"`
}

/** A CSV cell's value as the review panel names it (shared/cellWords); raw text (quoted) where no vocabulary applies. */
function cellText(field: string, value: string): string {
  return knownCellText(field, value) ?? (value === '' ? 'blank' : quoted(value))
}

/** One change as "Label (COVID-19 → Healthy)" or "Key frame 5 (marked: "pleural line")". */
export function changeText(change: StoredChange): string {
  const name = fieldText(change.field)
  const { oldValue, newValue } = change
  if (keyFrameOfField(change.field) !== null) {
    if (oldValue === null) return newValue ? `${name} (marked: ${quoted(newValue)})` : `${name} (marked)`
    if (newValue === null) return `${name} (removed)`
    return `${name} (note ${oldValue ? quoted(oldValue) : 'blank'} → ${newValue ? quoted(newValue) : 'blank'})`
  }
  let before = cellText(change.field, oldValue ?? '')
  let after = cellText(change.field, newValue ?? '')
  // Two spellings of one state ("" and "n/A" for a symptom) would read as no change at all.
  if (before === after) {
    before = oldValue === null || oldValue === '' ? 'blank' : quoted(oldValue)
    after = newValue === null || newValue === '' ? 'blank' : quoted(newValue)
  }
  return `${name} (${before} → ${after})`
}

/** All changes of one action, the first few named: "B-lines (Absent → Present), Fever (Not applicable → Yes)". */
export function actionText(changes: readonly StoredChange[]): string {
  const named = changes.slice(0, FIELDS_NAMED).map(changeText).join(', ')
  const rest = changes.length - FIELDS_NAMED
  if (rest <= 0) return named
  return `${named} and ${rest} more ${rest === 1 ? 'change' : 'changes'}`
}
