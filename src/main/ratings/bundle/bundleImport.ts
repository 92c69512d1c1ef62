/**
 * Importing a review bundle from another machine. Everything is read and
 * checked first (zip safety, format and schema version, checksums, payload
 * schemas, clips found by content hash, rater names, conflicting ratings);
 * only then is the catalog written, in one transaction. Re-importing a bundle
 * changes nothing. A rater who rated the same clip differently on two
 * machines is a conflict: it is listed, and nothing is written until each one
 * is resolved (keep mine / take theirs).
 *
 * A reader's ratings bundle (readerBundle/readerFormats.ts) comes in through
 * the same operation and is recognised by its manifest's format; it is
 * checked and merged by readerBundle/ratingsImport.ts with the same
 * conflict rules (ratingMerge.ts).
 */
import { z } from 'zod'
import type { BundleImportResult, Rater } from '../../../shared/ratingsContract'
import type { CatalogDb } from '../../catalog/database'
import { UserError } from '../../errors'
import { RATINGS_FORMAT } from '../readerBundle/readerFormats'
import { importReaderRatings } from '../readerBundle/ratingsImport'
import type { RaterKeyFrameStore } from '../raterKeyFrameStore'
import { completeValues } from '../ratingFields'
import type { StoredRating } from '../ratingStore'
import type { SetDefinition, SetItem } from '../reviewSetStore'
import type { BundleDeps } from './bundleExport'
import { BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, bundleRatersSchema, bundleRatingsSchema, bundleSetSchema, MANIFEST_FILE, manifestSchema, PAYLOAD_FILES, payloadChecksum, type BundleSet } from './bundleFormat'
import { manifestHeadSchema } from './manifestHead'
import { ClipMatcher } from './clipMatcher'
import { parseJson } from './parseJson'
import { hasUnresolved, mergeRatings, type Resolutions } from './ratingMerge'
import { BUNDLE_ZIP_LIMITS, readZip, type ZipLimits } from './zipReader'
import { sha256Bytes } from '../../media/contentHash'

export interface ImportDeps extends BundleDeps {
  db: CatalogDb
  /** Reader ratings bundles carry the rater's key frames. */
  keyFrames: RaterKeyFrameStore
}

export interface ImportOptions {
  resolutions?: Resolutions
  dryRun?: boolean
  limits?: ZipLimits
}

interface Bundle {
  set: BundleSet
  raters: Rater[]
  ratings: z.infer<typeof bundleRatingsSchema>
}

interface Plan {
  ratersToAdd: Rater[]
  setToCreate: { def: SetDefinition; items: SetItem[] } | null
  toPut: StoredRating[]
  unresolved: boolean
  result: BundleImportResult
}

export async function importBundle(d: ImportDeps, path: string, options: ImportOptions = {}): Promise<BundleImportResult> {
  const files = await readZip(path, options.limits ?? BUNDLE_ZIP_LIMITS)
  if (manifestFormat(files) === RATINGS_FORMAT) return importReaderRatings(d, path, files, options)
  const bundle = parseBundle(path, files)
  const plan = planImport(d, path, bundle, options.resolutions ?? {})
  if (options.dryRun || plan.unresolved) return plan.result
  d.db.transaction(() => {
    for (const r of plan.ratersToAdd) d.raters.insert(r)
    if (plan.setToCreate) d.sets.insert(plan.setToCreate.def, bundle.set.raterIds, plan.setToCreate.items)
    for (const r of plan.toPut) d.ratings.put(bundle.set.id, r)
  })()
  return { ...plan.result, applied: true }
}

/** The manifest's `format`, or null when there is no manifest to tell (parseBundle then says what is wrong). */
function manifestFormat(files: Map<string, Buffer>): string | null {
  const bytes = files.get(MANIFEST_FILE)
  if (!bytes) return null
  try {
    const head = manifestHeadSchema.safeParse(JSON.parse(bytes.toString('utf8')))
    return head.success ? head.data.format : null
  } catch {
    return null
  }
}

