/**
 * Offline merge: bundles carry a set and its ratings between machines whose
 * datasets live in different places; clips are matched by content hash.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readZip } from '../../../src/main/ratings/bundle/zipReader'
import type { Rater, RatingValues, ReviewSet } from '../../../src/shared/ratingsContract'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { tempDir } from '../../helpers/paths'
import { CLIPS, error, openEnv, value, writeDataset, type Env } from './fixture'

let dir: ReturnType<typeof tempDir>
let A: Env
let B: Env
let drA: Rater
let drB: Rater
let set: ReviewSet

/** Machine B has a copy of the dataset elsewhere, with the videos moved to another subfolder. */
function copyElsewhere(from: string, to: string): void {
  cpSync(from, to, { recursive: true })
  mkdirSync(join(to, 'pocus_videos', 'moved'), { recursive: true })
  for (const f of readdirSync(join(to, 'pocus_videos', 'convex'))) renameSync(join(to, 'pocus_videos', 'convex', f), join(to, 'pocus_videos', 'moved', f))
}

const filenameOf = (env: Env, clipNo: number): string => env.repository.get(env.service.sets.itemByClipNo(set.id, clipNo)!.entryId).summary.filename

async function rateAll(env: Env, rater: Rater, label: RatingValues['label'], comment = ''): Promise<void> {
  for (let clipNo = 1; clipNo <= CLIPS.length; clipNo++)
    value(await env.call('rater/submit', { setId: set.id, raterId: rater.id, clipNo, values: { label, 'B-lines': 'present' }, confidence: 3, comment }))
}

async function exportFrom(env: Env, name: string, raterIds?: string[]): Promise<string> {
  const path = join(dir.path, name)
  value(await env.call('bundles/export', { setId: set.id, outPath: path, ...(raterIds ? { raterIds } : {}) }))
  return path
}

beforeEach(async () => {
  dir = tempDir('lus-bundle-')
  writeDataset(join(dir.path, 'a', 'ds'))
  copyElsewhere(join(dir.path, 'a', 'ds'), join(dir.path, 'b', 'elsewhere'))
  A = await openEnv(join(dir.path, 'a'), join(dir.path, 'a', 'ds'))
  B = await openEnv(join(dir.path, 'b'), join(dir.path, 'b', 'elsewhere'))
  drA = value(await A.call('raters/create', { name: 'Dr A' }))
  drB = value(await A.call('raters/create', { name: 'Dr B' }))
  set = value(
    await A.call('reviewSets/create', { name: 'Piacenza linear', query: {}, fields: ['label', 'B-lines'], raterIds: [drA.id, drB.id], seed: 9 })
  )
})
afterEach(() => {
  A.close()
  B.close()
  dir.cleanup()
})

describe('exporting a bundle', () => {
  it('writes manifest, set, raters and ratings with checksums, and no media', async () => {
    await rateAll(A, drA, 'covid')
    const path = join(dir.path, 'out.zip')
    const result = value(await A.call('bundles/export', { setId: set.id, outPath: path }))
    expect(result).toMatchObject({ path, clips: 8, ratings: 8, clipsMatchedByHash: 8, clipsMatchedByFilename: 0, warnings: [] })
    const files = await readZip(path)
    expect([...files.keys()].sort()).toEqual(['manifest.json', 'raters.json', 'ratings.json', 'set.json'])
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as Record<string, unknown>
    expect(manifest).toMatchObject({
      format: 'lus-review-bundle',
      schemaVersion: 1,
      appVersion: 'test',
      set: { id: set.id, name: 'Piacenza linear', clips: 8 },
      raters: [
        { id: drA.id, name: 'Dr A' },
        { id: drB.id, name: 'Dr B' }
      ],
      ratings: 8,
      clipMatching: { bySha256: 8, byFilenameAndRow: 0 }
    })
    expect(manifest.payloadSha256).toMatch(/^[0-9a-f]{64}$/)
    const clips = (JSON.parse(files.get('set.json')!.toString()) as { clips: { sha256: string; clipNo: number }[] }).clips
    const shaOf = (clipNo: number): string | null => A.service.sets.itemByClipNo(set.id, clipNo)!.mediaSha256
    for (const c of clips) expect(c.sha256).toBe(shaOf(c.clipNo))
    expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false)
  })

  it('refuses bad output paths and raters outside the set', async () => {
    expect(error(await A.call('bundles/export', { setId: set.id, outPath: 'rel.zip' }), 'bad_input').message).toMatch(/absolute path/)
    expect(error(await A.call('bundles/export', { setId: set.id, outPath: join(dir.path, 'x.txt') }), 'bad_input').message).toMatch(/end in \.zip/)
    expect(error(await A.call('bundles/export', { setId: set.id, outPath: join(dir.path, 'no', 'x.zip') }), 'bad_input').message).toMatch(/does not exist/)
    const other = value(await A.call('raters/create', { name: 'Dr Other' }))
    expect(error(await A.call('bundles/export', { setId: set.id, outPath: join(dir.path, 'x.zip'), raterIds: [other.id] }), 'bad_input'))
  })
})

