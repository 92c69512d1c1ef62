/**
 * How the rating fields (src/shared/ratingsContract.ts) are shown and edited:
 * each field's kind, its choices, and how a value or an agreement category
 * reads. This is the one place that turns stored keys (`bacterial_pneumonia`,
 * `not_assessed`, `n/A`) into the words physicians read: the rating form,
 * agreement tables, confusion matrices, adjudication and the report exports
 * all go through it, so they can never disagree on a name.
 */
import { fieldVocabulary, isPathologyField, isSymptomField, valueOf } from '../../../../shared/ratingFieldVocabulary'
import { RATING_FIELDS, type AdjudicationItem, type RatingField, type RatingValue, type RatingValues } from '../../../../shared/ratingsContract'
import { LABEL_INFO, type Label, type PathologyState, type Probe, type SymptomState } from '../../../../shared/vocabulary'

export { valueOf }

export type FieldKind = 'choice' | 'number' | 'text'

export interface Choice {
  value: string | null
  text: string
}

const LABEL_TEXT = Object.fromEntries(Object.entries(LABEL_INFO).map(([label, info]) => [label, info.display])) as Record<Label, string>
const PATHOLOGY_TEXT: Record<PathologyState, string> = { present: 'Present', absent: 'Absent', not_assessed: 'Not assessed' }
const SYMPTOM_TEXT: Record<SymptomState, string> = { yes: 'Yes', no: 'No', 'n/A': 'Not applicable' }
const GENDER_TEXT = { male: 'Male', female: 'Female' } as const
const PROBE_TEXT: Record<Probe, string> = { convex: 'Convex', linear: 'Linear' }
/** A "not stated" answer (no gender, no probe, no age): null in a rating, `unknown` as an agreement category. */
const UNKNOWN_TEXT = 'Unknown'
/** How agreement statistics name a "not stated" answer (src/main/ratings/ratingFields.ts, categoryOf). */
const UNKNOWN_CATEGORY = 'unknown'

export function fieldKind(field: RatingField): FieldKind {
  if (field === 'age') return 'number'
  if (field === 'patientId' || field === 'degumArea' || field === 'comments') return 'text'
  return 'choice'
}

/** The words for a choice field's answers (what fieldVocabulary lists). */
function choiceTexts(field: RatingField): Readonly<Record<string, string>> {
  if (field === 'label') return LABEL_TEXT
  if (isPathologyField(field)) return PATHOLOGY_TEXT
  if (isSymptomField(field)) return SYMPTOM_TEXT
  if (field === 'gender') return GENDER_TEXT
  return PROBE_TEXT
}

/** A field's choices in the schema's order, "not stated" (null) last; none for numbers and free text. */
export function fieldChoices(field: RatingField): Choice[] {
  const texts = choiceTexts(field)
  return (fieldVocabulary(field) ?? []).map((value) => ({ value, text: value === null ? UNKNOWN_TEXT : (texts[value] ?? value) }))
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
  if (isPathologyField(field)) return 'not_assessed'
  if (isSymptomField(field)) return 'n/A'
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
