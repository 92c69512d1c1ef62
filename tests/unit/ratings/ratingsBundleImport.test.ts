/**
 * The coordinator imports a reader's ratings bundle (rater → coordinator)
 * with bundles/import: clips come back by their number in the set, which
 * only the catalog that made the set can map to entries. Bundles are built
 * here from the format itself, as the reader workstation writes them.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { zipBuffers } from '../../../src/main/ratings/bundle/zipWriter'
import {
  RATINGS_FORMAT,
  RATINGS_MANIFEST_FILE,
  RATINGS_PAYLOAD_FILE,
  RATINGS_SCHEMA_VERSION,
  type RatingsManifest,
  type ReaderRating
} from '../../../src/main/ratings/readerBundle/readerFormats'
import type { Rater, ReviewSet } from '../../../src/shared/ratingsContract'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { tempDir } from '../../helpers/paths'
import { error, openEnv, value, writeDataset, type Env } from './fixture'
import { sha256Bytes } from '../../../src/main/media/contentHash'

let dir: ReturnType<typeof tempDir>
let env: Env
let a: Rater
let b: Rater
let set: ReviewSet

beforeEach(async () => {
  dir = tempDir('lus-ratings-import-')
  writeDataset(join(dir.path, 'ds'))
  env = await openEnv(dir.path, join(dir.path, 'ds'))
  a = value(await env.call('raters/create', { name: 'Dr A' }))
  b = value(await env.call('raters/create', { name: 'Dr B' }))
  set = value(await env.call('reviewSets/create', { name: 'Reader study', query: {}, fields: ['label', 'B-lines'], raterIds: [a.id, b.id], seed: 4 }))
})
afterEach(() => {
  env.close()
  dir.cleanup()
})

const rating = (clipNo: number, label: string, keyFrames: ReaderRating['keyFrames'] = [], extra: Partial<ReaderRating> = {}): ReaderRating => ({
  clipNo,
  values: { label, 'B-lines': 'present' } as ReaderRating['values'],
  confidence: 4,
  comment: `reader comment ${clipNo}`,
  keyFrames,
  submittedAt: '2026-05-01T10:00:00.000Z',
  updatedAt: '2026-05-01T10:00:00.000Z',
  ...extra
})

interface BundleOptions {
  rater?: { id: string; name: string }
  setId?: string
  setName?: string
  total?: number
  finalizedAt?: string | null
  /** Changes ratings.json after its checksum was taken. */
  tamper?: boolean
  schemaVersion?: number
  extraFile?: boolean
}

let bundles = 0
/** A ratings bundle as the reader workstation writes it. */
async function ratingsBundle(ratings: ReaderRating[], o: BundleOptions = {}): Promise<string> {
  const payload = Buffer.from(JSON.stringify(ratings), 'utf8')
  const rater = o.rater ?? { id: a.id, name: a.name }
  const manifest: RatingsManifest = {
    format: RATINGS_FORMAT,
    schemaVersion: (o.schemaVersion ?? RATINGS_SCHEMA_VERSION) as typeof RATINGS_SCHEMA_VERSION,
    appVersion: 'reader-test',
    created: '2026-05-02T08:00:00.000Z',
    studyId: '99999999-9999-4999-8999-999999999999',
    setId: o.setId ?? set.id,
    setName: o.setName ?? set.name,
    rater,
    finalizedAt: o.finalizedAt === undefined ? '2026-05-02T08:00:00.000Z' : o.finalizedAt,
    ratings: ratings.length,
    total: o.total ?? set.clips,
    ratingsSha256: sha256Bytes(payload)
  }
  const files = [
    { name: RATINGS_MANIFEST_FILE, bytes: Buffer.from(JSON.stringify(manifest), 'utf8') },
    { name: RATINGS_PAYLOAD_FILE, bytes: o.tamper ? Buffer.from(JSON.stringify(ratings).replace('reader comment', 'READER COMMENT'), 'utf8') : payload },
    ...(o.extraFile ? [{ name: 'notes.txt', bytes: Buffer.from('hi') }] : [])
  ]
  const path = join(dir.path, `ratings-${++bundles}.zip`)
  writeFileSync(path, await zipBuffers(files, new Date('2026-05-02T08:00:00Z')))
  return path
}

const entryOf = (clipNo: number): number => env.service.sets.itemByClipNo(set.id, clipNo)!.entryId
const keyFramesOf = (raterId: string, clipNo: number): unknown => env.service.keyFrames.list(set.id, raterId, entryOf(clipNo))

