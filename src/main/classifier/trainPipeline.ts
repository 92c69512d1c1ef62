/**
 * `npm run train`: everything before and around training/train.py.
 *
 *  1. imports the dataset folder into a scratch catalog in the work folder
 *     (outside the repository: frames of licensed media never enter it);
 *  2. hashes every clip (dHash) and merges the patient groups of
 *     near-duplicate clips, so the leakage the check would flag cannot happen;
 *  3. splits by patient, stratified by label, and writes folds.csv and
 *     cross_val.json (and the dataset scripts' frame folders with --frames);
 *  4. writes the manifest train.py reads (with each clip's expert findings,
 *     the multi-task head's second target) and runs it with Debian's python3.
 *
 * train.py writes the model, its card and the parity fixture into the repository.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import type { NormalizedFields } from '../../shared/contract'
import { MODEL_FINDINGS, type ModelFinding } from '../../shared/classifierPreprocess'
import { openCatalog, type CatalogDb } from '../catalog/database'
import { EntriesTable } from '../catalog/entriesTable'
import { SourcesTable } from '../catalog/sourcesTable'
import { importDataset } from '../dataset/datasetImport'
import { catalogClipReader, type CatalogClip } from './catalogClips'
import { findNearDuplicates, hashClips, NEAR_DUPLICATE_MAX_DISTANCE, type HashedClip } from './leakageCheck'
import type { DHash } from './perceptualHash'
import { writeSplit } from './splitFiles'
import { stratifiedGroupKFold, type SplitResult } from './splits'
import { writeFileAtomic } from '../fs/atomicWrite'
import { sha256Bytes } from '../media/contentHash'

export interface TrainOptions {
  repoRoot: string
  dataset: string
  seed: number
  folds: number
  /** Scratch folder (catalog, frame cache, split, manifest); never inside the repository. */
  work: string
  python: string
  mode: 'full' | 'ablate'
  variants?: string
  /** Full mode: further training seeds (comma-separated), each cross-validated on the same folds; the card reports mean ± sd over seeds. */
  extraSeeds?: string
  /** Also write the dataset scripts' frame layout (split{i}/{class}/…jpg) into the work folder. */
  frames?: boolean
  name?: string
  version?: string
  log?: (line: string) => void
}

export const SPLIT_METHOD =
  'stratified group k-fold (label-stratified; grouped by Patient ID / Name, else by Source ID + file-name stem; groups of near-duplicate clips merged)'

/** The expert findings the model learns beside the class, in the order of its `findings` output. */
export const FINDINGS = MODEL_FINDINGS
export type Finding = ModelFinding
export type FindingState = 'present' | 'absent' | 'unknown'

/** One entry's findings from its normalized fields; a finding the experts did not assess is 'unknown' (masked in the loss). */
export function clipFindings(normalized: Pick<NormalizedFields, 'pathologies'>): Record<Finding, FindingState> {
  const out = {} as Record<Finding, FindingState>
  for (const f of FINDINGS) {
    const s = normalized.pathologies[f]
    out[f] = s === 'present' ? 'present' : s === 'absent' ? 'absent' : 'unknown'
  }
  return out
}

/** Findings of every entry, by entry id. */
export function findingsByEntry(db: CatalogDb): Map<number, Record<Finding, FindingState>> {
  const rows = new EntriesTable(db).normalizedFields()
  return new Map(rows.map((r) => [r.id, clipFindings(JSON.parse(r.normalized) as NormalizedFields)]))
}

/**
 * What the card calls the dataset: the title of its README (the dataset's own name), else the folder's name.
 * Never the path: the card travels with the model, the build machine's folders do not.
 */
export function datasetName(folder: string): string {
  const readme = join(folder, 'README.md')
  if (existsSync(readme)) {
    const title = /^#\s+(.+?)\s*$/m.exec(readFileSync(readme, 'utf8'))?.[1]
    if (title) return title
  }
  return basename(resolve(folder))
}

