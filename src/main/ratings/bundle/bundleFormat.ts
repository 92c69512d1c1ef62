/**
 * The review bundle: a zip carrying one review set's definition, its raters
 * and (some of) its ratings between offline machines. No media: clips are
 * named by their media content hash, so each machine finds them in its own
 * copy of the dataset wherever that lives.
 *
 *   manifest.json  format, schemaVersion, appVersion, created, a readable
 *                  summary, and the SHA-256 of every payload file
 *   set.json       the set definition and its clips
 *   raters.json    the set's rater profiles
 *   ratings.json   the ratings
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import {
  catalogQuerySchema,
  ratingFieldSchema,
  RATER_ROLES,
  ratingValuesSchema,
  REVIEW_ORDERS,
  uuidSchema
} from '../../../shared/ratingsContract'
import { manifestHead, sha256Hex } from './manifestHead'

export const BUNDLE_FORMAT = 'lus-review-bundle'
export const BUNDLE_SCHEMA_VERSION = 1
export const PAYLOAD_FILES = ['set.json', 'raters.json', 'ratings.json'] as const
export const MANIFEST_FILE = 'manifest.json'

export const bundleClipSchema = z
  .object({
    position: z.number().int().positive(),
    clipNo: z.number().int().positive(),
    /** The media file's SHA-256; null when the clip had no media (then file name + row identify it). */
    sha256: sha256Hex.nullable(),
    filename: z.string(),
    row: z.number().int().positive().nullable()
  })
  .strict()
export type BundleClip = z.infer<typeof bundleClipSchema>

export const bundleSetSchema = z
  .object({
    id: uuidSchema,
    name: z.string().min(1).max(200),
    query: catalogQuerySchema,
    fields: z.array(ratingFieldSchema).min(1),
    blinded: z.boolean(),
    revealAfterSubmit: z.boolean(),
    order: z.enum(REVIEW_ORDERS),
    seed: z.number().int().nonnegative(),
    createdAt: z.string(),
    raterIds: z.array(uuidSchema).min(1),
    clips: z.array(bundleClipSchema).min(1)
  })
  .strict()
export type BundleSet = z.infer<typeof bundleSetSchema>

export const bundleRatersSchema = z.array(
  z.object({ id: uuidSchema, name: z.string().trim().min(1).max(80), role: z.enum(RATER_ROLES), createdAt: z.string() }).strict()
)

export const bundleRatingsSchema = z.array(
  z
    .object({
      raterId: uuidSchema,
      clipNo: z.number().int().positive(),
      values: ratingValuesSchema,
      confidence: z.number().int().min(1).max(5),
      comment: z.string().max(10_000),
      submittedAt: z.string(),
      updatedAt: z.string()
    })
    .strict()
)
export type BundleRating = z.infer<typeof bundleRatingsSchema>[number]

export const manifestSchema = z
  .object({
    ...manifestHead(BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION),
    set: z.object({ id: uuidSchema, name: z.string(), clips: z.number().int() }).strict(),
    raters: z.array(z.object({ id: uuidSchema, name: z.string() }).strict()),
    ratings: z.number().int().nonnegative(),
    clipMatching: z.object({ bySha256: z.number().int(), byFilenameAndRow: z.number().int(), note: z.string() }).strict(),
    files: z.array(z.object({ name: z.enum(PAYLOAD_FILES), bytes: z.number().int().nonnegative(), sha256: sha256Hex }).strict()),
    /** SHA-256 over every payload file, in `files` order: name, NUL, byte count, NUL, bytes. */
    payloadSha256: sha256Hex
  })
  .strict()
export type Manifest = z.infer<typeof manifestSchema>

export function payloadChecksum(files: readonly { name: string; bytes: Buffer }[]): string {
  const h = createHash('sha256')
  for (const f of files) h.update(`${f.name}\u0000${f.bytes.length}\u0000`).update(f.bytes)
  return h.digest('hex')
}
