/**
 * How the rating fields (src/shared/ratingsContract.ts) are shown and edited:
 * each field's kind, its choices, and how a value reads.
 */
import type { RatingField, RatingValue, RatingValues } from '../../../../shared/ratingsContract'
import { LABEL_INFO, LABELS, PATHOLOGIES, PATHOLOGY_STATES, SYMPTOMS, SYMPTOM_STATES } from '../../../../shared/vocabulary'

export type FieldKind = 'choice' | 'number' | 'text'

export interface Choice {
  value: string | null
  text: string
}

const PATHOLOGY_TEXT: Record<string, string> = { present: 'present', absent: 'absent', not_assessed: 'not assessed' }

export function fieldKind(field: RatingField): FieldKind {
  if (field === 'age') return 'number'
  if (field === 'patientId' || field === 'degumArea' || field === 'comments') return 'text'
  return 'choice'
}

export function fieldChoices(field: RatingField): Choice[] {
  if (field === 'label') return LABELS.map((l) => ({ value: l, text: LABEL_INFO[l].display }))
  if ((PATHOLOGIES as readonly string[]).includes(field))
    return PATHOLOGY_STATES.map((s) => ({ value: s, text: PATHOLOGY_TEXT[s] ?? s }))
  if ((SYMPTOMS as readonly string[]).includes(field)) return SYMPTOM_STATES.map((s) => ({ value: s, text: s }))
  if (field === 'gender')
    return [
      { value: 'male', text: 'male' },
      { value: 'female', text: 'female' },
      { value: null, text: 'unknown' }
    ]
  if (field === 'probe')
    return [
      { value: 'convex', text: 'convex' },
      { value: 'linear', text: 'linear' },
      { value: null, text: 'unknown' }
    ]
  return []
}

export function fieldTitle(field: RatingField): string {
  switch (field) {
    case 'label':
      return 'Label'
    case 'age':
      return 'Age'
    case 'gender':
      return 'Gender'
    case 'patientId':
      return 'Patient ID'
    case 'degumArea':
      return 'DEGUM area'
    case 'probe':
      return 'Probe'
    case 'comments':
      return 'Comments'
    default:
      return field
  }
}

/** The value a fresh form starts from: nothing chosen for the label (no anchoring), "cannot tell" elsewhere. */
export function initialValue(field: RatingField): RatingValue | undefined {
  if (field === 'label') return undefined
  if ((PATHOLOGIES as readonly string[]).includes(field)) return 'not_assessed'
  if ((SYMPTOMS as readonly string[]).includes(field)) return 'n/A'
  if (field === 'gender' || field === 'probe' || field === 'age') return null
  return ''
}

export function valueText(field: RatingField, value: RatingValue | undefined): string {
  if (value === undefined) return '–'
  if (field === 'label' && typeof value === 'string' && value in LABEL_INFO) return LABEL_INFO[value as keyof typeof LABEL_INFO].display
  if (value === null) return 'unknown'
  if (typeof value === 'number') return String(value)
  if (value === 'not_assessed') return 'not assessed'
  return value === '' ? '(empty)' : value
}

export function valueOf(values: RatingValues, field: RatingField): RatingValue | undefined {
  return (values as Record<string, RatingValue | undefined>)[field]
}

/** A choice's value as an <option> value (null has none of its own). */
export const NULL_OPTION = '\u0000null'
export const optionValue = (v: string | null): string => (v === null ? NULL_OPTION : v)
export const fromOption = (v: string): string | null => (v === NULL_OPTION ? null : v)

export function formatNumber(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits)
}

export function formatCi(ci: readonly [number, number] | null): string {
  return ci === null ? '–' : `[${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]`
}
