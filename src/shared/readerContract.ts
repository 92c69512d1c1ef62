/**
 * The reader workstation's API: what a physician's machine answers while it
 * holds a reader study (a blinded bundle of clips opened with
 * `lus-review serve --study FILE.zip` or File → Open reader study), and the
 * coordinator's operations that make such bundles.
 *
 * In reader mode main answers only READER_MODE_OPERATIONS (operations.ts); every other
 * operation is refused. Their results are strict objects and are checked
 * against these schemas on every call: a key that is not in the allow-list
 * below fails the call instead of reaching the rater.
 */
import { z } from 'zod'
import type { ReaderOperationName } from './operations'
import { playbackSchema } from './playbackContract'
import { ratingFieldSchema, ratingSchema, submittedRating, uuidSchema } from './ratingsContract'

const count = z.number().int().nonnegative()
const clipNo = z.number().int().positive()
const absolutePath = z.string().min(1).max(4096)

/** A key frame a rater marked: `frame` is the 0-based index of the decoded frame; people see frame + 1. */
export const raterKeyFrameSchema = z.object({ frame: z.number().int().nonnegative(), note: z.string() }).strict()
export type RaterKeyFrame = z.infer<typeof raterKeyFrameSchema>

export const appModeSchema = z.object({ mode: z.enum(['catalog', 'reader']) }).strict()
export type AppMode = z.infer<typeof appModeSchema>['mode']

export const readerStudySchema = z
  .object({
    studyId: uuidSchema,
    /** The review set's name, as the coordinator wrote it. */
    name: z.string(),
    fields: z.array(ratingFieldSchema),
    /** The raters the bundle is for; the reader picks who they are ("I am …"). */
    raters: z.array(z.object({ id: uuidSchema, name: z.string() }).strict()),
    total: count,
    /** When the coordinator made the bundle. */
    createdAt: z.string()
  })
  .strict()
export type ReaderStudy = z.infer<typeof readerStudySchema>

export const readerClipSchema = z
  .object({
    clipNo,
    /** "Clip 7 of 45": the only name a reader sees. */
    handle: z.string(),
    kind: z.enum(['video', 'image']),
    fields: z.array(ratingFieldSchema),
    myRating: ratingSchema.nullable(),
    keyFrames: z.array(raterKeyFrameSchema),
    /** False once this rater exported their ratings as final. */
    canEdit: z.boolean()
  })
  .strict()
export type ReaderClip = z.infer<typeof readerClipSchema>

export const readerViewSchema = z
  .object({
    rated: count,
    total: count,
    /** Set when the rater exported their ratings as final; nothing can be changed after. */
    finalizedAt: z.string().nullable(),
    /** This rater's queue: clip numbers in the order the study gives them, each with whether it is rated. */
    queue: z.array(z.object({ clipNo, rated: z.boolean() }).strict()),
    /** The clip asked for, or the next unrated one; null when every clip is rated. */
    clip: readerClipSchema.nullable()
  })
  .strict()
export type ReaderView = z.infer<typeof readerViewSchema>

/** Like media/playback's answer, without a catalog media id: the clip is served at the study's clip URL. */
export const readerPlaybackSchema = z
  .object({ clipNo, ...playbackSchema.omit({ mediaId: true }).shape, state: z.literal('ready'), source: z.enum(['original', 'image']), progress: z.null(), error: z.null() })
  .strict()
export type ReaderPlayback = z.infer<typeof readerPlaybackSchema>

export const readerExportResultSchema = z
  .object({
    path: z.string(),
    bytes: count,
    ratings: count,
    total: count,
    finalizedAt: z.string().nullable()
  })
  .strict()
export type ReaderExportResult = z.infer<typeof readerExportResultSchema>

export const readerBundleExportResultSchema = z.object({
  path: z.string(),
  bytes: count,
  studyId: uuidSchema,
  clips: count,
  raters: z.array(z.string()),
  /** Clips that needed a playable copy made (formats a browser cannot play). */
  transcoded: count,
  warnings: z.array(z.string())
})
export type ReaderBundleExportResult = z.infer<typeof readerBundleExportResultSchema>

const raterArgs = { raterId: uuidSchema }
const empty = z.object({}).strict()
const keyFrameNote = z.string().max(500)
const frame = z.number().int().nonnegative().max(10_000_000)
const catalogRaterClip = { setId: uuidSchema, raterId: uuidSchema, clipNo }

export const readerSubmitArgsSchema = z
  .object({
    ...raterArgs,
    clipNo,
    ...submittedRating
  })
  .strict()

export const readerContract = {
  /** Which app this is: the catalog, or a reader workstation holding one study. Answered in both modes. */
  'app/mode': { args: empty, result: appModeSchema },
  'reader/study': { args: empty, result: readerStudySchema },
  /** A clip by number, or (without clipNo) the next unrated one in this rater's queue. */
  'reader/open': { args: z.object({ ...raterArgs, clipNo: clipNo.optional() }).strict(), result: readerViewSchema },
  'reader/submit': { args: readerSubmitArgsSchema, result: readerViewSchema },
  'reader/playback': { args: z.object({ clipNo }).strict(), result: readerPlaybackSchema },
  'reader/keyFrames/set': {
    args: z.object({ ...raterArgs, clipNo, frame, note: keyFrameNote }).strict(),
    result: z.object({ keyFrames: z.array(raterKeyFrameSchema) }).strict()
  },
  'reader/keyFrames/remove': {
    args: z.object({ ...raterArgs, clipNo, frame }).strict(),
    result: z.object({ keyFrames: z.array(raterKeyFrameSchema) }).strict()
  },
  /**
   * Writes this rater's ratings bundle for the coordinator. `final` locks the
   * ratings (no revision after); without outPath it is written beside the study file.
   */
  'reader/exportRatings': {
    args: z.object({ ...raterArgs, outPath: absolutePath.optional(), final: z.boolean().default(true) }).strict(),
    result: readerExportResultSchema
  },
  /** The coordinator's side: a blinded reader bundle (clips and form, no labels) for a set's raters. */
  'reviewSets/exportReaderBundle': {
    args: z
      .object({
        setId: uuidSchema,
        /** Absolute path of the .zip to write. */
        outPath: absolutePath,
        /** The raters it is for; all of the set's raters when omitted. */
        raterIds: z.array(uuidSchema).min(1).max(50).optional()
      })
      .strict(),
    result: readerBundleExportResultSchema
  },
  /** Key frames a rater marks while rating in the catalog app (kept with the rating, not the catalog). */
  'rater/keyFrames/set': {
    args: z.object({ ...catalogRaterClip, frame, note: keyFrameNote }).strict(),
    result: z.object({ keyFrames: z.array(raterKeyFrameSchema) }).strict()
  },
  'rater/keyFrames/remove': {
    args: z.object({ ...catalogRaterClip, frame }).strict(),
    result: z.object({ keyFrames: z.array(raterKeyFrameSchema) }).strict()
  }
} as const satisfies Record<ReaderOperationName, { args: z.ZodType; result: z.ZodType }>

export type ReaderContract = typeof readerContract
