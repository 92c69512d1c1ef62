/**
 * The coordinator's side of a reader study: importing one rater's ratings
 * bundle (readerFormats.ts) into the catalog that made the reader bundle.
 * The bundle names clips only by their number in the set; this catalog's
 * review_set_items turns them back into entries, which is why it can only be
 * imported where the set lives. Checked in full before anything is written
 * (files, checksum, set, rater, clip numbers, values against the set's
 * fields, key frames); then merged like any bundle (ratingMerge.ts: equal
 * ratings unchanged, differing ones a conflict to resolve) in one
 * transaction, together with the rater's key frames of the clips whose
 * incoming rating stands. Importing the same bundle twice changes nothing.
 */
import type { BundleImportResult } from '../../../shared/ratingsContract'
import { UserError } from '../../errors'
import type { ImportDeps, ImportOptions } from '../bundle/bundleImport'
import { hasUnresolved, mergeRatings, type IncomingRating } from '../bundle/ratingMerge'
import { completeValues } from '../ratingFields'
import { parseRatingsBundle } from './ratingsBundle'
import { RATINGS_PAYLOAD_FILE } from './readerFormats'

export async function importReaderRatings(
  d: ImportDeps,
  path: string,
  files: Map<string, Buffer>,
  options: ImportOptions = {}
): Promise<BundleImportResult> {
  const { manifest, ratings } = parseRatingsBundle(path, files)
  const fail = (why: string): UserError => new UserError('bad_input', `Cannot import ${path}: ${why}.`)

  const def = d.sets.find(manifest.setId)
  if (!def)
    throw new UserError(
      'not_found',
      `Cannot import ${path}: it holds ${manifest.rater.name}'s ratings of review set "${manifest.setName}" (id ${manifest.setId}), which this catalog does not have. ` +
        'A ratings bundle can only be imported on the coordinator\'s machine that made the reader bundle, into the catalog that holds the set.'
    )
  const rater = d.sets.raters(def.id).find((r) => r.id === manifest.rater.id)
  if (!rater) throw fail(`its rater "${manifest.rater.name}" is not a rater of review set "${def.name}" here`)
  const items = d.sets.items(def.id)
  if (manifest.total !== items.length)
    throw fail(`it was made for a study of ${manifest.total} clips, but review set "${def.name}" has ${items.length} here`)

  const entryOf = new Map(items.map((i) => [i.clipNo, i.entryId]))
  const seen = new Set<number>()
  const incoming: IncomingRating[] = ratings.map((r) => {
    const entryId = entryOf.get(r.clipNo)
    if (entryId === undefined) throw fail(`${RATINGS_PAYLOAD_FILE} rates clip ${r.clipNo}, which review set "${def.name}" does not have`)
    if (seen.has(r.clipNo)) throw fail(`${RATINGS_PAYLOAD_FILE} rates clip ${r.clipNo} twice`)
    seen.add(r.clipNo)
    const frames = r.keyFrames.map((k) => k.frame)
    if (new Set(frames).size !== frames.length) throw fail(`${RATINGS_PAYLOAD_FILE} marks a key frame of clip ${r.clipNo} twice`)
    let values
    try {
      values = completeValues(def.fields, r.values, `Clip ${r.clipNo}`)
    } catch (e) {
      throw fail(`${RATINGS_PAYLOAD_FILE}: ${(e as Error).message.replace(/\.$/, '')}`)
    }
    return {
      raterId: rater.id,
      entryId,
      clipNo: r.clipNo,
      values,
      confidence: r.confidence,
      comment: r.comment,
      submittedAt: r.submittedAt,
      updatedAt: r.updatedAt
    }
  })

  const merge = mergeRatings(path, incoming, (r) => d.ratings.find(def.id, r.raterId, r.entryId), () => rater.name, options.resolutions ?? {})
  const warnings: string[] = []
  if (manifest.rater.name !== rater.name) warnings.push(`Rater "${manifest.rater.name}" is called "${rater.name}" here; the local name is kept.`)
  if (manifest.finalizedAt === null)
    warnings.push(`${rater.name} had not declared these ratings final when exporting them: a later bundle from them may still change them.`)
  const result: BundleImportResult = {
    applied: false,
    setId: def.id,
    setName: def.name,
    setCreated: false,
    ratersAdded: [],
    ratingsAdded: merge.counts.added,
    ratingsUnchanged: merge.counts.unchanged,
    ratingsReplaced: merge.counts.replaced,
    ratingsKept: merge.counts.kept,
    conflicts: merge.conflicts,
    // Reader ratings name clips by number in a set that lives here: no content or file-name matching happens.
    clipsMatchedByHash: 0,
    clipsMatchedByFilename: 0,
    warnings
  }
  if (options.dryRun || hasUnresolved(merge)) return result

  d.db.transaction(() => {
    for (const r of merge.toPut) d.ratings.put(def.id, r)
    // Key frames go with the rating they were marked for: where "mine" is kept, so are my key frames.
    ratings.forEach((r, i) => {
      if (merge.outcomes[i] !== 'kept') d.keyFrames.replace(def.id, rater.id, incoming[i]!.entryId, r.keyFrames)
    })
  })()
  return { ...result, applied: true }
}
