/**
 * What each rating field means: how a value is validated, compared, turned
 * into an agreement category, read from the catalog (the reference), and
 * written back into CSV cells (the consensus), in the dataset's conventions.
 */
import type { EntryDetail } from '../../shared/contract'
import { genderToCsv, labelToCsv, pathologyToCsv, symptomToCsv } from '../../shared/csvConventions'
import { fieldVocabulary, isPathologyField, isSymptomField } from '../../shared/ratingFieldVocabulary'
import { RATING_FIELD_SCHEMAS, type RatingField, type RatingValue, type RatingValues } from '../../shared/ratingsContract'
import type { CsvColumn, Label, PathologyState, SymptomState } from '../../shared/vocabulary'
import { cell } from '../dataset/normalize'
import { UserError } from '../errors'

/** Free text that is neither compared between raters nor adjudicated: it goes to the MD comment columns. */
export const isFreeText = (f: RatingField): boolean => f === 'comments'

/** The category vocabulary of a field for agreement statistics; null: not a categorical field. */
export function fieldCategories(f: RatingField): readonly string[] | null {
  if (f === 'degumArea') return [] // categorical, but the areas are whatever raters wrote: categories are those seen
  // A choice field's answers as categoryOf names them ("not stated" is `unknown`).
  return fieldVocabulary(f)?.map((v) => categoryOf(f, v)) ?? null
}

/** Why a field gets no κ; null for categorical fields. */
export function agreementSkipReason(f: RatingField): string | null {
  if (f === 'age') return 'numeric: exact-match κ is not meaningful for ages (use an ICC or Bland–Altman analysis)'
  if (f === 'patientId') return 'free text (patient identifier)'
  if (f === 'comments') return 'free text'
  return null
}

/**
 * A value as an agreement category. "Not stated" answers (no gender, no
 * probe, an empty DEGUM area) are a category of their own, as not_assessed
 * and n/A are: a rater who cannot tell disagrees with one who can.
 */
export function categoryOf(f: RatingField, value: RatingValue): string {
  if (f === 'degumArea') return typeof value === 'string' && value.trim() !== '' ? value.trim().toUpperCase() : 'unknown'
  if (value === null || value === '') return 'unknown'
  return String(value)
}

/** Whether two raters gave the same answer; text is compared trimmed, case-insensitively (as agreement categories are). */
export function sameValue(a: RatingValue | undefined, b: RatingValue | undefined): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.trim().toLowerCase() === b.trim().toLowerCase()
  return a === b
}

export function parseFieldValue(f: RatingField, value: unknown, where: string): RatingValue {
  const r = RATING_FIELD_SCHEMAS[f].safeParse(value)
  if (!r.success) throw new UserError('bad_input', `${where}: ${JSON.stringify(value)} is not a valid value for ${f}.`)
  return r.data
}

/**
 * A complete, validated rating of exactly the set's fields. `where` names the
 * clip in errors: in rater mode it is the opaque handle, never the file.
 */
export function completeValues(fields: readonly RatingField[], values: RatingValues, where: string): RatingValues {
  const given = values as Partial<Record<RatingField, RatingValue>>
  const extra = Object.keys(given).filter((k) => !(fields as readonly string[]).includes(k))
  if (extra.length > 0) throw new UserError('bad_input', `${where}: this review set does not rate ${extra.join(', ')}.`)
  const missing = fields.filter((f) => given[f] === undefined)
  if (missing.length > 0) throw new UserError('bad_input', `${where}: rate every field before submitting (missing: ${missing.join(', ')}).`)
  const out: Partial<Record<RatingField, RatingValue>> = {}
  for (const f of fields) out[f] = parseFieldValue(f, given[f], where)
  return out as RatingValues
}

/** The dataset's reference answer for each field, from the catalog entry. */
export function referenceValues(detail: EntryDetail, fields: readonly RatingField[]): RatingValues {
  const n = detail.normalized
  const out: Partial<Record<RatingField, RatingValue>> = {}
  for (const f of fields) {
    if (f === 'label') out[f] = n.label
    else if (isPathologyField(f)) out[f] = n.pathologies[f] ?? 'not_assessed'
    else if (isSymptomField(f)) out[f] = n.symptoms[f] ?? 'n/A'
    else if (f === 'age') out[f] = n.age
    else if (f === 'gender') out[f] = n.gender
    else if (f === 'probe') out[f] = n.probe
    else if (f === 'patientId') out[f] = cell(detail.cells, 'Patient ID / Name')
    else if (f === 'degumArea') out[f] = cell(detail.cells, 'Area according to DEGUM')
    else out[f] = cell(detail.cells, 'Comments first medical doctor (MD1)')
  }
  return out as RatingValues
}

/** The CSV cell a consensus value is written to, spelled as the dataset spells it (csvConventions). */
export function consensusCell(f: RatingField, value: RatingValue): [CsvColumn, string] {
  const text = value === null ? '' : String(value)
  if (f === 'label') return ['Label', labelToCsv(value as Label)]
  if (isPathologyField(f)) return [f, pathologyToCsv(value as PathologyState)]
  if (isSymptomField(f)) return [f, symptomToCsv(value as SymptomState)]
  if (f === 'gender') return ['Gender', genderToCsv(value as 'male' | 'female' | null)]
  if (f === 'age') return ['Age', text]
  if (f === 'probe') return ['Probe', text]
  if (f === 'patientId') return ['Patient ID / Name', text]
  if (f === 'degumArea') return ['Area according to DEGUM', text]
  throw new UserError('bad_input', 'Comments are not adjudicated; export them to the MD1–MD3 columns instead.')
}

/** The MD comment columns, for raters 1..3 of a set. */
export const MD_COLUMNS = ['Comments first medical doctor (MD1)', 'MD2', 'MD3'] as const satisfies readonly CsvColumn[]
