/** Writing a review bundle for another machine (see bundleFormat for the layout). */
import type { BundleExportResult } from '../../../shared/ratingsContract'
import { UserError } from '../../errors'
import type { RaterStore } from '../raterStore'
import type { RatingStore } from '../ratingStore'
import type { ReviewSetStore } from '../reviewSetStore'
import { BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, MANIFEST_FILE, payloadChecksum, type BundleRating, type BundleSet, type Manifest } from './bundleFormat'
import { zipBuffers, zipTarget } from './zipWriter'
import { writeFileAtomic } from '../../fs/atomicWrite'
import { sha256Bytes } from '../../media/contentHash'

export interface BundleDeps {
  sets: ReviewSetStore
  ratings: RatingStore
  raters: RaterStore
  version: string
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8')

export async function buildBundle(
  d: BundleDeps,
  setId: string,
  raterIds?: readonly string[]
): Promise<{ bytes: Buffer; summary: Omit<BundleExportResult, 'path' | 'bytes'> }> {
  const def = d.sets.definition(setId)
  const setRaters = d.sets.raters(setId)
  for (const id of raterIds ?? [])
    if (!setRaters.some((r) => r.id === id)) throw new UserError('bad_input', `Rater ${id} is not part of review set "${def.name}".`)
  const included = new Set(raterIds ?? setRaters.map((r) => r.id))
  const items = d.sets.items(setId)
  const clipOf = new Map(items.map((i) => [i.entryId, i.clipNo]))

  const set: BundleSet = {
    ...def,
    raterIds: setRaters.map((r) => r.id),
    clips: items.map((i) => ({ position: i.position, clipNo: i.clipNo, sha256: i.mediaSha256, filename: i.filename, row: i.row }))
  }
  const raters = setRaters.map((r) => d.raters.get(r.id))
  const ratings: BundleRating[] = d.ratings
    .ofSet(setId)
    .filter((r) => included.has(r.raterId))
    .map((r) => ({
      raterId: r.raterId,
      clipNo: clipOf.get(r.entryId)!,
      values: r.values,
      confidence: r.confidence,
      comment: r.comment,
      submittedAt: r.submittedAt,
      updatedAt: r.updatedAt
    }))
    .sort((a, b) => a.clipNo - b.clipNo || a.raterId.localeCompare(b.raterId))

  const byHash = items.filter((i) => i.mediaSha256 !== null).length
  const byName = items.length - byHash
  const warnings =
    byName === 0
      ? []
      : [
          `${byName} of ${items.length} clips have no media content hash here (no media file, or it could not be read); ` +
            'the bundle names them by file name and CSV row instead, which another machine matches only if its CSV is the same.'
        ]
  const payload = [
    { name: 'set.json', bytes: json(set) },
    { name: 'raters.json', bytes: json(raters) },
    { name: 'ratings.json', bytes: json(ratings) }
  ] as const
  const created = new Date()
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    appVersion: d.version,
    created: created.toISOString(),
    set: { id: def.id, name: def.name, clips: items.length },
    raters: raters.map((r) => ({ id: r.id, name: r.name })),
    ratings: ratings.length,
    clipMatching: {
      bySha256: byHash,
      byFilenameAndRow: byName,
      note:
        byName === 0
          ? 'Every clip is matched by the SHA-256 of its media file.'
          : `${byName} clips without media are matched by file name and CSV row (less reliable than the content hash).`
    },
    files: payload.map((f) => ({ name: f.name, bytes: f.bytes.length, sha256: sha256Bytes(f.bytes) })),
    payloadSha256: payloadChecksum(payload)
  }
  const bytes = await zipBuffers([{ name: MANIFEST_FILE, bytes: json(manifest) }, ...payload], created)
  return {
    bytes,
    summary: { clips: items.length, ratings: ratings.length, clipsMatchedByHash: byHash, clipsMatchedByFilename: byName, warnings }
  }
}

export async function exportBundle(d: BundleDeps, setId: string, outPath: string, raterIds?: readonly string[]): Promise<BundleExportResult> {
  const target = zipTarget(outPath)
  const { bytes, summary } = await buildBundle(d, setId, raterIds)
  writeFileAtomic(target, bytes)
  return { path: target, bytes: bytes.length, ...summary }
}
