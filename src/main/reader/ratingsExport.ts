/**
 * The ratings bundle a rater sends back to the coordinator (format in
 * readerFormats.ts): manifest.json + ratings.json, every rating of this
 * rater with their key frames. Where it goes: beside the study file by
 * default, named after the study and the rater so that several raters'
 * files can sit in one folder; or an absolute .zip path in a folder that
 * exists, never the study file itself. Written atomically.
 */
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ratingsBundleFiles } from '../ratings/readerBundle/ratingsBundle'
import type { RatingsManifest, ReaderRating, StudyManifest } from '../ratings/readerBundle/readerFormats'
import { zipBuffers } from '../ratings/bundle/zipWriter'
import { UserError } from '../errors'
import { exportTarget } from '../fs/exportTarget'
import type { StoredKeyFrame, StoredReaderRating } from './studyStore'

/** A name (study, rater) as part of a file name: plain letters, digits, `.`, `_`, `-`; accents dropped, never empty. */
export function fileNamePart(text: string, fallback: string): string {
  const plain = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
  const safe = plain
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    // No leading dot (a hidden file) and no trailing dot or dash (Windows trims them).
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60)
    .replace(/[-.]+$/, '')
  return safe === '' ? fallback : safe
}

export function defaultRatingsFileName(studyName: string, raterName: string): string {
  return `${fileNamePart(studyName, 'study')}-ratings-${fileNamePart(raterName, 'rater')}.zip`
}

/**
 * The checked, real target path of the export: the folder the study was
 * opened from by default, else the path given, under the rules every export
 * follows (fs/exportTarget: absolute, .zip, no symbolic link at the name),
 * and never the study file itself.
 */
export function ratingsTarget(outPath: string | undefined, study: { bundlePath: string; name: string }, raterName: string): string {
  if (outPath === undefined) {
    const dir = dirname(study.bundlePath)
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UserError('bad_input', `The folder the study file was opened from (${dir}) is gone; choose where to save your ratings.`)
    outPath = join(dir, defaultRatingsFileName(study.name, raterName))
  }
  return exportTarget(outPath, {
    extension: '.zip',
    noun: 'ratings file',
    protect: [{ path: study.bundlePath, message: `${outPath} is the study file itself; save your ratings under another name.` }]
  })
}

export interface RatingsBundleInput {
  manifest: StudyManifest
  rater: { id: string; name: string }
  ratings: readonly StoredReaderRating[]
  keyFrames: readonly StoredKeyFrame[]
  /** Clips in this rater's queue. */
  total: number
  finalizedAt: string | null
  appVersion: string
  created: Date
}

export interface RatingsBundle {
  bytes: Buffer
  manifest: RatingsManifest
  ratings: ReaderRating[]
}

export async function buildRatingsBundle(input: RatingsBundleInput): Promise<RatingsBundle> {
  const framesByClip = new Map<number, { frame: number; note: string }[]>()
  for (const k of input.keyFrames) {
    const list = framesByClip.get(k.clipNo) ?? []
    list.push({ frame: k.frame, note: k.note })
    framesByClip.set(k.clipNo, list)
  }
  const ratings: ReaderRating[] = input.ratings.map((r) => ({
    clipNo: r.clipNo,
    values: r.values,
    confidence: r.confidence,
    comment: r.comment,
    keyFrames: framesByClip.get(r.clipNo) ?? [],
    submittedAt: r.submittedAt,
    updatedAt: r.updatedAt
  }))
  const { manifest, files } = ratingsBundleFiles(
    {
      appVersion: input.appVersion,
      created: input.created.toISOString(),
      studyId: input.manifest.studyId,
      setId: input.manifest.setId,
      setName: input.manifest.name,
      rater: { id: input.rater.id, name: input.rater.name },
      finalizedAt: input.finalizedAt,
      total: input.total
    },
    ratings
  )
  const bytes = await zipBuffers(files, input.created)
  return { bytes, manifest, ratings }
}
