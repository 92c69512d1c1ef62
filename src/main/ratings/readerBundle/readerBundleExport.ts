/**
 * Writing a reader bundle (readerFormats.ts): a review set's clips, blinded,
 * with the form and queues, for raters who rate on their own machines in
 * the reader workstation. The coordinator keeps the only mapping from clip
 * numbers back to catalog entries (review_set_items).
 *
 * Reader bundles are always blinded, whatever the set's own flags: the
 * reader workstation has no reference values or other raters' ratings to
 * reveal, because none are ever written into the bundle.
 *
 * The blinded copies are made in a work folder beside the target (the disk
 * the coordinator chose has room for the bundle, so for its parts), zipped
 * (media stored, they do not deflate) to a temporary name and renamed into
 * place; the work folder is removed however the export ends.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { ReaderBundleExportResult } from '../../../shared/readerContract'
import type { CatalogRepository } from '../../catalog/catalogRepository'
import { UserError } from '../../errors'
import { sha256File } from '../../media/contentHash'
import type { PlaybackService } from '../../media/playbackService'
import { ProcessError } from '../../media/processRun'
import { writeZipAtomically, zipTarget } from '../bundle/zipWriter'
import type { ReviewSetStore, SetDefinition, SetRater } from '../reviewSetStore'
import { writeBlindedStill, writeBlindedVideo } from './blindedCopy'
import { playableClips, type PlayableClip } from './playableClips'
import { clipFileName, STUDY_MANIFEST_FILE, type StudyClip } from './readerFormats'
import { buildStudyManifest } from './studyManifest'

export interface ReaderBundleDeps {
  sets: ReviewSetStore
  repository: CatalogRepository
  playback: PlaybackService
  version: string
}

function chooseRaters(def: SetDefinition, setRaters: readonly SetRater[], raterIds?: readonly string[]): SetRater[] {
  if (!raterIds) return [...setRaters]
  if (new Set(raterIds).size !== raterIds.length) throw new UserError('bad_input', 'A rater is listed twice.')
  return raterIds.map((id) => {
    const r = setRaters.find((s) => s.id === id)
    if (!r) throw new UserError('bad_input', `Rater ${id} is not part of review set "${def.name}".`)
    return r
  })
}

function blindingWarnings(def: SetDefinition): string[] {
  const warnings: string[] = []
  if (!def.blinded)
    warnings.push(
      `Review set "${def.name}" is not blinded, but a reader bundle always is: its raters see no labels, reference values or other raters' ratings. ` +
        'Its clip numbers follow the catalog order, though, which may follow the labels; a blinded set numbers its clips at random.'
    )
  if (def.revealAfterSubmit)
    warnings.push(`Review set "${def.name}" shows the reference after each rating in the catalog app; a reader bundle never does (it holds no reference values).`)
  return warnings
}

async function writeClip(clip: PlayableClip, workDir: string): Promise<{ study: StudyClip; path: string; reencoded: boolean }> {
  const file = clipFileName(clip.clipNo, clip.kind)
  const path = join(workDir, file)
  try {
    const copy = clip.kind === 'video' ? await writeBlindedVideo(clip, path, workDir) : await writeBlindedStill(clip.file, path)
    const { frameTimes, width, height, durationS } = copy.info
    return {
      study: { clipNo: clip.clipNo, file, kind: clip.kind, bytes: statSync(path).size, sha256: await sha256File(path), frameTimes, width, height, durationS },
      path,
      reencoded: copy.reencoded
    }
  } catch (e) {
    if (e instanceof ProcessError)
      throw new UserError('unsupported', `Clip ${clip.clipNo} (${clip.name}): its copy for the reader bundle could not be written: ${e.message}.`)
    throw e
  }
}

export async function exportReaderBundle(
  d: ReaderBundleDeps,
  setId: string,
  outPath: string,
  raterIds?: readonly string[]
): Promise<ReaderBundleExportResult> {
  const target = zipTarget(outPath)
  const def = d.sets.definition(setId)
  const raters = chooseRaters(def, d.sets.raters(setId), raterIds)
  const items = d.sets.items(setId)
  const clips = await playableClips(def, items, d.repository, d.playback)

  const workDir = mkdtempSync(join(dirname(target), `.${basename(target)}.work-`))
  try {
    mkdirSync(join(workDir, 'clips'))
    const written: Awaited<ReturnType<typeof writeClip>>[] = []
    // One at a time: remuxing is quick, and a re-encode already keeps the cores busy.
    for (const clip of clips) written.push(await writeClip(clip, workDir))
    const created = new Date()
    const manifest = buildStudyManifest({ def, items, raters, clips: written.map((w) => w.study), appVersion: d.version, created })
    const bytes = await writeZipAtomically(
      target,
      [
        { name: STUDY_MANIFEST_FILE, bytes: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'), compress: true },
        ...written.map((w) => ({ name: w.study.file, file: w.path, compress: false }))
      ],
      created
    )
    return {
      path: target,
      bytes,
      studyId: manifest.studyId,
      clips: written.length,
      raters: raters.map((r) => r.name),
      transcoded: clips.filter((c, i) => c.kind === 'video' && (c.fromProxy || written[i]!.reencoded)).length,
      warnings: blindingWarnings(def)
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}
