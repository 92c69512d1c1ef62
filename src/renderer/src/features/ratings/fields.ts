/**
 * How the rating fields (src/shared/ratingsContract.ts) are shown and edited:
 * each field's kind, its choices, and how a value or an agreement category
 * reads. This is the one place that turns stored keys (`bacterial_pneumonia`,
 * `not_assessed`, `n/A`) into the words physicians read: the rating form,
 * agreement tables, confusion matrices, adjudication and the report exports
 * all go through it, so they can never disagree on a name.
 */
import { RATING_FIELDS, type AdjudicationItem, type RatingField, type RatingValue, type RatingValues } from '../../../../shared/ratingsContract'
import {
  LABEL_INFO,
  LABELS,
  PATHOLOGIES,
  PATHOLOGY_STATES,
  PROBES,
  SYMPTOMS,
  SYMPTOM_STATES,
  type PathologyState,
  type Probe,
  type SymptomState
} from '../../../../shared/vocabulary'

export type FieldKind = 'choice' | 'number' | 'text'

export interface Choice {
  value: string | null
  text: string
}

const PATHOLOGY_TEXT: Record<PathologyState, string> = { present: 'Present', absent: 'Absent', not_assessed: 'Not assessed' }
const SYMPTOM_TEXT: Record<SymptomState, string> = { yes: 'Yes', no: 'No', 'n/A': 'Not applicable' }
const GENDER_TEXT = { male: 'Male', female: 'Female' } as const
const PROBE_TEXT: Record<Probe, string> = { convex: 'Convex', linear: 'Linear' }
/** A "not stated" answer (no gender, no probe, no age): null in a rating, `unknown` as an agreement category. */
const UNKNOWN_TEXT = 'Unknown'
/** How agreement statistics name a "not stated" answer (src/main/ratings/ratingFields.ts, categoryOf). */
const UNKNOWN_CATEGORY = 'unknown'

const isPathology = (field: RatingField): boolean => (PATHOLOGIES as readonly string[]).includes(field)
const isSymptom = (field: RatingField): boolean => (SYMPTOMS as readonly string[]).includes(field)

export function fieldKind(field: RatingField): FieldKind {
  if (field === 'age') return 'number'
  if (field === 'patientId' || field === 'degumArea' || field === 'comments') return 'text'
  return 'choice'
}

export function fieldChoices(field: RatingField): Choice[] {
  if (field === 'label') return LABELS.map((l) => ({ value: l, text: LABEL_INFO[l].display }))
  if (isPathology(field)) return PATHOLOGY_STATES.map((s) => ({ value: s, text: PATHOLOGY_TEXT[s] }))
  if (isSymptom(field)) return SYMPTOM_STATES.map((s) => ({ value: s, text: SYMPTOM_TEXT[s] }))
  if (field === 'gender')
    return [
      { value: 'male', text: GENDER_TEXT.male },
      { value: 'female', text: GENDER_TEXT.female },
      { value: null, text: UNKNOWN_TEXT }
    ]
  if (field === 'probe') return [...PROBES.map((p) => ({ value: p, text: PROBE_TEXT[p] })), { value: null, text: UNKNOWN_TEXT }]
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
  if (isPathology(field)) return 'not_assessed'
  if (isSymptom(field)) return 'n/A'
  if (field === 'gender' || field === 'probe' || field === 'age') return null
  return ''
}

export function valueText(field: RatingField, value: RatingValue | undefined): string {
  if (value === undefined) return '–'
  if (value === null) return UNKNOWN_TEXT
  if (typeof value === 'number') return String(value)
  if (value === '') return '(empty)'
  // A choice's own words; a value outside the vocabulary (an old or hand-edited rating) shows as stored.
  return fieldChoices(field).find((c) => c.value === value)?.text ?? value
}

/**
 * An agreement category (AgreementReport.categories, specificAgreement[].category)
 * as people read it. Categories are values turned into strings by main, with
 * `unknown` standing for a "not stated" answer; DEGUM areas are whatever raters wrote.
 */
export function categoryText(field: RatingField, category: string): string {
  if (category === UNKNOWN_CATEGORY && (field === 'gender' || field === 'probe' || field === 'degumArea')) return UNKNOWN_TEXT
  return valueText(field, category)
}

/** A rating's values as one line, e.g. "Label: Bacterial pneumonia · B-lines: Present" (fields in contract order). */
export function valuesText(values: RatingValues): string {
  return RATING_FIELDS.filter((f) => valueOf(values, f) !== undefined)
    .map((f) => `${fieldTitle(f)}: ${valueText(f, valueOf(values, f))}`)
    .join(' · ')
}

type AdjudicationStatus = AdjudicationItem['fields'][number]['status']

/** How adjudication names a field's state on a clip. */
export const ADJUDICATION_STATUS_TEXT: Record<AdjudicationStatus, string> = {
  agree: 'agree',
  disagree: 'disagree',
  single: 'one rating',
  none: 'not rated',
  text: 'free text'
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
