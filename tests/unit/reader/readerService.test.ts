/**
 * The reader-mode operations, called as the UI calls them (through dispatch
 * with the reader workstation's options): queues, submitting and its
 * validation, key frames, playback, and the ratings bundle with its lock.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/main/api/dispatch'
import { readZip } from '../../../src/main/ratings/bundle/zipReader'
import {
  RATINGS_MANIFEST_FILE,
  RATINGS_PAYLOAD_FILE,
  ratingsManifestSchema,
  readerRatingsSchema
} from '../../../src/main/ratings/readerBundle/readerFormats'
import { openStudy, type OpenedStudy } from '../../../src/main/reader/openStudy'
import { READER_DISPATCH, createReaderHandlers, type ReaderHandlers } from '../../../src/main/reader/readerHandlers'
import { defaultRatingsFileName, fileNamePart } from '../../../src/main/reader/ratingsExport'
import { contract } from '../../../src/shared/contract'
import type { ReaderView } from '../../../src/shared/readerContract'
import type { Result } from '../../../src/shared/result'
import { tempDir } from '../../helpers/paths'
import {
  RATER_A,
  RATER_B,
  SET_ID,
  STRANGER,
  STUDY_ID,
  makeStudyMedia,
  sha256,
  studyManifest,
  studyParts,
  writeStudyZip,
  type StudyMedia
} from './studyFixture'

let tmp: ReturnType<typeof tempDir>
let media: StudyMedia
let studyDir: string
let zipPath: string
let study: OpenedStudy
let handlers: ReaderHandlers

beforeAll(async () => {
  tmp = tempDir('lus-reader-service-')
  media = await makeStudyMedia(tmp.path)
  studyDir = join(tmp.path, 'from coordinator')
  mkdirSync(studyDir)
  zipPath = await writeStudyZip(join(studyDir, 'study.zip'), studyParts(media))
  study = await openStudy(zipPath, { studiesDir: join(tmp.path, 'studies'), appVersion: '9.9.9-test' })
  handlers = createReaderHandlers(study.service)
})
afterAll(() => {
  study?.close()
  tmp.cleanup()
})

/** Calls an operation as a reader workstation does; every answer is checked against its contract schema. */
async function call(op: string, args: unknown): Promise<Result<unknown>> {
  const r = await dispatch(handlers, op, args, READER_DISPATCH)
  if (r.ok) contract[op as keyof typeof contract].result.parse(r.value)
  return r
}
async function value<T>(op: string, args: unknown): Promise<T> {
  const r = await call(op, args)
  if (!r.ok) throw new Error(`${op} failed: ${r.error.code}: ${r.error.message}`)
  return r.value as T
}
async function failure(op: string, args: unknown, code: string): Promise<string> {
  const r = await call(op, args)
  if (r.ok) throw new Error(`${op} should have failed with ${code}: ${JSON.stringify(r.value).slice(0, 200)}`)
  expect(r.error.code, r.error.message).toBe(code)
  return r.error.message
}

const A = RATER_A.id
const B = RATER_B.id
const answer = { label: 'covid', 'B-lines': 'present', comments: 'pleural line thickened' } as const