export async function runTrainingPipeline(o: TrainOptions): Promise<number> {
  const log = o.log ?? ((l: string) => console.log(l))
  const startedAt = Date.now()
  const work = resolve(o.work)
  if (work === o.repoRoot || work.startsWith(o.repoRoot + '/'))
    throw new Error(`the work folder ${work} is inside the repository; frames of the dataset's media must not go there`)
  mkdirSync(work, { recursive: true })

  const db = openCatalog(join(work, 'catalog.db'))
  let clips: CatalogClip[]
  let csvSha256: string | null
  let findings: Map<number, Record<Finding, FindingState>>
  try {
    const report = await importDataset(db, resolve(o.dataset))
    log(`imported ${report.rows} rows, ${report.linked} linked to media`)
    clips = catalogClipReader(db).all()
    findings = findingsByEntry(db)
    csvSha256 = new SourcesTable(db).first()?.csv_sha256 ?? null
  } finally {
    db.close()
  }

  const hashed = await cachedHashes(clips, join(work, 'hashes.json'), log)
  const nearDuplicates = findNearDuplicates(hashed, () => null)
  const links = nearDuplicates.map((d) => [d.a.entryId, d.b.entryId] as const)
  const split = stratifiedGroupKFold(clips, o.folds, o.seed, links)
  const foldOf = new Map(split.assignments.map((a) => [a.entryId, a.fold]))
  const leaks = findNearDuplicates(hashed, (id) => foldOf.get(id) ?? null).filter((d) => d.crossFold)
  if (leaks.length > 0) throw new Error(`near-duplicates still in different folds after merging: ${leaks.map((l) => `${l.a.filename} ~ ${l.b.filename}`).join(', ')}`)
  logSplit(split, nearDuplicates.length, log)

  const written = await writeSplit(split, join(work, 'split'), o.frames ? { frames: { clips } } : {})
  log(`wrote ${written.files.join(', ')}${o.frames ? ` and frames of ${written.clipsWritten} clips` : ''}`)

  const manifestPath = join(work, 'manifest.json')
  const byEntry = new Map(clips.map((c) => [c.entryId, c]))
  writeFileAtomic(
    manifestPath,
    JSON.stringify(
      {
        dataset: datasetName(o.dataset),
        csvSha256,
        findings: FINDINGS,
        seed: o.seed,
        folds: o.folds,
        splitMethod: SPLIT_METHOD,
        groups: new Set(split.assignments.map((a) => a.group)).size,
        groupedBySourceStem: split.groupedBySourceStem,
        nearDuplicates: nearDuplicates.map((d) => ({ a: d.a.filename, b: d.b.filename, distance: d.distance })),
        nearDuplicateMaxDistance: NEAR_DUPLICATE_MAX_DISTANCE,
        perFold: split.perFold,
        excluded: split.assignments.filter((a) => a.label === 'other').map((a) => `${a.filename} (label not modelled)`),
        clips: split.assignments.map((a) => {
          const c = byEntry.get(a.entryId)!
          return {
            entryId: a.entryId,
            filename: a.filename,
            mediaName: a.mediaName,
            path: c.absPath,
            kind: c.kind,
            label: a.label,
            fold: a.fold,
            group: a.group,
            findings: findings.get(a.entryId) ?? clipFindings({ pathologies: {} })
          }
        })
      },
      null,
      1
    )
  )

  const args = [
    join(o.repoRoot, 'training', 'train.py'),
    '--manifest', manifestPath,
    '--work', work,
    '--out', join(o.repoRoot, 'resources', 'models'),
    '--fixture-dir', join(o.repoRoot, 'tests', 'unit', 'classifier', 'fixtures'),
    '--seed', String(o.seed),
    '--mode', o.mode,
    '--name', o.name ?? 'lusnet',
    // 2.0.0: the recipe with the findings head and the temperature (issue #15); 1.0.0 had neither.
    '--version', o.version ?? '2.0.0',
    '--command', `npm run train -- --seed ${o.seed}${o.mode === 'ablate' ? ' --ablate' : ''}${o.extraSeeds ? ` --extra-seeds ${o.extraSeeds}` : ''}`,
    ...(o.variants ? ['--variants', o.variants] : []),
    ...(o.extraSeeds ? ['--extra-seeds', o.extraSeeds] : [])
  ]
  log(`${o.python} ${args.join(' ')}`)
  return new Promise((resolvePromise, reject) => {
    // Not media/processRun's startProcess: training's progress goes straight to the console of whoever runs
    // `npm run train` for an hour, so the child inherits it instead of having its output piped and kept.
    const child = spawn(o.python, args, {
      stdio: 'inherit',
      env: {
        ...process.env,
        // OpenMP threads that spin while waiting starve each other when other processes share the cores.
        OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE',
        // No __pycache__ in the repository.
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONHASHSEED: String(o.seed),
        // The card reports the whole run's time, import and hashing included.
        LUS_TRAIN_PIPELINE_STARTED: String(startedAt / 1000)
      }
    })
    child.on('error', (e) => reject(new Error(`could not start ${o.python}: ${e.message} (apt-get install python3-torch python3-torchvision python3-onnx python3-pil)`)))
    child.on('close', (code) => resolvePromise(code ?? 1))
  })
}

function logSplit(split: SplitResult, nearDuplicates: number, log: (l: string) => void): void {
  for (const f of split.perFold)
    log(`fold ${f.fold}: ${f.groups} groups, covid ${f.counts.covid}, pneumonia ${f.counts.pneumonia}, healthy ${f.counts.healthy}, other ${f.counts.other}`)
  if (split.groupedBySourceStem.length > 0) log(`${split.groupedBySourceStem.length} entries had no Patient ID and were grouped by source + file-name stem`)
  log(`${nearDuplicates} near-duplicate pairs: their groups were merged`)
}

interface HashCacheEntry {
  key: string
  hashes: [number, number][]
}

/** dHashes, cached in the work folder by path, size and mtime: decoding every clip again costs a minute. */
async function cachedHashes(clips: readonly CatalogClip[], file: string, log: (l: string) => void): Promise<HashedClip[]> {
  const cache: Record<string, HashCacheEntry> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, HashCacheEntry>) : {}
  const keyOf = (c: CatalogClip): string => {
    const st = statSync(c.absPath)
    return sha256Bytes(`${c.absPath}|${st.size}|${Math.floor(st.mtimeMs)}`)
  }
  const missing = clips.filter((c) => cache[c.absPath]?.key !== keyOf(c))
  if (missing.length > 0) {
    log(`hashing ${missing.length} clips for the leakage check`)
    const { hashed, failed } = await hashClips(missing)
    for (const f of failed) log(`  could not hash ${f.filename}: ${f.reason}`)
    for (let i = 0; i < missing.length; i++) {
      const c = missing[i]!
      cache[c.absPath] = { key: keyOf(c), hashes: hashed[i]!.hashes.map((h) => [h[0], h[1]]) }
    }
    writeFileAtomic(file, JSON.stringify(cache))
  }
  return clips.map((c) => ({ entryId: c.entryId, filename: c.filename, hashes: cache[c.absPath]!.hashes.map((h) => [h[0], h[1]] as DHash) }))
}
