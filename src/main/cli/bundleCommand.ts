/**
 * `lus-review bundle --catalog C --out FILE.zip [--filter …] [--source-name NAME]`
 * and the rebuild commands, as functions cli.ts dispatches to.
 *
 * Filters are `key=value` (repeat --filter, or separate pairs with commas);
 * alternatives with `|`: `--filter label=covid|healthy,probe=convex`.
 * Keys: label, probe, type, license, status (linked/missing/unreadable),
 * search (free text), source (a source id, or "contributions"), id.
 * Without a filter the bundle holds every entry of the contributions source.
 */
import { basename, resolve } from 'node:path'
import { emptyQuery, runQuery, type CatalogQuery } from '../../shared/catalogQuery'
import type { EntrySummary } from '../../shared/contract'
import { CatalogRepository } from '../catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../catalog/database'
import { loadOrCreateKeys } from '../deid/keys'
import { UserError } from '../errors'
import { exportBundle, PhiBlockedError } from '../submission/bundleExport'
import { contributionsRoot } from '../submission/contributions'
import { rebuildButterfly, rebuildWebVideos } from '../submission/rebuild'

export interface BundleCommandOptions {
  catalogPath: string
  out: string
  filter?: string[]
  /** Becomes part of every file name (Cov_<name>_1.mp4); default "contrib". */
  sourceName?: string
  stateDir?: string
  open?: (path: string) => CatalogDb
  onProgress?: (line: string) => void
}

const QUERY_KEYS: Record<string, keyof Pick<CatalogQuery, 'labels' | 'probes' | 'types' | 'licenses' | 'mediaStatuses'>> = {
  label: 'labels',
  probe: 'probes',
  type: 'types',
  license: 'licenses',
  status: 'mediaStatuses'
}

/** The entries a filter selects, in catalog order. */
export function selectEntries(db: CatalogDb, catalogPath: string, filters: readonly string[]): EntrySummary[] {
  const repo = new CatalogRepository(db)
  const q: { -readonly [K in keyof CatalogQuery]: CatalogQuery[K] } = emptyQuery()
  let sources: Set<number> | null = null
  let ids: Set<number> | null = null
  const contributionsId = (): number | null => repo.sources().find((s) => resolve(s.root) === resolve(contributionsRoot(catalogPath)) || basename(s.root) === 'contributions')?.id ?? null
  for (const pair of filters.flatMap((f) => f.split(',')).map((p) => p.trim()).filter((p) => p !== '')) {
    const i = pair.indexOf('=')
    if (i <= 0) throw new UserError('invalid_request', `Bad --filter "${pair}": use key=value (keys: ${[...Object.keys(QUERY_KEYS), 'search', 'source', 'id'].join(', ')}).`)
    const key = pair.slice(0, i).trim().toLowerCase()
    const values = pair.slice(i + 1).split('|').map((v) => v.trim())
    if (key in QUERY_KEYS) q[QUERY_KEYS[key]!] = values
    else if (key === 'search') q.search = values.join(' ')
    else if (key === 'source') {
      sources = new Set(values.map((v) => (v.toLowerCase() === 'contributions' ? (contributionsId() ?? -1) : Number(v))))
    } else if (key === 'id') ids = new Set(values.map(Number))
    else throw new UserError('invalid_request', `Unknown --filter key "${key}".`)
  }
  if (filters.length === 0) {
    const c = contributionsId()
    if (c === null) throw new UserError('bad_input', 'This catalog has no contributions (imported DICOM files) to bundle; select entries with --filter.')
    sources = new Set([c])
  }
  return runQuery(repo.list(), q).filter((e) => (sources === null || sources.has(e.sourceId)) && (ids === null || ids.has(e.id)))
}

export async function bundleCommand(o: BundleCommandOptions): Promise<string> {
  // A bundle only reads the catalog: no lock, works beside a running app.
  const db = (o.open ?? ((path: string) => openCatalog(path, { readonly: true })))(o.catalogPath)
  try {
    const entries = selectEntries(db, o.catalogPath, o.filter ?? [])
    if (entries.length === 0) throw new UserError('bad_input', 'The filter selects no entry.')
    try {
      const r = await exportBundle(db, {
        entryIds: entries.map((e) => e.id),
        sourceName: o.sourceName ?? 'contrib',
        outPath: resolve(o.out),
        keys: loadOrCreateKeys(o.stateDir),
        onProgress: (p) => o.onProgress?.(`${p.done}/${p.total} ${p.message}`)
      })
      return [
        `Wrote ${r.outPath} (${r.bytes} bytes): ${r.entries.length} clip(s), the PHI scan found nothing.`,
        ...r.entries.map((e) => `  ${e.path}  (entry ${e.entryId})`),
        ...r.warnings.map((w) => `  warning: ${w.filename}: ${w.field}: ${w.message}`)
      ].join('\n')
    } catch (e) {
      if (e instanceof PhiBlockedError) throw new UserError('conflict', [e.message, ...e.findings.map((f) => `  ${f.file} (${f.where}): ${f.what}`)].join('\n'))
      throw e
    }
  } finally {
    db.close()
  }
}

export interface RebuildCommandOptions {
  catalogPath: string
  sourceId?: number
  cropJson?: string
  open?: (path: string) => CatalogDb
}

/** `rebuild-butterfly ZIP` and `rebuild-web FOLDER [--crop-json FILE]`. */
export async function rebuildCommand(kind: 'butterfly' | 'web', path: string, o: RebuildCommandOptions): Promise<string> {
  const db = (o.open ?? openCatalog)(o.catalogPath)
  try {
    const r =
      kind === 'butterfly'
        ? await rebuildButterfly(db, resolve(path), { sourceId: o.sourceId })
        : await rebuildWebVideos(db, resolve(path), { sourceId: o.sourceId, cropJsonPath: o.cropJson ? resolve(o.cropJson) : undefined })
    return [
      `Placed ${r.placed.length} clip(s); linked entries ${r.linkedBefore} → ${r.linkedAfter}.`,
      ...r.placed.map((p) => `  ${p.relPath}${p.changes !== 'none' ? ` (${p.changes})` : ''}`),
      ...(r.alreadyPresent.length ? [`  already present: ${r.alreadyPresent.length}`] : []),
      ...r.notFound.map((n) => `  not found in the input: ${n}`),
      ...r.failed.map((f) => `  failed: ${f.name}: ${f.error}`)
    ].join('\n')
  } finally {
    db.close()
  }
}