describe('importing a bundle on another machine', () => {
  it('creates the set, its raters and ratings, matching clips by content hash and not by path', async () => {
    await rateAll(A, drA, 'covid', 'from A')
    const path = await exportFrom(A, 'a.zip')
    const result = value(await B.call('bundles/import', { path }))
    expect(result).toMatchObject({
      applied: true,
      setId: set.id,
      setName: 'Piacenza linear',
      setCreated: true,
      ratersAdded: ['Dr A', 'Dr B'],
      ratingsAdded: 8,
      ratingsUnchanged: 0,
      conflicts: [],
      clipsMatchedByHash: 8,
      clipsMatchedByFilename: 0
    })
    // The same clip numbers name the same clips, though B's files live elsewhere.
    for (let clipNo = 1; clipNo <= 8; clipNo++) expect(filenameOf(B, clipNo)).toBe(filenameOf(A, clipNo))
    expect(B.repository.get(B.service.sets.itemByClipNo(set.id, 1)!.entryId).media!.relPath).toMatch(/^pocus_videos\/moved\//)
    const onB = value(await B.call('reviewSets/get', { setId: set.id }))
    const onA = value(await A.call('reviewSets/get', { setId: set.id }))
    expect(onB).toEqual(onA)
    expect(B.service.ratings.ofSet(set.id).map((r) => r.comment)).toEqual(Array(8).fill('from A'))
  })

  it('is idempotent: importing the same bundle again changes nothing', async () => {
    await rateAll(A, drA, 'covid')
    const path = await exportFrom(A, 'a.zip')
    value(await B.call('bundles/import', { path }))
    const before = snapshotCatalog(B.db)
    const again = value(await B.call('bundles/import', { path }))
    expect(again).toMatchObject({ applied: true, setCreated: false, ratersAdded: [], ratingsAdded: 0, ratingsUnchanged: 8, conflicts: [] })
    expect(snapshotCatalog(B.db)).toBe(before)
    // Importing a bundle into the machine it came from changes nothing either.
    const beforeA = snapshotCatalog(A.db)
    expect(value(await A.call('bundles/import', { path }))).toMatchObject({ ratingsUnchanged: 8, ratingsAdded: 0 })
    expect(snapshotCatalog(A.db)).toBe(beforeA)
  })

  it('merges ratings made on each machine back into one', async () => {
    // The coordinator sends the set out without ratings; B's rater rates on B and sends theirs back.
    const out = await exportFrom(A, 'definition.zip', [])
    expect(value(await B.call('bundles/import', { path: out })).ratingsAdded).toBe(0)
    await rateAll(A, drA, 'covid')
    await rateAll(B, drB, 'healthy')
    const back = await exportFrom(B, 'from-b.zip', [drB.id])
    expect(value(await A.call('bundles/import', { path: back }))).toMatchObject({ applied: true, ratingsAdded: 8, setCreated: false })
    const setOnA = value(await A.call('reviewSets/get', { setId: set.id }))
    expect(setOnA.complete).toBe(8)
    const label = value(await A.call('reviewSets/agreement', { setId: set.id, replicates: 0 })).fields[0]!.report
    expect(label.cohenKappa[0]).toMatchObject({ raters: ['Dr A', 'Dr B'], n: 8, observedAgreement: 0 })
  })

  it('lists a rater’s differing ratings of one clip on two machines as conflicts and writes nothing until each is resolved', async () => {
    value(await B.call('bundles/import', { path: await exportFrom(A, 'definition.zip', []) }))
    await rateAll(B, drB, 'healthy')
    // The same rater (same id) also rated clip 2 on machine A, differently.
    value(await A.call('rater/submit', { setId: set.id, raterId: drB.id, clipNo: 2, values: { label: 'covid', 'B-lines': 'absent' }, confidence: 5 }))
    const path = await exportFrom(B, 'from-b.zip', [drB.id])
    const before = snapshotCatalog(A.db)

    const first = value(await A.call('bundles/import', { path }))
    expect(first).toMatchObject({ applied: false, ratingsAdded: 7, ratingsReplaced: 0 })
    expect(first.conflicts).toHaveLength(1)
    const conflict = first.conflicts[0]!
    expect(conflict).toMatchObject({
      key: `${drB.id}:2`,
      rater: 'Dr B',
      clipNo: 2,
      mine: { values: { label: 'covid', 'B-lines': 'absent' }, confidence: 5 },
      theirs: { values: { label: 'healthy', 'B-lines': 'present' }, confidence: 3 }
    })
    expect(snapshotCatalog(A.db)).toBe(before)

    expect(error(await A.call('bundles/import', { path, resolutions: { 'nope:1': 'mine' } }), 'bad_input').message).toMatch(/conflicts it does not have/)
    expect(value(await A.call('bundles/import', { path, resolutions: { [conflict.key]: 'mine' }, dryRun: true })).applied).toBe(false)
    expect(snapshotCatalog(A.db)).toBe(before)

    const kept = value(await A.call('bundles/import', { path, resolutions: { [conflict.key]: 'mine' } }))
    expect(kept).toMatchObject({ applied: true, ratingsAdded: 7, ratingsKept: 1, ratingsReplaced: 0 })
    const entry2 = A.service.sets.itemByClipNo(set.id, 2)!.entryId
    expect(A.service.ratings.find(set.id, drB.id, entry2)!.values.label).toBe('covid')

    const taken = value(await A.call('bundles/import', { path, resolutions: { [conflict.key]: 'theirs' } }))
    expect(taken).toMatchObject({ applied: true, ratingsAdded: 0, ratingsUnchanged: 7, ratingsReplaced: 1 })
    expect(A.service.ratings.find(set.id, drB.id, entry2)!.values.label).toBe('healthy')
  })

  it('names clips without media by file name and CSV row, and says so', async () => {
    const clips = CLIPS.map((c, i) => (i === 4 ? { ...c, noMedia: true } : c))
    writeDataset(join(dir.path, 'c', 'ds'), clips)
    writeDataset(join(dir.path, 'd', 'ds'), clips)
    const C = await openEnv(join(dir.path, 'c'), join(dir.path, 'c', 'ds'))
    const D = await openEnv(join(dir.path, 'd'), join(dir.path, 'd', 'ds'))
    try {
      const r = value(await C.call('raters/create', { name: 'Dr C' }))
      const s = value(await C.call('reviewSets/create', { name: 's', query: {}, fields: ['label'], raterIds: [r.id], blinded: false, seed: 1 }))
      expect(s.clipsWithoutMedia).toBe(1)
      const out = join(dir.path, 'c.zip')
      const exported = value(await C.call('bundles/export', { setId: s.id, outPath: out }))
      expect(exported).toMatchObject({ clipsMatchedByHash: 7, clipsMatchedByFilename: 1 })
      expect(exported.warnings[0]).toMatch(/1 of 8 clips have no media content hash/)
      const manifest = JSON.parse((await readZip(out)).get('manifest.json')!.toString()) as { clipMatching: { note: string } }
      expect(manifest.clipMatching.note).toMatch(/1 clips without media are matched by file name and CSV row/)
      const imported = value(await D.call('bundles/import', { path: out }))
      expect(imported).toMatchObject({ applied: true, clipsMatchedByHash: 7, clipsMatchedByFilename: 1 })
      expect(imported.warnings).toEqual(['1 clips had no media on the exporting machine and were matched by file name and CSV row.'])
      const item5 = D.service.sets.itemByClipNo(s.id, 5)!
      expect(D.repository.get(item5.entryId).summary.filename).toBe('Cov_Butterfly_5')
    } finally {
      C.close()
      D.close()
    }
  })
})
