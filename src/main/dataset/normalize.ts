/**
 * Typed, normalized fields derived from a CSV record's verbatim cells. The
 * cells stay the source of truth; this only interprets them, and says where
 * it had to guess.
 */
import type { NormalizedFields } from '../../shared/contract'
import {
  CSV_COLUMNS,
  PATHOLOGIES,
  SYMPTOMS,
  type CsvColumn,
  type Label,
  type PathologyState,
  type SymptomState
} from '../../shared/vocabulary'

export interface NormalizationWarning {
  column: CsvColumn
  message: string
}

const COLUMN_INDEX = new Map<string, number>(CSV_COLUMNS.map((c, i) => [c, i]))

export function columnIndex(column: CsvColumn): number {
  return COLUMN_INDEX.get(column)!
}

export function cell(cells: readonly string[], column: CsvColumn): string {
  return cells[columnIndex(column)] ?? ''
}

const LABEL_SPELLINGS: Record<string, Label> = {
  'covid-19': 'covid',
  covid: 'covid',
  'bacterial pneumonia': 'bacterial_pneumonia',
  pneumonia: 'bacterial_pneumonia',
  'viral pneumonia': 'viral_pneumonia',
  regular: 'healthy',
  healthy: 'healthy',
  other: 'other'
}
const CANONICAL_LABEL_SPELLINGS = new Set(['COVID-19', 'Bacterial pneumonia', 'Viral pneumonia', 'regular', 'Other'])

export function normalizeLabel(raw: string): { label: Label; warning?: string } {
  const label = LABEL_SPELLINGS[raw.trim().toLowerCase()]
  if (!label) return { label: 'other', warning: `unknown label "${raw}", treated as Other` }
  if (!CANONICAL_LABEL_SPELLINGS.has(raw)) return { label, warning: `label "${raw}" read as ${label}` }
  return { label }
}

function lowerEnum<T extends string>(
  raw: string,
  allowed: readonly T[],
  column: CsvColumn,
  warnings: NormalizationWarning[]
): T | null {
  const v = raw.trim().toLowerCase() as T
  if (!allowed.includes(v)) {
    if (raw.trim() !== '') warnings.push({ column, message: `unknown ${column.toLowerCase()} "${raw}"` })
    else warnings.push({ column, message: `${column} is empty` })
    return null
  }
  if (v !== raw) warnings.push({ column, message: `"${raw}" read as "${v}"` })
  return v
}

/** `dd.mm.yy` (the dataset's format) to ISO `yyyy-mm-dd`; the 20xx century is assumed. */
export function parseDatasetDate(raw: string): string | null {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(raw.trim())
  if (!m) return null
  const day = Number(m[1])
  const month = Number(m[2])
  const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3])
  const d = new Date(Date.UTC(year, month - 1, day))
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null
  return d.toISOString().slice(0, 10)
}

const NOT_AVAILABLE = new Set(['', 'n/a', 'na', 'nd', 'n.a.', '-'])

function parseNumber(raw: string, column: CsvColumn, warnings: NormalizationWarning[]): number | null {
  const t = raw.trim()
  if (NOT_AVAILABLE.has(t.toLowerCase())) return null
  const n = Number(t.replace(',', '.'))
  if (!Number.isFinite(n)) {
    warnings.push({ column, message: `"${raw}" is not a number` })
    return null
  }
  return n
}

function pathologyState(raw: string, column: CsvColumn, warnings: NormalizationWarning[]): PathologyState {
  const t = raw.trim()
  if (t === '1') return 'present'
  if (t === '0') return 'absent'
  if (t !== '') warnings.push({ column, message: `"${raw}" is not 1, 0 or empty; read as not assessed` })
  return 'not_assessed'
}

function symptomState(raw: string, column: CsvColumn, warnings: NormalizationWarning[]): SymptomState {
  const t = raw.trim()
  if (t === '1') return 'yes'
  if (t === '0') return 'no'
  if (t.toLowerCase() !== 'n/a' && t !== '') warnings.push({ column, message: `"${raw}" is not 1, 0 or n/A; read as n/A` })
  return 'n/A'
}

export function normalizeRecord(cells: readonly string[]): { fields: NormalizedFields; warnings: NormalizationWarning[] } {
  const warnings: NormalizationWarning[] = []
  const labelRes = normalizeLabel(cell(cells, 'Label'))
  if (labelRes.warning) warnings.push({ column: 'Label', message: labelRes.warning })

  const dateRaw = cell(cells, 'Date added')
  const dateAdded = parseDatasetDate(dateRaw)
  if (dateAdded === null && dateRaw.trim() !== '')
    warnings.push({ column: 'Date added', message: `"${dateRaw}" is not a dd.mm.yy date` })

  const genderRaw = cell(cells, 'Gender').trim().toLowerCase()
  let gender: NormalizedFields['gender'] = null
  if (genderRaw === 'm') gender = 'male'
  else if (genderRaw === 'w' || genderRaw === 'f') gender = 'female'
  else if (!NOT_AVAILABLE.has(genderRaw))
    warnings.push({ column: 'Gender', message: `unknown gender "${cell(cells, 'Gender')}"` })

  const lengthFrames = parseNumber(cell(cells, 'Length (frames)'), 'Length (frames)', warnings)
  const pathologies: Record<string, PathologyState> = {}
  for (const p of PATHOLOGIES) pathologies[p] = pathologyState(cell(cells, p), p, warnings)
  const symptoms: Record<string, SymptomState> = {}
  for (const s of SYMPTOMS) symptoms[s] = symptomState(cell(cells, s), s, warnings)

  return {
    fields: {
      label: labelRes.label,
      type: lowerEnum(cell(cells, 'Type'), ['video', 'image'] as const, 'Type', warnings),
      probe: lowerEnum(cell(cells, 'Probe'), ['convex', 'linear'] as const, 'Probe', warnings),
      dateAdded,
      framerate: parseNumber(cell(cells, 'Framerate'), 'Framerate', warnings),
      lengthFrames: lengthFrames === null ? null : Math.round(lengthFrames),
      age: parseNumber(cell(cells, 'Age'), 'Age', warnings),
      gender,
      pathologies,
      symptoms
    },
    warnings
  }
}
