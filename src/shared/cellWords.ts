/**
 * CSV cells in the words a physician reads: findings Present/Absent/Not
 * assessed, symptoms Yes/No/Not applicable, the label's name, Image/Video,
 * Convex/Linear, Male/Female. One table for the renderer's panels and
 * history and for main's undo/redo and audit texts, so the app never says
 * "n/A" in one place and "Not applicable" in another.
 */
import { LABEL_INFO, LABELS, PATHOLOGIES, SYMPTOMS } from './vocabulary'

const PATHOLOGY_COLUMNS: readonly string[] = PATHOLOGIES
const SYMPTOM_COLUMNS: readonly string[] = SYMPTOMS

const capitalised = (text: string): string => (text === '' ? text : text[0]!.toUpperCase() + text.slice(1))

/** Type and probe as words, whatever the CSV's capitalisation ("Image", "image" → "Image"); other text as written. */
export function vocabularyText(value: string): string {
  const v = value.trim().toLowerCase()
  return v === 'image' || v === 'video' || v === 'convex' || v === 'linear' ? capitalised(v) : value
}

/** The word for a cell's value where the dataset's conventions define one; null where they do not (free text, ages, unknown spellings). */
export function knownCellText(column: string, value: string): string | null {
  const v = value.trim()
  const lower = v.toLowerCase()
  if (PATHOLOGY_COLUMNS.includes(column)) {
    if (v === '1') return 'Present'
    if (v === '0') return 'Absent'
    if (v === '') return 'Not assessed'
  } else if (SYMPTOM_COLUMNS.includes(column)) {
    if (v === '1') return 'Yes'
    if (v === '0') return 'No'
    if (v === '' || lower === 'n/a') return 'Not applicable'
  } else if (column === 'Label') {
    const label = LABELS.find((l) => LABEL_INFO[l].csv.toLowerCase() === lower || LABEL_INFO[l].display.toLowerCase() === lower)
    if (label) return LABEL_INFO[label].display
  } else if (column === 'Type' || column === 'Probe') {
    if (v !== '') return vocabularyText(v)
  } else if (column === 'Gender') {
    if (lower === 'm') return 'Male'
    if (lower === 'w' || lower === 'f') return 'Female'
  }
  return null
}
