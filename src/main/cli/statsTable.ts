import type { CatalogStats } from '../../shared/contract'
import { LABEL_INFO } from '../../shared/vocabulary'

/** Counts by label (rows) × probe and type (columns), as a plain-text table. */
export function formatStatsTable(stats: CatalogStats): string {
  const columns = [...new Set(stats.byLabelProbeType.map((r) => `${r.probe} ${r.type}`))].sort()
  const labels = [...new Set(stats.byLabelProbeType.map((r) => r.label))]
  const count = (label: string, col: string): number =>
    stats.byLabelProbeType.filter((r) => r.label === label && `${r.probe} ${r.type}` === col).reduce((n, r) => n + r.count, 0)
  const header = ['label', ...columns, 'total']
  const rows = labels.map((l) => {
    const cells = columns.map((c) => count(l, c))
    return [LABEL_INFO[l].display, ...cells.map(String), String(cells.reduce((a, b) => a + b, 0))]
  })
  rows.push(['total', ...columns.map((c) => String(labels.reduce((n, l) => n + count(l, c), 0))), String(stats.total)])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  const media = Object.entries(stats.byMediaStatus)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), '', `${stats.total} entries; media: ${media}`].join('\n')
}