describe('the study and the queues', () => {
  it('says it is a reader workstation and describes its study', async () => {
    expect(await value('app/mode', {})).toEqual({ mode: 'reader' })
    expect(await value('reader/study', {})).toMatchObject({ studyId: STUDY_ID, total: 3, raters: [{ id: A }, { id: B }] })
  })

  it('opens the first clip of each rater’s own queue, with nothing rated', async () => {
    const a = await value<ReaderView>('reader/open', { raterId: A })
    expect(a).toEqual({
      rated: 0,
      total: 3,
      finalizedAt: null,
      queue: [
        { clipNo: 3, rated: false },
        { clipNo: 1, rated: false },
        { clipNo: 2, rated: false }
      ],
      clip: { clipNo: 3, handle: 'Clip 3 of 3', kind: 'video', fields: ['label', 'B-lines', 'comments'], myRating: null, keyFrames: [], canEdit: true }
    })
    const b = await value<ReaderView>('reader/open', { raterId: B })
    expect(b.queue.map((q) => q.clipNo)).toEqual([2, 3])
    expect(b.clip).toMatchObject({ clipNo: 2, handle: 'Clip 2 of 3', kind: 'image' })
  })

  it('opens a clip by number, within the rater’s queue only', async () => {
    expect((await value<ReaderView>('reader/open', { raterId: A, clipNo: 2 })).clip?.clipNo).toBe(2)
    expect(await failure('reader/open', { raterId: B, clipNo: 1 }, 'not_found')).toBe('Clip 1 of 3 is not in your queue.')
    expect(await failure('reader/open', { raterId: A, clipNo: 9 }, 'not_found')).toMatch(/no clip numbered 9/)
    expect(await failure('reader/open', { raterId: STRANGER }, 'not_found')).toMatch(/not for that rater/)
    await failure('reader/open', { raterId: 'not-a-uuid' }, 'invalid_request')
  })
})

describe('submitting', () => {
  it('stores a rating in the study’s field order and moves on to the next unrated clip', async () => {
    const view = await value<ReaderView>('reader/submit', {
      raterId: A,
      clipNo: 3,
      values: { comments: answer.comments, 'B-lines': 'present', label: 'covid' },
      confidence: 4,
      comment: 'clear'
    })
    expect(view.rated).toBe(1)
    expect(view.queue[0]).toEqual({ clipNo: 3, rated: true })
    expect(view.clip?.clipNo).toBe(3)
    expect(Object.keys(view.clip!.myRating!.values)).toEqual(['label', 'B-lines', 'comments'])
    expect(view.clip?.myRating).toMatchObject({ confidence: 4, comment: 'clear' })
    expect((await value<ReaderView>('reader/open', { raterId: A })).clip?.clipNo).toBe(1)
    // Another rater's queue is their own.
    expect((await value<ReaderView>('reader/open', { raterId: B })).rated).toBe(0)
  })

  it('keeps the first submission time when a rating is revised', async () => {
    const first = (await value<ReaderView>('reader/open', { raterId: A, clipNo: 3 })).clip!.myRating!
    await new Promise((r) => setTimeout(r, 5))
    const revised = (await value<ReaderView>('reader/submit', { raterId: A, clipNo: 3, values: { ...answer, label: 'healthy' }, confidence: 2 })).clip!.myRating!
    expect(revised.submittedAt).toBe(first.submittedAt)
    expect(revised.updatedAt > first.updatedAt).toBe(true)
    expect(revised.values.label).toBe('healthy')
    expect(revised.comment).toBe('')
  })

  it('refuses incomplete, extra and out-of-form answers, naming the clip by its handle', async () => {
    expect(await failure('reader/submit', { raterId: A, clipNo: 1, values: { label: 'covid' }, confidence: 3 }, 'bad_input')).toMatch(
      /^Clip 1 of 3: rate every field before submitting \(missing: B-lines, comments\)/
    )
    expect(await failure('reader/submit', { raterId: A, clipNo: 1, values: { ...answer, probe: 'convex' }, confidence: 3 }, 'bad_input')).toMatch(
      /Clip 1 of 3: this review set does not rate probe/
    )
    await failure('reader/submit', { raterId: A, clipNo: 1, values: { ...answer, label: 'flu' }, confidence: 3 }, 'invalid_request')
    await failure('reader/submit', { raterId: A, clipNo: 1, values: answer, confidence: 6 }, 'invalid_request')
    expect(await failure('reader/submit', { raterId: B, clipNo: 1, values: answer, confidence: 3 }, 'not_found')).toMatch(/Clip 1 of 3 is not in your queue/)
    await failure('reader/submit', { raterId: STRANGER, clipNo: 1, values: answer, confidence: 3 }, 'not_found')
    expect((await value<ReaderView>('reader/open', { raterId: A, clipNo: 1 })).clip?.myRating).toBeNull()
  })
})

