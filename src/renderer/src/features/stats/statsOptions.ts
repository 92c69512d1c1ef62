/**
 * Chart options built from the catalog statistics: pure functions of the
 * numbers, so the on-screen chart and its SVG export draw the same thing.
 */
import type { CatalogStats } from '../../../../shared/contract'
import { LABELS, PATHOLOGIES, SYMPTOMS, type Label } from '../../../../shared/vocabulary'
import { labelText, vocabularyText } from '../../ui/format'
import type { ChartOption } from '../../ui/charts/echarts'

export const LABEL_COLORS: Record<Label, string> = {
  covid: '#c0392b',
  bacterial_pneumonia: '#d9822b',
  viral_pneumonia: '#8e44ad',
  healthy: '#2c8a4b',
  other: '#6b7785'
}

/**
 * One colour per probe × type, fixed, so a category that appears (a blank
 * cell, an unknown value) never repaints the others: blues for convex, greens
 * for linear, dark for video and light for image; anything blank reads as a
 * light grey and any other value as a darker grey.
 */
export const GROUP_COLORS: Readonly<Record<string, string>> = {
  'convex · video': '#1f5fa8',
  'convex · image': '#7fa8d8',
  'linear · video': '#2c8a4b',
  'linear · image': '#9fd1ad'
}
export const BLANK_COLOR = '#b8bfc9'
export const OTHER_COLOR = '#6b7785'

/** The fixed colour of a probe × type key ("convex · video"), as folded by the chart. */
export function groupColor(key: string): string {
  return GROUP_COLORS[key] ?? (key.includes('(blank)') ? BLANK_COLOR : OTHER_COLOR)
}

/** Counts on the bars themselves, leaving empty bars unlabelled. */
const valueLabel = (position: 'inside' | 'top' | 'right') => ({
  show: true,
  position,
  fontSize: 11,
  formatter: (p: { value?: unknown }): string => (typeof p.value === 'number' && p.value > 0 ? String(p.value) : '')
})

const TEXT = { color: '#1d2530', fontFamily: 'system-ui, sans-serif' }

const base = (): ChartOption => ({
  textStyle: TEXT,
  animationDuration: 300,
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
  legend: { top: 0, type: 'scroll' },
  grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true }
})

const fold = (text: string): string => {
  const t = text.trim().toLowerCase()
  return t === '' ? '(blank)' : t
}

/** Labels that occur in the statistics, in the vocabulary's order. */
function presentLabels(stats: CatalogStats): Label[] {
  const seen = new Set(stats.byLabelProbeType.filter((r) => r.count > 0).map((r) => r.label))
  return LABELS.filter((l) => seen.has(l))
}

/** Clips per label, stacked by probe × type (convex video, linear image, …). */
export function labelProbeTypeOption(stats: CatalogStats): ChartOption {
  const labels = presentLabels(stats)
  const groups = new Map<string, Map<Label, number>>()
  for (const row of stats.byLabelProbeType) {
    const key = `${fold(row.probe)} · ${fold(row.type)}`
    const perLabel = groups.get(key) ?? new Map<Label, number>()
    perLabel.set(row.label, (perLabel.get(row.label) ?? 0) + row.count)
    groups.set(key, perLabel)
  }
  const keys = [...groups.keys()].sort()
  const keyText = (key: string): string => key.split(' · ').map(vocabularyText).join(' · ')
  return {
    ...base(),
    xAxis: { type: 'category', data: labels.map(labelText), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: keys.map((key) => ({
      name: keyText(key),
      type: 'bar',
      stack: 'clips',
      itemStyle: { color: groupColor(key) },
      label: valueLabel('inside'),
      labelLayout: { hideOverlap: true },
      emphasis: { focus: 'series' },
      data: labels.map((l) => groups.get(key)?.get(l) ?? 0)
    }))
  }
}

interface StateRow {
  label: Label
  name: string
  positive: number
  negative: number
  unknown: number
}

/** How many clips of each label have a finding (or symptom) present, per finding; the tooltip adds the rest. */
function byLabelOption(rows: StateRow[], names: readonly string[], positive: string, labels: Label[]): ChartOption {
  const lookup = new Map(rows.map((r) => [`${r.label}\u0001${r.name}`, r]))
  const extra = [...new Set(rows.map((r) => r.name))].filter((n) => !names.includes(n))
  const categories = [...names, ...extra]
  return {
    ...base(),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => tooltip(params, categories, labels, lookup, positive)
    },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: labels.map((l) => ({
      name: labelText(l),
      type: 'bar',
      // Per label, not by position: a label that appears or goes keeps every other label's colour.
      itemStyle: { color: LABEL_COLORS[l] },
      label: valueLabel('top'),
      emphasis: { focus: 'series' },
      data: categories.map((c) => lookup.get(`${l}\u0001${c}`)?.positive ?? 0)
    }))
  }
}

function tooltip(
  params: unknown,
  categories: string[],
  labels: Label[],
  lookup: Map<string, StateRow>,
  positive: string
): string {
  const first = Array.isArray(params) ? (params[0] as { dataIndex?: number } | undefined) : undefined
  const category = categories[first?.dataIndex ?? -1]
  if (category === undefined) return ''
  const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
  const lines = labels.map((l) => {
    const r = lookup.get(`${l}\u0001${category}`)
    return r ? `${esc(labelText(l))}: ${r.positive} ${positive}, ${r.negative} no, ${r.unknown} unknown` : ''
  })
  return [`<strong>${esc(category)}</strong>`, ...lines.filter((x) => x !== '')].join('<br>')
}

export function pathologiesOption(stats: CatalogStats): ChartOption {
  const rows = stats.pathologiesByLabel.map((r) => ({
    label: r.label,
    name: r.pathology,
    positive: r.present,
    negative: r.absent,
    unknown: r.notAssessed
  }))
  return byLabelOption(rows, PATHOLOGIES, 'present', presentLabels(stats))
}

export function symptomsOption(stats: CatalogStats): ChartOption {
  const rows = stats.symptomsByLabel.map((r) => ({
    label: r.label,
    name: r.symptom,
    positive: r.yes,
    negative: r.no,
    unknown: r.notAvailable
  }))
  return byLabelOption(rows, SYMPTOMS, 'yes', presentLabels(stats))
}

/** Clips per licence, largest first. */
export function licensesOption(stats: CatalogStats): ChartOption {
  const rows = [...stats.byLicense].sort((a, b) => a.count - b.count)
  return {
    ...base(),
    legend: { show: false },
    color: ['#1f5fa8'],
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => (r.license.trim() === '' ? '(blank)' : r.license)) },
    series: [{ name: 'clips', type: 'bar', data: rows.map((r) => r.count), label: { show: true, position: 'right' } }]
  }
}

/**
 * The chart's numbers as text, `category=total;…` summed over its series:
 * what the chart shows, readable by assistive technology and by tests.
 */
export function chartSummary(option: ChartOption): string {
  const axes = [option.xAxis, option.yAxis].flat() as ({ type?: string; data?: unknown[] } | undefined)[]
  const categories = axes.find((a) => a?.type === 'category')?.data ?? []
  const series = ([option.series].flat().filter(Boolean) as { data?: unknown[] }[]).map((s) => s.data ?? [])
  return categories
    .map((c, i) => `${String(c)}=${series.reduce((sum, data) => sum + (typeof data[i] === 'number' ? data[i] : 0), 0)}`)
    .join(';')
}
