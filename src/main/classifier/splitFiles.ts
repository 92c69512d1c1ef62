/**
 * What a split writes: `folds.csv` (one row per catalog entry with media),
 * `cross_val.json` in the layout of the dataset's own training scripts
 * (pocovidnet: `{"0": {"test": [[files], [labels]], "train": [[files], [labels]]}, …}`
 * with labels cov/pne/reg), and optionally the frame folders those scripts
 * read (`split{i}/{covid,pneumonia,regular}/<video>_frame<N>.jpg`, 3 Hz).
 *
 * Frames are written only where asked (`--frames`), into a folder the caller
 * chooses: the dataset's media have third-party licences and never go into
 * the repository.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { SAMPLE_RATE_HZ, type LusClass } from '../../shared/classifierPreprocess'
import { ffmpegPath } from '../media/ffmpegPaths'
import { ProcessError, runProcess } from '../media/processRun'
import type { CatalogClip } from './catalogClips'
import type { SplitResult } from './splits'
import { writeFileAtomic } from '../fs/atomicWrite'

const SHORT: Record<LusClass, string> = { covid: 'cov', pneumonia: 'pne', healthy: 'reg' }
/** Folder names of the dataset scripts' image layout. */
const FOLDER: Record<LusClass, string> = { covid: 'covid', pneumonia: 'pneumonia', healthy: 'regular' }

export function foldsCsv(split: SplitResult): string {
  const rows = split.assignments.map((a) => [a.filename, String(a.fold), a.label, a.group])
  return stringify([['Filename', 'fold', 'label', 'group'], ...rows], { record_delimiter: '\n' })
}

type Pair = [string[], string[]]

export function crossValJson(split: SplitResult): Record<string, { test: Pair; train: Pair }> {
  const out: Record<string, { test: Pair; train: Pair }> = {}
  const modelled = split.assignments.filter((a) => a.label !== 'other')
  for (let f = 0; f < split.folds; f++) {
    const test: Pair = [[], []]
    const train: Pair = [[], []]
    for (const a of modelled) {
      const target = a.fold === f ? test : train
      target[0].push(a.mediaName)
      target[1].push(SHORT[a.label as LusClass])
    }
    out[String(f)] = { test, train }
  }
  return out
}

export interface WrittenSplit {
  files: string[]
  clipsWritten: number
  frameFailures: { filename: string; reason: string }[]
}

export async function writeSplit(
  split: SplitResult,
  outDir: string,
  options: { frames?: { clips: readonly CatalogClip[]; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } } = {}
): Promise<WrittenSplit> {
  mkdirSync(outDir, { recursive: true })
  const csvPath = join(outDir, 'folds.csv')
  const jsonPath = join(outDir, 'cross_val.json')
  writeFileAtomic(csvPath, foldsCsv(split))
  writeFileAtomic(jsonPath, JSON.stringify(crossValJson(split), null, 1) + '\n')
  const result: WrittenSplit = { files: [csvPath, jsonPath], clipsWritten: 0, frameFailures: [] }
  if (!options.frames) return result

  const bin = ffmpegPath()
  if (!bin) throw new ProcessError('ffmpeg was not found (install ffmpeg, or set FFMPEG_PATH)')
  const byEntry = new Map(options.frames.clips.map((c) => [c.entryId, c]))
  const todo = split.assignments.filter((a) => a.label !== 'other' && byEntry.has(a.entryId))
  let done = 0
  for (const a of todo) {
    const clip = byEntry.get(a.entryId)!
    const dir = join(outDir, `split${a.fold}`, FOLDER[a.label as LusClass])
    mkdirSync(dir, { recursive: true })
    // `%d` counts samples from 0; the file name keeps the clip's own name, extension included, as the scripts expect.
    const pattern = join(dir, `${clip.mediaName.replaceAll('%', '%%')}_frame%d.jpg`)
    try {
      await runProcess(
        bin,
        ['-v', 'error', '-nostdin', '-y', '-i', clip.absPath, '-an', '-sn', '-vf', `fps=${SAMPLE_RATE_HZ}:eof_action=pass`, '-q:v', '2', '-start_number', '0', pattern],
        { redact: [clip.absPath, dir], ...(options.frames.signal ? { signal: options.frames.signal } : {}) }
      )
      result.clipsWritten++
    } catch (e) {
      if (e instanceof ProcessError && e.aborted) throw e
      result.frameFailures.push({ filename: a.filename, reason: (e as Error).message })
    }
    options.frames.onProgress?.(++done, todo.length)
  }
  return result
}
