/**
 * Rater key frames: the table (migration 006), and the rater-mode operations
 * that mark them, which follow the rating's rules (rater in the set, clip in
 * the set, not once the rating is final) and never name the clip's file.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCatalog, schemaVersion } from '../../../src/main/catalog/database'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/main/catalog/migrations'
import { migration006 } from '../../../src/main/catalog/migrations/006-rater-key-frames'
import type { Rater, ReviewSet } from '../../../src/shared/ratingsContract'
import { tempDir } from '../../helpers/paths'
import { CLIPS, error, openEnv, value, writeDataset, type Env } from './fixture'

let dir: ReturnType<typeof tempDir>
beforeEach(() => (dir = tempDir('lus-keyframes-')))
afterEach(() => dir.cleanup())

describe('migration 006 (rater key frames)', () => {
  it('is listed sixth', () => {
    expect(MIGRATIONS[5]).toBe(migration006)
    expect(migration006.version).toBe(6)
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(6)
  })

  it('upgrades a version-5 catalog with a rated set, keeping every row, and its table refuses what the app never writes', () => {
    const file = join(dir.path, 'v5.db')
    const v5 = openCatalog(file, { migrations: MIGRATIONS.slice(0, 5) })
    expect(schemaVersion(v5)).toBe(5)
    v5.prepare(
      `INSERT INTO sources (root, csv_name, csv_sha256, header_raw, record_delimiter, final_newline, bom, imported_at)
       VALUES ('/d', 'dataset_metadata.csv', 'x', 'h', char(10), 1, 0, 'now')`
    ).run()
    const entry = v5.prepare(
      `INSERT INTO entries (source_id, row_no, sort_key, cells, filename, label, label_raw, probe, type, license, source_ref,
        location, title, search_text, normalized, warnings, media_status, updated_at)
       VALUES (1, ?, ?, '[]', ?, 'covid', 'COVID-19', 'linear', 'video', '', '', '', '', '', '{}', '[]', 'missing', 'now')`
    )
    entry.run(1, 1, 'Cov_x')
    entry.run(2, 2, 'Reg_y')
    const set = '11111111-1111-4111-8111-111111111111'
    const rater = '22222222-2222-4222-8222-222222222222'
    const outsider = '33333333-3333-4333-8333-333333333333'
    v5.prepare("INSERT INTO raters (id, name, role, created_at) VALUES (?, 'Dr A', 'rater', 'now'), (?, 'Dr Out', 'rater', 'now')").run(rater, outsider)
    v5.prepare(
      `INSERT INTO review_sets (id, name, query, fields, blinded, reveal_after_submit, queue_order, seed, created_at)
       VALUES (?, 's', '{}', '["label"]', 1, 0, 'random', 1, 'now')`
    ).run(set)
    v5.prepare('INSERT INTO review_set_raters (set_id, rater_id, position) VALUES (?, ?, 1)').run(set, rater)
    v5.prepare("INSERT INTO review_set_items (set_id, entry_id, position, clip_no, media_sha256, filename, row_no) VALUES (?, 1, 1, 1, NULL, 'Cov_x', 1)").run(set)
    v5.prepare(
      `INSERT INTO ratings (set_id, entry_id, rater_id, answers, confidence, comment, submitted_at, updated_at)
       VALUES (?, 1, ?, '{"label":"covid"}', 3, '', 'now', 'now')`
    ).run(set, rater)
    v5.close()

    const db = openCatalog(file, { migrations: MIGRATIONS.slice(0, 6) })
    expect(schemaVersion(db)).toBe(6)
    expect(db.prepare('SELECT count(*) AS n FROM ratings').get()).toEqual({ n: 1 })
    expect(db.prepare('SELECT filename FROM entries ORDER BY id').all()).toEqual([{ filename: 'Cov_x' }, { filename: 'Reg_y' }])
    const mark = db.prepare(
      "INSERT INTO rater_key_frames (set_id, rater_id, entry_id, frame, note, created_at, updated_at) VALUES (?, ?, ?, ?, 'n', 'now', 'now')"
    )
    expect(() => mark.run(set, rater, 1, -1)).toThrow(/CHECK/)
    expect(() => mark.run(set, rater, 2, 0)).toThrow(/FOREIGN KEY/) // entry 2 is not an item of the set
    expect(() => mark.run(set, outsider, 1, 0)).toThrow(/FOREIGN KEY/) // not a rater of the set
    expect(() => db.prepare("INSERT INTO rater_key_frames (set_id, rater_id, entry_id, frame, created_at, updated_at) VALUES (?, ?, 1, 0, 'now', 'now')").run(set, rater)).toThrow(/NOT NULL/)
    mark.run(set, rater, 1, 0)
    mark.run(set, rater, 1, 7)
    expect(() => mark.run(set, rater, 1, 7)).toThrow(/UNIQUE|PRIMARY KEY/)
    // Removing the rater from the set removes their key frames; deleting the set removes the rest.
    db.prepare('DELETE FROM review_set_raters WHERE set_id = ? AND rater_id = ?').run(set, rater)
    expect(db.prepare('SELECT count(*) AS n FROM rater_key_frames').get()).toEqual({ n: 0 })
    db.prepare('INSERT INTO review_set_raters (set_id, rater_id, position) VALUES (?, ?, 1)').run(set, rater)
    mark.run(set, rater, 1, 3)
    db.prepare('DELETE FROM review_sets WHERE id = ?').run(set)
    expect(db.prepare('SELECT count(*) AS n FROM rater_key_frames').get()).toEqual({ n: 0 })
    db.close()
  })
})

describe('rater key frames', () => {
  let env: Env
  let a: Rater
  let b: Rater
  let outsider: Rater

  beforeEach(async () => {
    writeDataset(join(dir.path, 'ds'))
    env = await openEnv(dir.path, join(dir.path, 'ds'))
    a = value(await env.call('raters/create', { name: 'Dr A' }))
    b = value(await env.call('raters/create', { name: 'Dr B' }))
    outsider = value(await env.call('raters/create', { name: 'Dr Out' }))
  })
  afterEach(() => env.close())

  const makeSet = async (extra: Record<string, unknown> = {}): Promise<ReviewSet> =>
    value(await env.call('reviewSets/create', { name: 'Key frame study', query: {}, fields: ['label'], raterIds: [a.id, b.id], seed: 3, ...extra }))

  it('are marked, re-noted and removed per rater and clip, and the clip view lists them sorted by frame', async () => {
    const set = await makeSet()
    const at = { setId: set.id, raterId: a.id, clipNo: 2 }
    expect(value(await env.call('rater/keyFrames/set', { ...at, frame: 40, note: 'B-lines clearest' })).keyFrames).toEqual([{ frame: 40, note: 'B-lines clearest' }])
    value(await env.call('rater/keyFrames/set', { ...at, frame: 3, note: '' }))
    const renoted = value(await env.call('rater/keyFrames/set', { ...at, frame: 40, note: 'pleural line' })).keyFrames
    expect(renoted).toEqual([
      { frame: 3, note: '' },
      { frame: 40, note: 'pleural line' }
    ])
    // Another rater's key frames, and another clip's, are their own.
    value(await env.call('rater/keyFrames/set', { setId: set.id, raterId: b.id, clipNo: 2, frame: 9, note: 'mine' }))
    value(await env.call('rater/keyFrames/set', { ...at, clipNo: 5, frame: 1, note: 'other clip' }))
    const view = value(await env.call('rater/clip', at))
    expect(view.clip!.keyFrames).toEqual(renoted)
    expect(value(await env.call('rater/clip', { ...at, raterId: b.id })).clip!.keyFrames).toEqual([{ frame: 9, note: 'mine' }])

    expect(value(await env.call('rater/keyFrames/remove', { ...at, frame: 3 })).keyFrames).toEqual([{ frame: 40, note: 'pleural line' }])
    // Removing a frame that is not marked leaves the list as it is.
    expect(value(await env.call('rater/keyFrames/remove', { ...at, frame: 1234 })).keyFrames).toEqual([{ frame: 40, note: 'pleural line' }])
    expect(env.service.keyFrames.list(set.id, a.id, env.service.sets.itemByClipNo(set.id, 2)!.entryId)).toEqual([{ frame: 40, note: 'pleural line' }])
  })

  it('keeps when a key frame was first marked, and moves updated_at only when its note changes', async () => {
    const set = await makeSet()
    const entryId = env.service.sets.itemByClipNo(set.id, 1)!.entryId
    env.service.keyFrames.put(set.id, a.id, entryId, { frame: 5, note: 'x' }, '2026-01-01T00:00:00.000Z')
    env.service.keyFrames.put(set.id, a.id, entryId, { frame: 5, note: 'x' }, '2026-02-01T00:00:00.000Z')
    const times = (): unknown => env.db.prepare('SELECT created_at, updated_at FROM rater_key_frames WHERE frame = 5').get()
    expect(times()).toEqual({ created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' })
    env.service.keyFrames.put(set.id, a.id, entryId, { frame: 5, note: 'y' }, '2026-03-01T00:00:00.000Z')
    expect(times()).toEqual({ created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-03-01T00:00:00.000Z' })
  })

  it('are refused for a rater outside the set, a clip the set does not have, and a final rating, naming clips only by handle', async () => {
    const set = await makeSet({ revealAfterSubmit: true })
    const where = { setId: set.id, raterId: a.id, clipNo: 4, frame: 2 }
    const at = { ...where, note: 'n' }
    expect(error(await env.call('rater/keyFrames/set', { ...at, raterId: outsider.id }), 'not_found').message).toMatch(/not part of review set "Key frame study"/)
    expect(error(await env.call('rater/keyFrames/set', { ...at, clipNo: 99 }), 'not_found').message).toMatch(/has no clip 99/)
    expect(error(await env.call('rater/keyFrames/remove', { ...where, clipNo: 99 }), 'not_found').message).toMatch(/has no clip 99/)
    // Before the rating is submitted, key frames can be marked freely.
    value(await env.call('rater/keyFrames/set', at))
    value(await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 4, values: { label: 'covid' }, confidence: 4 }))
    const view = value(await env.call('rater/clip', { setId: set.id, raterId: a.id, clipNo: 4 })).clip!
    expect(view.canEdit).toBe(false)
    expect(view.keyFrames).toEqual([{ frame: 2, note: 'n' }])
    const refused = [
      error(await env.call('rater/keyFrames/set', { ...at, frame: 8 }), 'conflict'),
      error(await env.call('rater/keyFrames/remove', where), 'conflict')
    ]
    for (const e of refused) {
      expect(e.message).toBe('Clip 4 of 8: your rating was revealed against the others and is final; its key frames cannot be changed.')
      for (const c of CLIPS) expect(e.message).not.toContain(c.name)
    }
    expect(value(await env.call('rater/clip', { setId: set.id, raterId: a.id, clipNo: 4 })).clip!.keyFrames).toEqual([{ frame: 2, note: 'n' }])
  })

  it('are validated by the contract: no negative frame, no overlong note', async () => {
    const set = await makeSet()
    const at = { setId: set.id, raterId: a.id, clipNo: 1 }
    error(await env.call('rater/keyFrames/set', { ...at, frame: -1, note: '' }), 'invalid_request')
    error(await env.call('rater/keyFrames/set', { ...at, frame: 1.5, note: '' }), 'invalid_request')
    error(await env.call('rater/keyFrames/set', { ...at, frame: 1, note: 'x'.repeat(501) }), 'invalid_request')
  })
})