describe('playback from the manifest', () => {
  it('gives a video its frame times and a still one frame', async () => {
    const v = await value<Record<string, unknown>>('reader/playback', { clipNo: 1 })
    expect(v).toEqual({
      clipNo: 1,
      state: 'ready',
      source: 'original',
      frameTimes: media.clips[0]!.frameTimes,
      frameCount: 5,
      fps: 10,
      width: 64,
      height: 48,
      durationS: media.clips[0]!.durationS,
      progress: null,
      error: null
    })
    expect(await value('reader/playback', { clipNo: 2 })).toMatchObject({ source: 'image', frameTimes: [0], frameCount: 1, fps: null, width: 40 })
    expect(await value('reader/playback', { clipNo: 3 })).toMatchObject({ frameCount: 4, fps: 8 })
    await failure('reader/playback', { clipNo: 4 }, 'not_found')
  })
})

describe('key frames', () => {
  it('sets, revises and removes a rater’s key frames, within the clip’s frames', async () => {
    expect(await value('reader/keyFrames/set', { raterId: A, clipNo: 3, frame: 3, note: 'B-lines' })).toEqual({ keyFrames: [{ frame: 3, note: 'B-lines' }] })
    await value('reader/keyFrames/set', { raterId: A, clipNo: 3, frame: 0, note: '' })
    expect(await value('reader/keyFrames/set', { raterId: A, clipNo: 3, frame: 3, note: 'three B-lines' })).toEqual({
      keyFrames: [
        { frame: 0, note: '' },
        { frame: 3, note: 'three B-lines' }
      ]
    })
    expect(await value('reader/keyFrames/remove', { raterId: A, clipNo: 3, frame: 0 })).toEqual({ keyFrames: [{ frame: 3, note: 'three B-lines' }] })
    expect(await failure('reader/keyFrames/remove', { raterId: A, clipNo: 3, frame: 0 }, 'not_found')).toBe('Clip 3 of 3: frame 1 is not one of your key frames.')
    expect(await failure('reader/keyFrames/set', { raterId: A, clipNo: 3, frame: 4, note: '' }, 'bad_input')).toBe('Clip 3 of 3 has 4 frames; there is no frame 5.')
    expect(await failure('reader/keyFrames/set', { raterId: A, clipNo: 2, frame: 1, note: '' }, 'bad_input')).toMatch(/has 1 frame;/)
    await failure('reader/keyFrames/set', { raterId: B, clipNo: 1, frame: 0, note: '' }, 'not_found')
    // Shown with the clip, to this rater only.
    expect((await value<ReaderView>('reader/open', { raterId: A, clipNo: 3 })).clip?.keyFrames).toEqual([{ frame: 3, note: 'three B-lines' }])
    expect((await value<ReaderView>('reader/open', { raterId: B, clipNo: 3 })).clip?.keyFrames).toEqual([])
  })
})