describe('importing a reader’s ratings bundle', () => {
  it('adds the ratings and key frames to the set, matched by clip number, and shows them in rater mode', async () => {
    const path = await ratingsBundle([rating(3, 'covid', [{ frame: 12, note: 'B-lines' }, { frame: 0, note: '' }]), rating(7, 'healthy')])
    const result = value(await env.call('bundles/import', { path }))
    expect(result).toEqual({
      applied: true,
      setId: set.id,
      setName: 'Reader study',
      setCreated: false,
      ratersAdded: [],
      ratingsAdded: 2,
      ratingsUnchanged: 0,
      ratingsReplaced: 0,
      ratingsKept: 0,
      conflicts: [],
      clipsMatchedByHash: 0,
      clipsMatchedByFilename: 0,
      warnings: []
    })
    const stored = env.service.ratings.find(set.id, a.id, entryOf(3))!
    expect(stored).toMatchObject({ values: { label: 'covid', 'B-lines': 'present' }, confidence: 4, comment: 'reader comment 3', submittedAt: '2026-05-01T10:00:00.000Z' })
    expect(env.service.ratings.find(set.id, a.id, entryOf(7))!.values.label).toBe('healthy')
    expect(env.service.ratings.ofSet(set.id)).toHaveLength(2)
    const view = value(await env.call('rater/clip', { setId: set.id, raterId: a.id, clipNo: 3 })).clip!
    expect(view.keyFrames).toEqual([
      { frame: 0, note: '' },
      { frame: 12, note: 'B-lines' }
    ])
    expect(value(await env.call('reviewSets/get', { setId: set.id })).raters.find((r) => r.id === a.id)!.rated).toBe(2)
  })

  it('is idempotent: importing the same bundle again changes nothing', async () => {
    const path = await ratingsBundle([rating(1, 'covid', [{ frame: 4, note: 'x' }]), rating(2, 'other')])
    value(await env.call('bundles/import', { path }))
    const before = snapshotCatalog(env.db)
    const again = value(await env.call('bundles/import', { path }))
    expect(again).toMatchObject({ applied: true, ratingsAdded: 0, ratingsUnchanged: 2, ratingsReplaced: 0, conflicts: [] })
    expect(snapshotCatalog(env.db)).toBe(before)
  })

  it('a later bundle from the same reader updates the key frames of ratings that did not change', async () => {
    value(await env.call('bundles/import', { path: await ratingsBundle([rating(1, 'covid', [{ frame: 4, note: 'x' }, { frame: 9, note: 'y' }])]) }))
    const later = await ratingsBundle([rating(1, 'covid', [{ frame: 9, note: 'y, clearer' }, { frame: 30, note: 'z' }])])
    expect(value(await env.call('bundles/import', { path: later }))).toMatchObject({ applied: true, ratingsUnchanged: 1 })
    expect(keyFramesOf(a.id, 1)).toEqual([
      { frame: 9, note: 'y, clearer' },
      { frame: 30, note: 'z' }
    ])
  })

  it('lists a differing rating of the same clip as a conflict, writes nothing until it is resolved, and key frames follow the kept rating', async () => {
    // The rater also rated clip 2 in the catalog app and marked a key frame there.
    value(await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 2, values: { label: 'healthy', 'B-lines': 'absent' }, confidence: 2 }))
    value(await env.call('rater/keyFrames/set', { setId: set.id, raterId: a.id, clipNo: 2, frame: 5, note: 'mine' }))
    const path = await ratingsBundle([rating(2, 'covid', [{ frame: 8, note: 'theirs' }]), rating(4, 'covid', [{ frame: 1, note: 'new' }])], { finalizedAt: null })
    const before = snapshotCatalog(env.db)

    const first = value(await env.call('bundles/import', { path }))
    expect(first).toMatchObject({ applied: false, ratingsAdded: 1, ratingsReplaced: 0, ratingsKept: 0 })
    expect(first.warnings).toEqual(['Dr A had not declared these ratings final when exporting them: a later bundle from them may still change them.'])
    expect(first.conflicts).toEqual([
      {
        key: `${a.id}:2`,
        rater: 'Dr A',
        clipNo: 2,
        mine: expect.objectContaining({ values: { label: 'healthy', 'B-lines': 'absent' }, confidence: 2 }),
        theirs: expect.objectContaining({ values: { label: 'covid', 'B-lines': 'present' }, confidence: 4 })
      }
    ])
    expect(snapshotCatalog(env.db)).toBe(before)
    const key = first.conflicts[0]!.key
    expect(value(await env.call('bundles/import', { path, resolutions: { [key]: 'theirs' }, dryRun: true })).applied).toBe(false)
    expect(snapshotCatalog(env.db)).toBe(before)
    expect(error(await env.call('bundles/import', { path, resolutions: { 'x:9': 'mine' } }), 'bad_input').message).toMatch(/conflicts it does not have/)

    const kept = value(await env.call('bundles/import', { path, resolutions: { [key]: 'mine' } }))
    expect(kept).toMatchObject({ applied: true, ratingsAdded: 1, ratingsKept: 1 })
    expect(env.service.ratings.find(set.id, a.id, entryOf(2))!.values.label).toBe('healthy')
    expect(keyFramesOf(a.id, 2)).toEqual([{ frame: 5, note: 'mine' }])
    expect(keyFramesOf(a.id, 4)).toEqual([{ frame: 1, note: 'new' }])

    const taken = value(await env.call('bundles/import', { path, resolutions: { [key]: 'theirs' } }))
    expect(taken).toMatchObject({ applied: true, ratingsAdded: 0, ratingsUnchanged: 1, ratingsReplaced: 1 })
    expect(env.service.ratings.find(set.id, a.id, entryOf(2))!.values.label).toBe('covid')
    expect(keyFramesOf(a.id, 2)).toEqual([{ frame: 8, note: 'theirs' }])
  })

  it('refuses a bundle of a set this catalog does not have, saying where it must be imported', async () => {
    const before = snapshotCatalog(env.db)
    const path = await ratingsBundle([rating(1, 'covid')], { setId: '12345678-1234-4234-8234-123456789abc', setName: 'Someone else’s study' })
    const e = error(await env.call('bundles/import', { path }), 'not_found')
    expect(e.message).toContain('review set "Someone else’s study" (id 12345678-1234-4234-8234-123456789abc)')
    expect(e.message).toMatch(/only be imported on the coordinator's machine that made the reader bundle/)
    expect(snapshotCatalog(env.db)).toBe(before)
  })

  it('refuses a rater who is not in the set, clips the set does not have, values the set does not rate, and damaged bundles, writing nothing', async () => {
    const outsider = value(await env.call('raters/create', { name: 'Dr Out' }))
    const before = snapshotCatalog(env.db)
    const refusals: [Promise<string>, string, RegExp][] = [
      [ratingsBundle([rating(1, 'covid')], { rater: { id: outsider.id, name: 'Dr Out' } }), 'bad_input', /its rater "Dr Out" is not a rater of review set "Reader study"/],
      [ratingsBundle([rating(1, 'covid'), rating(9, 'covid')]), 'bad_input', /rates clip 9, which review set "Reader study" does not have/],
      [ratingsBundle([rating(1, 'covid'), rating(1, 'healthy')]), 'bad_input', /rates clip 1 twice/],
      [ratingsBundle([rating(1, 'covid', [], { values: { label: 'covid', 'B-lines': 'present', Fever: 'yes' } })]), 'bad_input', /Clip 1: this review set does not rate Fever/],
      [ratingsBundle([rating(1, 'covid', [], { values: { label: 'covid' } })]), 'bad_input', /Clip 1: rate every field before submitting \(missing: B-lines\)/],
      [ratingsBundle([rating(1, 'covid', [{ frame: 3, note: 'a' }, { frame: 3, note: 'b' }])]), 'bad_input', /marks a key frame of clip 1 twice/],
      [ratingsBundle([rating(1, 'covid')], { tamper: true }), 'bad_input', /checksum of ratings\.json does not match the manifest/],
      [ratingsBundle([rating(1, 'covid')], { total: 5 }), 'bad_input', /study of 5 clips, but review set "Reader study" has 8 here/],
      [ratingsBundle([rating(1, 'covid')], { extraFile: true }), 'bad_input', /unexpected file "notes\.txt"/],
      [ratingsBundle([rating(1, 'covid')], { schemaVersion: 2 }), 'unsupported', /schema version 2.*update the app/]
    ]
    for (const [bundle, code, message] of refusals) {
      const path = await bundle
      expect(error(await env.call('bundles/import', { path }), code).message).toMatch(message)
      expect(error(await env.call('bundles/import', { path, dryRun: true }), code).message).toMatch(message)
    }
    expect(snapshotCatalog(env.db)).toBe(before)
  })

  it('keeps the local rater name when the bundle spells it differently, and says so', async () => {
    const path = await ratingsBundle([rating(1, 'covid')], { rater: { id: b.id, name: 'Doctor B' } })
    const result = value(await env.call('bundles/import', { path }))
    expect(result.warnings).toEqual(['Rater "Doctor B" is called "Dr B" here; the local name is kept.'])
    expect(env.service.ratings.find(set.id, b.id, entryOf(1))).not.toBeNull()
  })
})
