/**
 * The agreement report of a set as CSV and as a printable HTML page (built here, saved as a download).
 *
 * The CSV keeps machine keys in its key columns (`field`, `statistic`,
 * `category`: what scripts filter on, stable across versions) and adds the
 * names people read (`field_name`, `category_name`) as the last columns, so
 * existing readers of the first columns are unaffected. The HTML page shows
 * only the names people read.
 */
import type { AgreementReport, Estimate, RatingField, ReviewSet, SetAgreement } from '../../../../shared/ratingsContract'
import { neutralizeFormula } from '../../../../shared/spreadsheetFormula'
import { confusionSvg } from './confusionChart'
import { categoryText, fieldTitle } from './fields'

const HEADER = ['field', 'statistic', 'raters', 'category', 'value', 'ci95_low', 'ci95_high', 'n', 'dropped_replicates', 'field_name', 'category_name']

type Cell = string | number | null

function csvCell(v: Cell): string {
  if (v === null) return ''
  const s = String(v)
  // Neutralised exactly as the dataset export does (one rule for every CSV the project writes).
  const safe = typeof v === 'number' ? s : neutralizeFormula(s)
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** The human-readable columns that end every row of a field. */
const names = (field: RatingField, category: string): Cell[] => [fieldTitle(field), category === '' ? '' : categoryText(field, category)]

function estimateRow(field: RatingField, statistic: string, raters: string, category: string, e: Estimate): Cell[] {
  return [field, statistic, raters, category, e.value, e.ci95?.[0] ?? null, e.ci95?.[1] ?? null, e.n, e.droppedReplicates, ...names(field, category)]
}

function countRows(field: RatingField, r: AgreementReport): Cell[][] {
  const all = r.raters.join(' | ')
  const c = (name: string, v: number): Cell[] => [field, name, all, '', v, null, null, null, null, ...names(field, '')]
  return [
    c('items', r.items),
    c('ratings', r.ratings),
    c('items_with_one_rating', r.itemsWithOneRating),
    c('items_with_two_or_more_ratings', r.itemsWithTwoOrMoreRatings),
    c('complete_items', r.completeItems)
  ]
}

export function agreementCsv(agreement: SetAgreement, set: ReviewSet | null): string {
  const rows: Cell[][] = [HEADER]
  for (const { field, report: r } of agreement.fields) {
    const all = r.raters.join(' | ')
    rows.push(estimateRow(field, 'percent_agreement', all, '', r.percentAgreement))
    rows.push(estimateRow(field, 'pairwise_agreement', all, '', r.pairwiseAgreement))
    rows.push(estimateRow(field, 'fleiss_kappa', all, '', r.fleissKappa))
    for (const p of r.cohenKappa) {
      rows.push(estimateRow(field, 'cohen_kappa', p.raters.join(' | '), '', p))
      rows.push([field, 'observed_agreement', p.raters.join(' | '), '', p.observedAgreement, null, null, p.n, null, ...names(field, '')])
    }
    for (const s of r.specificAgreement) rows.push(estimateRow(field, 'specific_agreement', all, s.category, s))
    rows.push(...countRows(field, r))
  }
  for (const s of agreement.skippedFields) rows.push([s.field, 'skipped', '', '', s.reason, null, null, null, null, ...names(s.field, '')])
  if (set) for (const r of set.raters) rows.push(['', 'missing_ratings', r.name, '', set.clips - r.rated, null, null, set.clips, null, '', ''])
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const num = (v: number | null): string => (v === null ? '–' : v.toFixed(3))
const ci = (e: Estimate): string => (e.ci95 === null ? '–' : `${e.ci95[0].toFixed(3)} – ${e.ci95[1].toFixed(3)}`)

function estimateTr(name: string, e: Estimate): string {
  return `<tr><td>${escapeHtml(name)}</td><td>${num(e.value)}</td><td>${ci(e)}</td><td>${e.n}</td></tr>`
}

export function agreementHtml(agreement: SetAgreement, set: ReviewSet | null): string {
  const title = `Agreement report — ${set?.name ?? agreement.setId}`
  const parts: string[] = []
  parts.push(`<h1>${escapeHtml(title)}</h1>`)
  parts.push(`<p>Generated ${escapeHtml(new Date().toISOString())}. Percentile bootstrap 95% intervals, resampling items.</p>`)
  if (set) {
    parts.push('<h2>Raters and missing ratings</h2><table><tr><th>#</th><th>Rater</th><th>Rated</th><th>Missing</th></tr>')
    for (const r of set.raters) parts.push(`<tr><td>${r.position}</td><td>${escapeHtml(r.name)}</td><td>${r.rated}</td><td>${set.clips - r.rated}</td></tr>`)
    parts.push(`</table><p>${set.clips} clips, ${set.complete} rated by every rater.</p>`)
  }
  for (const { field, report: r } of agreement.fields) {
    parts.push(`<section><h2>${escapeHtml(fieldTitle(field))}</h2>`)
    parts.push(
      `<p>${r.items} items rated, ${r.ratings} ratings, ${r.itemsWithOneRating} with one rating, ${r.itemsWithTwoOrMoreRatings} with two or more, ${r.completeItems} complete.</p>`
    )
    parts.push('<table><tr><th>Statistic</th><th>Value</th><th>95% CI</th><th>n</th></tr>')
    parts.push(estimateTr('Percent agreement', r.percentAgreement))
    parts.push(estimateTr('Pairwise agreement', r.pairwiseAgreement))
    parts.push(estimateTr("Fleiss' κ", r.fleissKappa))
    for (const p of r.cohenKappa) parts.push(estimateTr(`Cohen's κ ${p.raters[0]} × ${p.raters[1]}`, p))
    for (const s of r.specificAgreement) parts.push(estimateTr(`Specific agreement: ${categoryText(field, s.category)}`, s))
    parts.push('</table>')
    for (const p of r.cohenKappa) {
      parts.push(`<figure><figcaption>${escapeHtml(`${p.raters[0]} (rows) × ${p.raters[1]} (columns)`)}</figcaption>`)
      parts.push(confusionSvg(p, field, r.categories))
      parts.push('</figure>')
    }
    parts.push('</section>')
  }
  if (agreement.skippedFields.length > 0) {
    parts.push('<h2>Skipped fields</h2><ul>')
    for (const s of agreement.skippedFields) parts.push(`<li>${escapeHtml(fieldTitle(s.field))}: ${escapeHtml(s.reason)}</li>`)
    parts.push('</ul>')
  }
  const style =
    'body{font-family:system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:left}figure{display:inline-block;margin:8px}section{page-break-inside:avoid}@media print{body{margin:0}}'
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${style}</style></head><body>${parts.join('\n')}</body></html>\n`
}
