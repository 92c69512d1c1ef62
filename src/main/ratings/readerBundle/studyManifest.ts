/**
 * study.json of a reader bundle, built from an allow-list: the set's id,
 * name and fields, each categorical field's allowed answers, the raters
 * with their own queue order, and per clip only its opaque file, size, hash
 * and frame times. Nothing read from a catalog entry (label, file name,
 * source, URL, DOI, patient, CSV row, reference value) is passed in here,
 * so nothing of it can reach the manifest.
 */
import { randomUUID } from 'node:crypto'
import type { RatingField } from '../../../shared/ratingsContract'
import { orderQueue } from '../queueOrder'
import { fieldVocabulary } from '../../../shared/ratingFieldVocabulary'
import type { SetDefinition, SetItem, SetRater } from '../reviewSetStore'
import { STUDY_FORMAT, STUDY_SCHEMA_VERSION, studyManifestSchema, type StudyClip, type StudyManifest } from './readerFormats'

/** The allowed answers of each categorical field of the set; numbers and free text have none. */
export function studyVocabularies(fields: readonly RatingField[]): Record<string, (string | null)[]> {
  const out: Record<string, (string | null)[]> = {}
  for (const f of fields) {
    const vocabulary = fieldVocabulary(f)
    if (vocabulary) out[f] = vocabulary
  }
  return out
}

export interface StudyParts {
  def: SetDefinition
  items: readonly SetItem[]
  raters: readonly SetRater[]
  clips: readonly StudyClip[]
  appVersion: string
  created: Date
}

/** Validated against the format before it is written: a bundle that the reader would refuse is never made. */
export function buildStudyManifest(p: StudyParts): StudyManifest {
  const manifest: StudyManifest = {
    format: STUDY_FORMAT,
    schemaVersion: STUDY_SCHEMA_VERSION,
    appVersion: p.appVersion,
    created: p.created.toISOString(),
    studyId: randomUUID(),
    setId: p.def.id,
    name: p.def.name,
    fields: [...p.def.fields],
    vocabularies: studyVocabularies(p.def.fields),
    // The same queue each rater gets in the catalog app's rater mode.
    raters: p.raters.map((r) => ({
      id: r.id,
      name: r.name,
      queue: orderQueue(p.def.order, p.items, { seed: p.def.seed, raterId: r.id }).map((i) => i.clipNo)
    })),
    clips: [...p.clips].sort((a, b) => a.clipNo - b.clipNo)
  }
  return studyManifestSchema.parse(manifest)
}
