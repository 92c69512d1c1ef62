/** Display text for catalog values; one place so every panel says the same thing. */
import { LABEL_INFO, MEDIA_STATUS_INFO, type Label, type MediaStatus } from '../../shared/vocabulary'

/** What an absent value reads as, so a blank is never mistaken for a rendering fault. */
export const NOT_RECORDED = '—'

export const labelText = (label: Label): string => LABEL_INFO[label].display
export const mediaStatusText = (status: MediaStatus): string => MEDIA_STATUS_INFO[status]

/** Facet values are compared lower-cased; an empty one stands for rows that left the cell blank. */
export const facetValueText = (value: string): string => (value === '' ? '(blank)' : value)

export const csvHeaderText = (header: string): string => (header === '' ? '(unnamed column)' : header)

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 })
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 })

export const formatCount = (n: number): string => integer.format(n)

export function formatNumber(n: number | null, unit = ''): string {
  if (n === null) return NOT_RECORDED
  return unit === '' ? decimal.format(n) : `${decimal.format(n)} ${unit}`
}

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
