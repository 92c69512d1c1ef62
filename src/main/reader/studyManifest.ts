/**
 * Reading a reader bundle's study.json: the format and version first (so a
 * bundle from a newer app says so instead of "malformed"), then the schema,
 * then what the schema cannot say: clip numbers and rater ids unique, each
 * clip's file named after its number and kind, every queue made of the
 * study's clips, frame times a video can be stepped through.
 */
import type { z } from 'zod'
import {
  RATINGS_FORMAT,
  STUDY_FORMAT,
  STUDY_SCHEMA_VERSION,
  clipFileName,
  studyManifestSchema,
  type StudyManifest
} from '../ratings/readerBundle/readerFormats'
import { manifestHeadSchema } from '../ratings/bundle/manifestHead'
import { firstMalformedString } from '../../shared/wellFormedText'
import { BundleRefused } from './bundleRefused'

/** At most `max` zod issues as `path: message`, so a broken manifest is explained in one sentence. */
export function summarizeIssues(error: z.ZodError, max = 3): string {
  const shown = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
  const more = error.issues.length - shown.length
  return shown.join('; ') + (more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : '')
}

export function parseStudyManifest(bytes: Buffer): StudyManifest {
  let json: unknown
  try {
    json = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new BundleRefused('its study.json is not valid JSON')
  }
  const malformed = firstMalformedString(json)
  if (malformed !== null) throw new BundleRefused(`its study.json holds text that is not well-formed Unicode (${malformed}: half of a surrogate pair)`)
  const head = manifestHeadSchema.safeParse(json)
  if (!head.success) throw new BundleRefused('its study.json does not say which format it is: this is not a reader study bundle')
  if (head.data.format === RATINGS_FORMAT)
    throw new BundleRefused("it is a rater's ratings bundle, not a reader study: the coordinator imports it in the catalog app")
  if (head.data.format !== STUDY_FORMAT) throw new BundleRefused(`its study.json is of format "${head.data.format.slice(0, 80)}", not a reader study`)
  if (head.data.schemaVersion > STUDY_SCHEMA_VERSION)
    throw new BundleRefused(
      `it was made by a newer LUS Review (reader study format ${head.data.schemaVersion}; this version reads ${STUDY_SCHEMA_VERSION}); update the app`
    )
  const parsed = studyManifestSchema.safeParse(json)
  if (!parsed.success) throw new BundleRefused(`its study.json is malformed (${summarizeIssues(parsed.error)})`)
  checkConsistency(parsed.data)
  return parsed.data
}

function checkConsistency(m: StudyManifest): void {
  const clipNos = new Set<number>()
  for (const c of m.clips) {
    if (clipNos.has(c.clipNo)) throw new BundleRefused(`its study.json lists clip ${c.clipNo} twice`)
    clipNos.add(c.clipNo)
    if (c.file !== clipFileName(c.clipNo, c.kind))
      throw new BundleRefused(`its study.json names clip ${c.clipNo}'s file ${c.file}; a ${c.kind} numbered ${c.clipNo} is ${clipFileName(c.clipNo, c.kind)}`)
    if (!c.frameTimes.every(Number.isFinite)) throw new BundleRefused(`its study.json gives clip ${c.clipNo} frame times that are not numbers`)
    if (c.kind === 'video' && c.frameTimes.length === 0) throw new BundleRefused(`its study.json gives video clip ${c.clipNo} no frame times`)
    if (c.kind === 'image' && c.frameTimes.length > 1) throw new BundleRefused(`its study.json gives still image ${c.clipNo} more than one frame`)
  }
  const raterIds = new Set<string>()
  for (const r of m.raters) {
    if (raterIds.has(r.id)) throw new BundleRefused(`its study.json lists rater ${r.name} twice`)
    raterIds.add(r.id)
    const queued = new Set<number>()
    for (const clipNo of r.queue) {
      if (!clipNos.has(clipNo)) throw new BundleRefused(`the queue of rater ${r.name} names clip ${clipNo}, which the study does not hold`)
      if (queued.has(clipNo)) throw new BundleRefused(`the queue of rater ${r.name} names clip ${clipNo} twice`)
      queued.add(clipNo)
    }
  }
  if (new Set(m.fields).size !== m.fields.length) throw new BundleRefused('its study.json names a rating field twice')
}
