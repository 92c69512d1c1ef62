/**
 * The two files that carry a blinded reader study between machines.
 *
 * A **reader bundle** (coordinator → rater) is a zip holding everything a
 * rater needs and nothing that unblinds:
 *
 *   study.json             the manifest below
 *   clips/clip-007.mp4     each clip under an opaque name (its clip number in
 *                          the set), container metadata stripped; stills as
 *                          clips/clip-007.png
 *
 * A **ratings bundle** (rater → coordinator) is a zip holding one rater's
 * ratings of one study, matched back to catalog entries on the
 * coordinator's machine by set id and clip number (review_set_items keeps
 * that mapping; it never leaves the coordinator's machine):
 *
 *   manifest.json          the ratings manifest below
 *   ratings.json           the ratings
 *
 * Neither carries a label, file name, source, URL, DOI, patient field, CSV
 * row or reference value.
 */
import { z } from 'zod'
import { ratingFieldSchema, ratingValuesSchema, uuidSchema } from '../../../shared/ratingsContract'
import { manifestHead, sha256Hex } from '../bundle/manifestHead'

export const STUDY_FORMAT = 'lus-review-reader-study'
export const STUDY_SCHEMA_VERSION = 1
export const STUDY_MANIFEST_FILE = 'study.json'

export const RATINGS_FORMAT = 'lus-review-reader-ratings'
export const RATINGS_SCHEMA_VERSION = 1
export const RATINGS_MANIFEST_FILE = 'manifest.json'
export const RATINGS_PAYLOAD_FILE = 'ratings.json'

const clipNo = z.number().int().positive()

/** `clips/clip-007.mp4`: the only names a rater's machine ever sees. */
export const CLIP_FILE_PATTERN = /^clips\/clip-\d{3,6}\.(mp4|png)$/
export function clipFileName(no: number, kind: 'video' | 'image'): string {
  return `clips/clip-${String(no).padStart(3, '0')}.${kind === 'video' ? 'mp4' : 'png'}`
}

export const studyClipSchema = z
  .object({
    clipNo,
    file: z.string().regex(CLIP_FILE_PATTERN, 'not a clip file name'),
    kind: z.enum(['video', 'image']),
    bytes: z.number().int().positive(),
    sha256: sha256Hex,
    /** Presentation time (s) of every frame of the file, for frame-accurate stepping without probing on the reader's machine. */
    frameTimes: z.array(z.number()),
    width: z.number().int().positive().nullable(),
    height: z.number().int().positive().nullable(),
    durationS: z.number().nonnegative().nullable()
  })
  .strict()
export type StudyClip = z.infer<typeof studyClipSchema>

export const studyManifestSchema = z
  .object({
    ...manifestHead(STUDY_FORMAT, STUDY_SCHEMA_VERSION),
    /** New for every export; the reader's store is keyed by it, so reopening the same bundle resumes. */
    studyId: uuidSchema,
    setId: uuidSchema,
    name: z.string().min(1).max(200),
    fields: z.array(ratingFieldSchema).min(1),
    /** The allowed answers of each categorical field, as stored (e.g. label: covid, bacterial_pneumonia, …). */
    vocabularies: z.record(z.string(), z.array(z.string().nullable())),
    /** Who the bundle is for, each with their own queue order (clip numbers). */
    raters: z
      .array(z.object({ id: uuidSchema, name: z.string().min(1).max(80), queue: z.array(clipNo).min(1) }).strict())
      .min(1),
    clips: z.array(studyClipSchema).min(1)
  })
  .strict()
export type StudyManifest = z.infer<typeof studyManifestSchema>

export const readerRatingSchema = z
  .object({
    clipNo,
    values: ratingValuesSchema,
    confidence: z.number().int().min(1).max(5),
    comment: z.string().max(10_000),
    keyFrames: z.array(z.object({ frame: z.number().int().nonnegative(), note: z.string().max(500) }).strict()).max(10_000),
    submittedAt: z.string(),
    updatedAt: z.string()
  })
  .strict()
export type ReaderRating = z.infer<typeof readerRatingSchema>
export const readerRatingsSchema = z.array(readerRatingSchema)

export const ratingsManifestSchema = z
  .object({
    ...manifestHead(RATINGS_FORMAT, RATINGS_SCHEMA_VERSION),
    studyId: uuidSchema,
    setId: uuidSchema,
    setName: z.string(),
    rater: z.object({ id: uuidSchema, name: z.string() }).strict(),
    /** Set when the rater declared the ratings final. */
    finalizedAt: z.string().nullable(),
    ratings: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    /** SHA-256 of ratings.json. */
    ratingsSha256: sha256Hex
  })
  .strict()
export type RatingsManifest = z.infer<typeof ratingsManifestSchema>
