/**
 * A small, valid reader study bundle built by the tests themselves: two
 * ffmpeg test clips and a PNG still, a study.json per studyManifestSchema,
 * zipped with yazl. Tampered variants are made from the same parts: a
 * changed manifest, changed or extra entries, and names a writer would
 * refuse (patched into the zip's bytes, where yazl will not write them).
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ZipFile } from 'yazl'
import { ffmpegPath } from '../../../src/main/media/ffmpegPaths'
import { readFrameTimes } from '../../../src/main/media/frameTimes'
import {
  STUDY_FORMAT,
  STUDY_MANIFEST_FILE,
  STUDY_SCHEMA_VERSION,
  clipFileName,
  studyManifestSchema,
  type StudyManifest
} from '../../../src/main/ratings/readerBundle/readerFormats'
import { makeClip } from '../../helpers/fixtures'

export const STUDY_ID = '11111111-2222-4333-8444-555555555555'
export const SET_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
export const RATER_A = { id: '0a000000-0000-4000-8000-00000000000a', name: 'Dr. Ana Müller' }
export const RATER_B = { id: '0b000000-0000-4000-8000-00000000000b', name: 'Dr. Ben Ode' }
/** In no study. */
export const STRANGER = '0c000000-0000-4000-8000-00000000000c'

/** Clip 1 (video, 5 frames), clip 2 (still), clip 3 (video, 4 frames). */
export interface StudyMedia {
  clips: { clipNo: number; kind: 'video' | 'image'; bytes: Buffer; frameTimes: number[]; width: number; height: number; durationS: number | null }[]
}

export async function makeStudyMedia(dir: string): Promise<StudyMedia> {
  const v1 = join(dir, 'v1.mp4')
  const v3 = join(dir, 'v3.mp4')
  const still = join(dir, 'still.png')
  makeClip(v1, { frames: 5, fps: 10 })
  makeClip(v3, { frames: 4, fps: 8, size: '32x24' })
  execFileSync(ffmpegPath()!, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=40x30:rate=1', '-frames:v', '1', still])
  const video = async (clipNo: number, file: string, width: number, height: number) => {
    const info = await readFrameTimes(file)
    return { clipNo, kind: 'video' as const, bytes: readFileSync(file), frameTimes: info.frameTimes, width, height, durationS: info.durationS }
  }
  return {
    clips: [
      await video(1, v1, 64, 48),
      { clipNo: 2, kind: 'image', bytes: readFileSync(still), frameTimes: [0], width: 40, height: 30, durationS: null },
      await video(3, v3, 32, 24)
    ]
  }
}

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex')

export function studyManifest(media: StudyMedia, overrides: Partial<StudyManifest> = {}): StudyManifest {
  return studyManifestSchema.parse({
    format: STUDY_FORMAT,
    schemaVersion: STUDY_SCHEMA_VERSION,
    appVersion: 'test',
    created: '2025-01-02T03:04:05.000Z',
    studyId: STUDY_ID,
    setId: SET_ID,
    name: 'Uncertain B-lines / Spring',
    fields: ['label', 'B-lines', 'comments'],
    vocabularies: { label: ['covid', 'bacterial_pneumonia', 'viral_pneumonia', 'healthy', 'other'], 'B-lines': ['present', 'absent', 'not_assessed'] },
    raters: [
      { ...RATER_A, queue: [3, 1, 2] },
      { ...RATER_B, queue: [2, 3] }
    ],
    clips: media.clips.map((c) => ({
      clipNo: c.clipNo,
      file: clipFileName(c.clipNo, c.kind),
      kind: c.kind,
      bytes: c.bytes.length,
      sha256: sha256(c.bytes),
      frameTimes: c.frameTimes,
      width: c.width,
      height: c.height,
      durationS: c.durationS
    })),
    ...overrides
  })
}

export interface ZipPart {
  name: string
  bytes: Buffer
  /** Unix mode (type bits included), e.g. 0o120777 for a symbolic link. */
  mode?: number
  compress?: boolean
}

/** The entries of a valid bundle: study.json and every clip. */
export function studyParts(media: StudyMedia, manifest: unknown = studyManifest(media)): ZipPart[] {
  return [
    { name: STUDY_MANIFEST_FILE, bytes: Buffer.from(JSON.stringify(manifest, null, 2)) },
    ...media.clips.map((c) => ({ name: clipFileName(c.clipNo, c.kind), bytes: c.bytes, compress: false }))
  ]
}

export function zipParts(parts: readonly ZipPart[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile()
    const chunks: Buffer[] = []
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c))
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)))
    zip.outputStream.on('error', reject)
    for (const p of parts)
      zip.addBuffer(p.bytes, p.name, { mtime: new Date('2025-01-02T00:00:00Z'), mode: p.mode ?? 0o100644, compress: p.compress ?? true })
    zip.end()
  })
}

/**
 * Writes a zip of `parts`; `rename` then swaps names in the zip's bytes
 * (local headers and central directory alike), for names yazl refuses to
 * write. Each pair must have the same length.
 */
export async function writeStudyZip(path: string, parts: readonly ZipPart[], rename: readonly [string, string][] = []): Promise<string> {
  let bytes = await zipParts(parts)
  for (const [from, to] of rename) {
    if (from.length !== to.length) throw new Error(`rename ${from} → ${to}: names must have the same length`)
    const a = Buffer.from(from)
    const b = Buffer.from(to)
    let at = bytes.indexOf(a)
    if (at < 0) throw new Error(`${from} is not in the zip`)
    bytes = Buffer.from(bytes)
    while (at >= 0) {
      b.copy(bytes, at)
      at = bytes.indexOf(a, at + b.length)
    }
  }
  writeFileSync(path, bytes)
  return path
}

/**
 * Rewrites the uncompressed size the central directory records for `name`:
 * a zip whose header understates what its entry inflates to.
 */
export function understateSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip)
  for (let at = out.indexOf(CENTRAL_HEADER); at >= 0; at = out.indexOf(CENTRAL_HEADER, at + 4)) {
    const nameLength = out.readUInt16LE(at + 28)
    if (out.subarray(at + 46, at + 46 + nameLength).toString('utf8') !== name) continue
    out.writeUInt32LE(size, at + 24)
    return out
  }
  throw new Error(`${name} is not in the zip's central directory`)
}
const CENTRAL_HEADER = Buffer.from([0x50, 0x4b, 0x01, 0x02])
