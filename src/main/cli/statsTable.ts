import type { CatalogStats } from '../../shared/contract'
import { LABEL_INFO, LABELS, PATHOLOGIES, SYMPTOMS, type Label } from '../../shared/vocabulary'

/** A plain-text table: first column left-aligned, the others right-aligned. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

const labelsIn = (labels: Iterable<Label>): Label[] => {
  const present = new Set(labels)
  return LABELS.filter((l) => present.has(l))
}

/** Counts by label × probe and type, pathologies and symptoms by label, and licences. */
export function formatStatsTable(stats: CatalogStats): string {
  const columns = [...new Set(stats.byLabelProbeType.map((r) => `${r.probe} ${r.type}`))].sort()
  const labels = labelsIn(stats.byLabelProbeType.map((r) => r.label))
  const count = (label: string, col: string): number =>
    stats.byLabelProbeType.filter((r) => r.label === label && `${r.probe} ${r.type}` === col).reduce((n, r) => n + r.count, 0)
  const composition = labels.map((l) => {
    const cells = columns.map((c) => count(l, c))
    return [LABEL_INFO[l].display, ...cells.map(String), String(cells.reduce((a, b) => a + b, 0))]
  })
  composition.push(['total', ...columns.map((c) => String(labels.reduce((n, l) => n + count(l, c), 0))), String(stats.total)])

  const pathologyRows = labelsIn(stats.pathologiesByLabel.map((r) => r.label)).map((l) => [
    LABEL_INFO[l].display,
    ...PATHOLOGIES.map((p) => {
      const r = stats.pathologiesByLabel.find((x) => x.label === l && x.pathology === p)
      return r ? `${r.present}/${r.present + r.absent}` : '0/0'
    })
  ])
  const symptomRows = labelsIn(stats.symptomsByLabel.map((r) => r.label)).map((l) => [
    LABEL_INFO[l].display,
    ...SYMPTOMS.map((s) => {
      const r = stats.symptomsByLabel.find((x) => x.label === l && x.symptom === s)
      return r ? `${r.yes}/${r.yes + r.no}` : '0/0'
    })
  ])
  const media = Object.entries(stats.byMediaStatus)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  return [
    'Clips by label × probe and type',
    table(['label', ...columns, 'total'], composition),
    '',
    'Pathologies by label (present / assessed)',
    table(['label', ...PATHOLOGIES], pathologyRows),
    '',
    'Symptoms by label (yes / known)',
    table(['label', ...SYMPTOMS], symptomRows),
    '',
    'Licences',
    table(['licence', 'entries'], stats.byLicense.map((r) => [r.license || '(empty)', String(r.count)])),
    '',
    `${stats.total} entries; media: ${media}`
  ].join('\n')
}