/** Checks the bundle as a whole, before looking at the catalog. */
export function parseBundle(path: string, files: Map<string, Buffer>): Bundle {
  const fail = (why: string): UserError => new UserError('bad_input', `Cannot import ${path}: ${why}.`)
  const expected = [MANIFEST_FILE, ...PAYLOAD_FILES] as string[]
  for (const name of files.keys()) if (!expected.includes(name)) throw fail(`unexpected file "${name}" in the bundle`)
  for (const name of expected) if (!files.has(name)) throw fail(`${name} is missing; this is not a complete review bundle`)

  const head = parseJson(path, MANIFEST_FILE, files.get(MANIFEST_FILE)!, manifestHeadSchema)
  if (head.format !== BUNDLE_FORMAT) throw fail(`it is not a LUS Review bundle (format "${head.format}")`)
  if (head.schemaVersion !== BUNDLE_SCHEMA_VERSION)
    throw new UserError(
      'unsupported',
      `Cannot import ${path}: it uses bundle schema version ${head.schemaVersion}, and this version of LUS Review reads version ${BUNDLE_SCHEMA_VERSION}` +
        (head.schemaVersion > BUNDLE_SCHEMA_VERSION ? '; update the app to import it.' : '.')
    )
  const manifest = parseJson(path, MANIFEST_FILE, files.get(MANIFEST_FILE)!, manifestSchema)

  const listed = manifest.files.map((f) => f.name)
  if (listed.length !== PAYLOAD_FILES.length || PAYLOAD_FILES.some((n) => !listed.includes(n)))
    throw fail('manifest.json does not list each payload file exactly once')
  for (const f of manifest.files) {
    const bytes = files.get(f.name)!
    if (bytes.length !== f.bytes || sha256Bytes(bytes) !== f.sha256)
      throw fail(`the checksum of ${f.name} does not match the manifest: the bundle is damaged or was changed after export`)
  }
  if (payloadChecksum(manifest.files.map((f) => ({ name: f.name, bytes: files.get(f.name)! }))) !== manifest.payloadSha256)
    throw fail('the payload checksum does not match the manifest: the bundle is damaged or was changed after export')

  const set = parseJson(path, 'set.json', files.get('set.json')!, bundleSetSchema)
  const raters = parseJson(path, 'raters.json', files.get('raters.json')!, bundleRatersSchema)
  const ratings = parseJson(path, 'ratings.json', files.get('ratings.json')!, bundleRatingsSchema)

  if (set.id !== manifest.set.id) throw fail('set.json and manifest.json name different review sets')
  const unique = <T>(xs: readonly T[]): boolean => new Set(xs).size === xs.length
  if (!unique(set.clips.map((c) => c.clipNo)) || !unique(set.clips.map((c) => c.position))) throw fail('set.json lists a clip twice')
  if (!unique(set.raterIds) || !unique(raters.map((r) => r.id))) throw fail('a rater is listed twice')
  if (!unique(raters.map((r) => r.name.toLowerCase()))) throw fail('two raters in the bundle have the same name')
  for (const id of set.raterIds) if (!raters.some((r) => r.id === id)) throw fail(`raters.json has no profile for rater ${id}`)
  for (const r of raters) if (!set.raterIds.includes(r.id)) throw fail(`raters.json lists "${r.name}", who is not a rater of the set`)
  const clipNos = new Set(set.clips.map((c) => c.clipNo))
  const seen = new Set<string>()
  for (const r of ratings) {
    if (!set.raterIds.includes(r.raterId)) throw fail(`ratings.json has a rating by ${r.raterId}, who is not a rater of the set`)
    if (!clipNos.has(r.clipNo)) throw fail(`ratings.json rates clip ${r.clipNo}, which the set does not have`)
    const key = `${r.raterId}:${r.clipNo}`
    if (seen.has(key)) throw fail(`ratings.json has two ratings of clip ${r.clipNo} by one rater`)
    seen.add(key)
    try {
      r.values = completeValues(set.fields, r.values, `Clip ${r.clipNo}`)
    } catch (e) {
      throw fail(`ratings.json: ${(e as Error).message.replace(/\.$/, '')}`)
    }
  }
  return { set, raters, ratings }
}

