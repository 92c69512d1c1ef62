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
import { Command } from 'commander'
import { emptyQuery, runQuery, type CatalogQuery } from '../../shared/catalogQuery'
import type { EntrySummary } from '../../shared/contract'
import { CatalogRepository } from '../catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../catalog/database'
import { loadOrCreateKeys } from '../deid/keys'
import { UserError } from '../errors'
import { exportBundle, PhiBlockedError } from '../submission/bundleExport'
import { contributionsRoot } from '../submission/contributions'
import { rebuildButterfly, rebuildWebVideos } from '../submission/rebuild'
import { action, catalogOption, catalogPathOf, CONSOLE, jsonOption, quietIo, quietOption, repeatable, UsageError, type CommandIo } from './commandKit'

export interface BundleCommandOptions {
  catalogPath: string
  out: string
  filter?: string[]
  /** Becomes part of every file name (Cov_<name>_1.mp4); default "contrib". */
  sourceName?: string
  stateDir?: string
  open?: (path: string) => CatalogDb
  onProgress?: (line: string) => void
  /** Progress as numbers, for the command line's progress line. */
  onProgressCount?: (done: number, total: number) => void
  /** The result as data (for --json) instead of lines. */
  onResult?: (result: BundleResult) => void
}

export type BundleResult = Awaited<ReturnType<typeof exportBundle>>

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
        onProgress: (p) => {
          o.onProgress?.(`${p.done}/${p.total} ${p.message}`)
          o.onProgressCount?.(p.done, p.total)
        }
      })
      o.onResult?.(r)
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
  /** The result as data (for --json) instead of lines. */
  onResult?: (result: RebuildResult) => void
}

export type RebuildResult = Awaited<ReturnType<typeof rebuildButterfly>>

/** `rebuild-butterfly ZIP` and `rebuild-web FOLDER [--crop-json FILE]`. */
export async function rebuildCommand(kind: 'butterfly' | 'web', path: string, o: RebuildCommandOptions): Promise<string> {
  const db = (o.open ?? openCatalog)(o.catalogPath)
  try {
    const r =
      kind === 'butterfly'
        ? await rebuildButterfly(db, resolve(path), { sourceId: o.sourceId })
        : await rebuildWebVideos(db, resolve(path), { sourceId: o.sourceId, cropJsonPath: o.cropJson ? resolve(o.cropJson) : undefined })
    o.onResult?.(r)
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

export function defineBundleCommand(io: CommandIo = CONSOLE): Command {
  return new Command('bundle')
    .summary("a submission bundle in the dataset's conventions (validated, PHI-scanned)")
    .description(
      "A submission bundle in the dataset's conventions (validated, PHI-scanned).\n" +
        'Filters are KEY=VALUE (repeat --filter, or separate pairs with commas), alternatives with |: --filter "label=covid|healthy,probe=convex". ' +
        'Keys: label, probe, type, license, status (linked/missing/unreadable), search, source (an id, or "contributions"), id. ' +
        'Without a filter the bundle holds every entry of the contributions source.'
    )
    .usage('--out FILE.zip [--catalog FILE] [--filter KEY=VALUE]... [--source-name NAME] [--json] [--quiet]')
    .option('--out <zip>', 'the bundle to write')
    .addOption(catalogOption())
    .option('--filter <key=value>', 'select entries (repeatable)', repeatable, [])
    .option('--source-name <name>', 'part of every file name (Cov_<name>_1.mp4); default "contrib"')
    .addOption(jsonOption('what was written'))
    .addOption(quietOption())
    .action(
      action(async (o: { out?: string; catalog?: string; filter: string[]; sourceName?: string; json?: boolean; quiet?: boolean }) => {
        if (!o.out) throw new UsageError('bundle needs --out FILE.zip')
        const out = quietIo(io, o.quiet)
        let result: BundleResult | null = null
        const text = await bundleCommand({
          catalogPath: catalogPathOf(o),
          out: resolve(o.out),
          filter: o.filter,
          ...(o.sourceName !== undefined ? { sourceName: o.sourceName } : {}),
          onProgressCount: (done, total) => out.progress?.(done, total),
          onResult: (r) => (result = r)
        })
        out.progressDone?.()
        out.log(o.json ? JSON.stringify(result) : text)
        return 0
      })
    )
}

function sourceIdOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`--source takes a source id (got "${value}")`)
  return n
}

export function defineRebuildCommand(kind: 'butterfly' | 'web', io: CommandIo = CONSOLE): Command {
  const web = kind === 'web'
  const cmd = new Command(web ? 'rebuild-web' : 'rebuild-butterfly')
    .summary(web ? 'rebuild the web clips the dataset cannot redistribute, from files you downloaded' : "rebuild the Butterfly clips from the gallery's ZIP you downloaded")
    .description('Rebuild the clips the dataset cannot redistribute from files you downloaded, and link them to their entries.')
    .usage(web ? 'FOLDER [--catalog FILE] [--source ID] [--crop-json FILE] [--json]' : 'GALLERY.zip [--catalog FILE] [--source ID] [--json]')
    .argument(web ? '<folder>' : '<zip>', web ? 'the folder of downloaded videos' : "the Butterfly gallery's ZIP")
    .addOption(catalogOption())
    .option('--source <id>', 'the dataset source to rebuild into (default: the only one)')
  if (web) cmd.option('--crop-json <file>', 'crop boxes (JSON) for the downloaded videos')
  return cmd.addOption(jsonOption('what was placed')).action(
    action(async (path: string, o: { catalog?: string; source?: string; cropJson?: string; json?: boolean }) => {
      const sourceId = sourceIdOption(o.source)
      let result: RebuildResult | null = null
      const text = await rebuildCommand(kind, resolve(path), {
        catalogPath: catalogPathOf(o),
        ...(sourceId !== undefined ? { sourceId } : {}),
        ...(o.cropJson !== undefined ? { cropJson: resolve(o.cropJson) } : {}),
        onResult: (r) => (result = r)
      })
      io.log(o.json ? JSON.stringify(result) : text)
      return 0
    })
  )
}