describe('exporting ratings', () => {
  const expectedName = 'Uncertain-B-lines-Spring-ratings-Dr.-Ana-Muller.zip'

  it('names the file after the study and the rater, in plain characters', () => {
    expect(defaultRatingsFileName('Uncertain B-lines / Spring', 'Dr. Ana Müller')).toBe(expectedName)
    expect(fileNamePart('../../etc', 'x')).toBe('etc')
    expect(fileNamePart('  ', 'rater')).toBe('rater')
    expect(fileNamePart('.hidden.', 'x')).toBe('hidden')
  })

  it('refuses to export as final before every clip of the queue is rated, changing nothing', async () => {
    expect(await failure('reader/exportRatings', { raterId: A }, 'conflict')).toMatch(/rated 1 of your 3 clips/)
    expect(existsSync(join(studyDir, expectedName))).toBe(false)
    expect((await value<ReaderView>('reader/open', { raterId: A })).finalizedAt).toBeNull()
  })

  it('exports what there is so far when not final, beside the study file, still editable', async () => {
    const r = await value<{ path: string; ratings: number; total: number; finalizedAt: string | null; bytes: number }>('reader/exportRatings', { raterId: A, final: false })
    expect(r).toMatchObject({ path: join(studyDir, expectedName), ratings: 1, total: 3, finalizedAt: null })
    expect(r.bytes).toBe(readFileSync(r.path).length)
    expect((await value<ReaderView>('reader/open', { raterId: A })).clip?.canEdit).toBe(true)
  })

  it('writes a final ratings bundle that validates and locks this rater’s ratings', async () => {
    await value('reader/submit', { raterId: A, clipNo: 1, values: { ...answer, 'B-lines': 'absent' }, confidence: 3, comment: '' })
    await value('reader/submit', { raterId: A, clipNo: 2, values: { ...answer, label: 'other' }, confidence: 1, comment: 'blurry' })
    const r = await value<{ path: string; ratings: number; total: number; finalizedAt: string }>('reader/exportRatings', { raterId: A })
    expect(r.path).toBe(join(studyDir, expectedName))
    expect(r.ratings).toBe(3)
    expect(r.finalizedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(readdirSync(studyDir).sort()).toEqual([expectedName, 'study.zip'])

    const files = await readZip(r.path)
    expect([...files.keys()].sort()).toEqual([RATINGS_MANIFEST_FILE, RATINGS_PAYLOAD_FILE])
    const manifest = ratingsManifestSchema.parse(JSON.parse(files.get(RATINGS_MANIFEST_FILE)!.toString('utf8')))
    const payload = files.get(RATINGS_PAYLOAD_FILE)!
    const ratings = readerRatingsSchema.parse(JSON.parse(payload.toString('utf8')))
    expect(manifest).toMatchObject({
      studyId: STUDY_ID,
      setId: SET_ID,
      setName: 'Uncertain B-lines / Spring',
      appVersion: '9.9.9-test',
      rater: { id: A, name: RATER_A.name },
      finalizedAt: r.finalizedAt,
      ratings: 3,
      total: 3
    })
    expect(manifest.ratingsSha256).toBe(sha256(payload))
    expect(ratings.map((x) => x.clipNo)).toEqual([1, 2, 3])
    expect(ratings[2]).toMatchObject({ values: { ...answer, label: 'healthy' }, confidence: 2, keyFrames: [{ frame: 3, note: 'three B-lines' }] })
    expect(ratings[1]).toMatchObject({ comment: 'blurry', keyFrames: [] })
    expect(Object.keys(ratings[0]!.values)).toEqual(['label', 'B-lines', 'comments'])
    // Nothing of another rater, nor anything that unblinds.
    expect(payload.toString('utf8')).not.toContain(B)
    expect(payload.toString('utf8')).not.toMatch(/mp4|png|sha256/)
  })

  it('refuses every change after the final export, and says so in the view', async () => {
    const view = await value<ReaderView>('reader/open', { raterId: A, clipNo: 3 })
    expect(view.finalizedAt).not.toBeNull()
    expect(view.clip?.canEdit).toBe(false)
    expect(await failure('reader/submit', { raterId: A, clipNo: 3, values: answer, confidence: 5 }, 'conflict')).toMatch(/exported your ratings as final on \d{4}-\d\d-\d\d/)
    await failure('reader/keyFrames/set', { raterId: A, clipNo: 3, frame: 1, note: '' }, 'conflict')
    await failure('reader/keyFrames/remove', { raterId: A, clipNo: 3, frame: 3 }, 'conflict')
    expect((await value<ReaderView>('reader/open', { raterId: A, clipNo: 3 })).clip?.myRating?.values.label).toBe('healthy')
    // Another rater is not locked.
    expect((await value<ReaderView>('reader/submit', { raterId: B, clipNo: 2, values: answer, confidence: 3 })).clip?.canEdit).toBe(true)
  })

  it('keeps the first finalization time on a later export, final or not', async () => {
    const first = (await value<ReaderView>('reader/open', { raterId: A })).finalizedAt
    const out = join(tmp.path, 'again.zip')
    const again = await value<{ finalizedAt: string }>('reader/exportRatings', { raterId: A, final: false, outPath: out })
    expect(again.finalizedAt).toBe(first)
    const manifest = ratingsManifestSchema.parse(JSON.parse((await readZip(out)).get(RATINGS_MANIFEST_FILE)!.toString('utf8')))
    expect(manifest.finalizedAt).toBe(first)
  })

  it('checks an explicit output path, writing nothing when it is refused', async () => {
    const outDir = join(tmp.path, 'out')
    mkdirSync(outDir)
    const studyBytes = sha256(readFileSync(zipPath))
    expect(await failure('reader/exportRatings', { raterId: B, final: false, outPath: 'ratings.zip' }, 'bad_input')).toMatch(/absolute path/)
    expect(await failure('reader/exportRatings', { raterId: B, final: false, outPath: join(outDir, 'ratings.txt') }, 'bad_input')).toMatch(/end in \.zip/)
    expect(await failure('reader/exportRatings', { raterId: B, final: false, outPath: join(outDir, 'missing', 'r.zip') }, 'bad_input')).toMatch(/does not exist/)
    expect(await failure('reader/exportRatings', { raterId: B, final: false, outPath: zipPath }, 'bad_input')).toMatch(/study file itself/)
    expect(readdirSync(outDir)).toEqual([])
    expect(sha256(readFileSync(zipPath))).toBe(studyBytes)
    const r = await value<{ path: string; ratings: number; total: number }>('reader/exportRatings', { raterId: B, final: false, outPath: join(outDir, 'B.ZIP') })
    expect(r).toMatchObject({ path: join(outDir, 'B.ZIP'), ratings: 1, total: 2 })
    expect(readdirSync(outDir)).toEqual(['B.ZIP'])
    await failure('reader/exportRatings', { raterId: STRANGER }, 'not_found')
  })

  it('never writes the ratings through a symbolic link at the output path', async () => {
    const outDir = join(tmp.path, 'out-link')
    mkdirSync(outDir)
    const victim = join(tmp.path, 'victim.zip')
    writeFileSync(victim, 'not yours')
    symlinkSync(victim, join(outDir, 'ratings.zip'))
    symlinkSync(zipPath, join(outDir, 'study-link.zip'))
    expect(await failure('reader/exportRatings', { raterId: B, final: false, outPath: join(outDir, 'ratings.zip') }, 'bad_input')).toMatch(/symbolic link/)
    // A link to the study file gets the study file's own refusal.
    expect(await failure('reader/exportRatings', { raterId: B, final: false, outPath: join(outDir, 'study-link.zip') }, 'bad_input')).toMatch(/study file itself/)
    expect(readFileSync(victim, 'utf8')).toBe('not yours')
    expect(readdirSync(outDir).sort()).toEqual(['ratings.zip', 'study-link.zip'])
  })
})

describe('a study that narrows the answers of a field', () => {
  it('refuses an answer outside the study’s vocabulary', async () => {
    const manifest = { ...studyManifest(media), studyId: '22222222-2222-4222-8222-222222222222', vocabularies: { label: ['covid', 'healthy'] } }
    const zip = await writeStudyZip(join(tmp.path, 'narrow.zip'), studyParts(media, manifest))
    const narrow = await openStudy(zip, { studiesDir: join(tmp.path, 'studies') })
    try {
      expect(() => narrow.service.submit({ raterId: A, clipNo: 1, values: { ...answer, label: 'other' }, confidence: 3, comment: '' })).toThrow(
        /Clip 1 of 3: "other" is not one of the answers this study allows for label/
      )
      expect(narrow.service.submit({ raterId: A, clipNo: 1, values: { ...answer, label: 'healthy' }, confidence: 3, comment: '' }).rated).toBe(1)
    } finally {
      narrow.close()
    }
  })
})