function planImport(d: ImportDeps, path: string, bundle: Bundle, resolutions: Resolutions): Plan {
  const { set } = bundle
  const warnings: string[] = []

  const ratersToAdd: Rater[] = []
  for (const r of bundle.raters) {
    const local = d.raters.find(r.id)
    if (local) {
      if (local.name !== r.name) warnings.push(`Rater "${r.name}" is called "${local.name}" here; the local name is kept.`)
      continue
    }
    const namesake = d.raters.byName(r.name)
    if (namesake)
      throw new UserError(
        'conflict',
        `Cannot import ${path}: its rater "${r.name}" is a different person from the rater "${namesake.name}" here (different ids). ` +
          'Rename one of them so that ratings cannot be mixed up, then import again.'
      )
    ratersToAdd.push(r)
  }

  const local = d.sets.find(set.id)
  const entryOf = new Map<number, number>()
  let setToCreate: Plan['setToCreate'] = null
  const byHash = set.clips.filter((c) => c.sha256 !== null).length
  if (local) {
    checkSameSet(path, local, d, set)
    for (const item of d.sets.items(set.id)) entryOf.set(item.clipNo, item.entryId)
  } else {
    const matcher = new ClipMatcher(d.db)
    const unmatched: string[] = []
    for (const c of set.clips) {
      const m = matcher.match(c)
      if (m.entryId === null) unmatched.push(`clip ${c.clipNo} (${c.filename}): ${m.why}`)
      else entryOf.set(c.clipNo, m.entryId)
    }
    if (unmatched.length > 0)
      throw new UserError(
        'bad_input',
        `Cannot import ${path}: ${unmatched.length} of its ${set.clips.length} clips match nothing in this catalog. ` +
          `Import the same dataset first. ${unmatched.slice(0, 5).join('; ')}${unmatched.length > 5 ? `; and ${unmatched.length - 5} more` : ''}.`
      )
    if (new Set(entryOf.values()).size !== entryOf.size)
      throw new UserError('bad_input', `Cannot import ${path}: two of its clips match the same catalog entry here.`)
    const { raterIds: _r, clips: _c, ...def } = set
    setToCreate = {
      def,
      items: set.clips.map((c) => ({ entryId: entryOf.get(c.clipNo)!, position: c.position, clipNo: c.clipNo, mediaSha256: c.sha256, filename: c.filename, row: c.row }))
    }
  }
  if (byHash < set.clips.length)
    warnings.push(`${set.clips.length - byHash} clips had no media on the exporting machine and were matched by file name and CSV row.`)

  const names = new Map(bundle.raters.map((r) => [r.id, d.raters.find(r.id)?.name ?? r.name]))
  const merge = mergeRatings(
    path,
    bundle.ratings.map((r) => ({ ...r, entryId: entryOf.get(r.clipNo)! })),
    (r) => (local ? d.ratings.find(set.id, r.raterId, r.entryId) : null),
    (id) => names.get(id)!,
    resolutions
  )

  return {
    ratersToAdd,
    setToCreate,
    toPut: merge.toPut,
    unresolved: hasUnresolved(merge),
    result: {
      applied: false,
      setId: set.id,
      setName: local?.name ?? set.name,
      setCreated: local === null,
      ratersAdded: ratersToAdd.map((r) => r.name),
      ratingsAdded: merge.counts.added,
      ratingsUnchanged: merge.counts.unchanged,
      ratingsReplaced: merge.counts.replaced,
      ratingsKept: merge.counts.kept,
      conflicts: merge.conflicts,
      clipsMatchedByHash: byHash,
      clipsMatchedByFilename: set.clips.length - byHash,
      warnings
    }
  }
}

/** A set that exists here already must be the same set: same fields, raters and clips. */
function checkSameSet(path: string, local: SetDefinition, d: ImportDeps, set: BundleSet): void {
  const differs = (what: string): UserError =>
    new UserError('conflict', `Cannot import ${path}: its review set "${set.name}" has the same id as "${local.name}" here, but ${what}.`)
  if (JSON.stringify(local.fields) !== JSON.stringify(set.fields)) throw differs('rates different fields')
  if (JSON.stringify(d.sets.raters(local.id).map((r) => r.id)) !== JSON.stringify(set.raterIds)) throw differs('has different raters')
  const items = d.sets.items(local.id)
  if (items.length !== set.clips.length) throw differs(`has ${set.clips.length} clips instead of ${items.length}`)
  for (const c of set.clips) {
    const item = items.find((i) => i.clipNo === c.clipNo)
    const same =
      item !== undefined &&
      item.position === c.position &&
      (c.sha256 !== null && item.mediaSha256 !== null ? c.sha256 === item.mediaSha256 : c.filename === item.filename && c.row === item.row)
    if (!same) throw differs(`its clip ${c.clipNo} is a different clip`)
  }
}
