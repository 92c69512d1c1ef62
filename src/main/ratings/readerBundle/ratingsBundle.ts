/**
 * The ratings bundle's two files (format in readerFormats.ts), both ways:
 * made on the rater's machine (reader/ratingsExport.ts zips them) and read
 * back on the coordinator's (ratingsImport.ts merges what they hold).
 */
import { UserError } from '../../errors'
import { parseJson } from '../bundle/parseJson'
import {
  RATINGS_FORMAT,
  RATINGS_MANIFEST_FILE,
  RATINGS_PAYLOAD_FILE,
  RATINGS_SCHEMA_VERSION,
  ratingsManifestSchema,
  readerRatingsSchema,
  type RatingsManifest,
  type ReaderRating
} from './readerFormats'
import { manifestHeadSchema } from '../bundle/manifestHead'
import { sha256Bytes } from '../../media/contentHash'

interface RatingsBundle {
  manifest: RatingsManifest
  ratings: ReaderRating[]
}

/** What the manifest says beyond its format, version and what the payload itself tells (count, checksum). */
export type RatingsManifestFields = Omit<RatingsManifest, 'format' | 'schemaVersion' | 'ratings' | 'ratingsSha256'>

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8')

/** The manifest and both files, checked before they leave the machine: the coordinator's import refuses what does not parse. */
export function ratingsBundleFiles(fields: RatingsManifestFields, ratings: ReaderRating[]): { manifest: RatingsManifest; files: { name: string; bytes: Buffer }[] } {
  readerRatingsSchema.parse(ratings)
  const payload = json(ratings)
  const manifest: RatingsManifest = ratingsManifestSchema.parse({
    format: RATINGS_FORMAT,
    schemaVersion: RATINGS_SCHEMA_VERSION,
    ...fields,
    ratings: ratings.length,
    ratingsSha256: sha256Bytes(payload)
  } satisfies RatingsManifest)
  return {
    manifest,
    files: [
      { name: RATINGS_MANIFEST_FILE, bytes: json(manifest) },
      { name: RATINGS_PAYLOAD_FILE, bytes: payload }
    ]
  }
}

/** The bundle on its own: files, version, schemas and checksum. */
export function parseRatingsBundle(path: string, files: Map<string, Buffer>): RatingsBundle {
  const fail = (why: string): UserError => new UserError('bad_input', `Cannot import ${path}: ${why}.`)
  const expected: string[] = [RATINGS_MANIFEST_FILE, RATINGS_PAYLOAD_FILE]
  for (const name of files.keys()) if (!expected.includes(name)) throw fail(`unexpected file "${name}" in the ratings bundle`)
  if (!files.has(RATINGS_PAYLOAD_FILE)) throw fail(`${RATINGS_PAYLOAD_FILE} is missing; this is not a complete ratings bundle`)
  const manifestBytes = files.get(RATINGS_MANIFEST_FILE)!
  const head = parseJson(path, RATINGS_MANIFEST_FILE, manifestBytes, manifestHeadSchema)
  if (head.schemaVersion !== RATINGS_SCHEMA_VERSION)
    throw new UserError(
      'unsupported',
      `Cannot import ${path}: it is a ratings bundle of schema version ${head.schemaVersion}, and this version of LUS Review reads version ${RATINGS_SCHEMA_VERSION}` +
        (head.schemaVersion > RATINGS_SCHEMA_VERSION ? '; update the app to import it.' : '.')
    )
  const manifest = parseJson(path, RATINGS_MANIFEST_FILE, manifestBytes, ratingsManifestSchema)
  const payload = files.get(RATINGS_PAYLOAD_FILE)!
  if (sha256Bytes(payload) !== manifest.ratingsSha256)
    throw fail(`the checksum of ${RATINGS_PAYLOAD_FILE} does not match the manifest: the bundle is damaged or was changed after export`)
  const ratings = parseJson(path, RATINGS_PAYLOAD_FILE, payload, readerRatingsSchema)
  if (ratings.length !== manifest.ratings)
    throw fail(`manifest.json counts ${manifest.ratings} ratings but ${RATINGS_PAYLOAD_FILE} holds ${ratings.length}`)
  return { manifest, ratings }
}
