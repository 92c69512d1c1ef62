/** Display text for catalog values; one place so every panel says the same thing. */
import type { RebuildSource } from '../../../shared/rebuildSource'
import { knownCellText, vocabularyText } from '../../../shared/cellWords'
import { LABEL_INFO, MEDIA_STATUS_INFO, type Label, type MediaStatus } from '../../../shared/vocabulary'

export { vocabularyText }

/** What an absent value reads as, so a blank is never mistaken for a rendering fault. */
export const NOT_RECORDED = '—'

export const labelText = (label: Label): string => LABEL_INFO[label].display
export const mediaStatusText = (status: MediaStatus): string => MEDIA_STATUS_INFO[status]

/** What a row without media offers instead: where its clip can be rebuilt from (the rebuild step of Submission). */
export function rebuildText(source: RebuildSource | null): string {
  if (source === 'butterfly') return 'rebuild from Butterfly'
  if (source === 'web') return 'rebuild from web sources'
  return 'no public source to rebuild from'
}

/** "Not in the repository — rebuild from Butterfly": a missing row said for what it is. */
export const missingMediaText = (source: RebuildSource | null): string => `${MEDIA_STATUS_INFO.missing} — ${rebuildText(source)}`

/** Facet values are compared lower-cased; an empty one stands for rows that left the cell blank. */
export const facetValueText = (value: string): string => (value === '' ? '(blank)' : vocabularyText(value))

/** A CSV cell in the words a physician reads (history, tables); values the conventions do not know as written, `null` a cell that did not exist. */
export function cellValueText(column: string, value: string | null): string {
  if (value === null) return '(none)'
  return knownCellText(column, value) ?? (value === '' ? '(empty)' : value)
}

/** The CSV's own spelling, for a title or secondary line where it helps ("CSV: n/A"). */
export const csvSpellingText = (value: string | null): string => (value === null ? 'no cell' : value === '' ? 'CSV: empty cell' : `CSV: ${value}`)

const CASE_ONLY = /^"(.*)" read as "(.*)"$/s

/** A normalisation that changed only capitalisation ("Image" read as "image"): information, not a warning. */
export function isCaseOnlyNormalisation(message: string): boolean {
  const m = CASE_ONLY.exec(message)
  return m !== null && m[1] !== m[2] && m[1]!.toLowerCase() === m[2]
}

/** An entry's warning reads "Column: message" (main's entryColumns.ts). */
export const isCaseOnlyEntryWarning = (warning: string): boolean => isCaseOnlyNormalisation(warning.slice(warning.indexOf(': ') + 2))

export const csvHeaderText = (header: string): string => (header === '' ? '(unnamed column)' : header)

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 })
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 })

export const formatCount = (n: number): string => integer.format(n)

export function formatNumber(n: number | null, unit = ''): string {
  if (n === null) return NOT_RECORDED
  return unit === '' ? decimal.format(n) : `${decimal.format(n)} ${unit}`
}

/** A probability as a physician reads it: "62 %". */
export const percentText = (p: number | null): string => (p === null ? NOT_RECORDED : `${Math.round(p * 100)} %`)
/** A probability as a CSS length for a bar: no space before the sign ("5.0 %" is no length, and a bar with an invalid width is drawn full). */
export const percentWidth = (p: number): string => `${(p * 100).toFixed(1)}%`

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return NOT_RECORDED
  if (seconds < 60) return `${decimal.format(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  return `${minutes} min ${decimal.format(seconds - minutes * 60)} s`
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : decimal.format(value)} ${units[unit]}`
}

export function formatResolution(width: number | null, height: number | null): string {
  return width === null || height === null ? NOT_RECORDED : `${width} × ${height}`
}

export const textOrDash = (text: string | null): string => (text === null || text.trim() === '' ? NOT_RECORDED : text)

/** "1 entry" / "3 entries": counts read as sentences in reports. */
export const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`
