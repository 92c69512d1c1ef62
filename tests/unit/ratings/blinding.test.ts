/**
 * Blinding is enforced at the API: every rater-mode operation's result (and
 * error) is checked, as JSON text, for anything that reveals the reference
 * label or other raters' ratings.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RATER_MODE_OPERATIONS, type Rater, type RatingValues, type ReviewSet } from '../../../src/shared/ratingsContract'
import type { Result } from '../../../src/shared/result'
import { LABEL_INFO, LABELS } from '../../../src/shared/vocabulary'
import { tempDir } from '../../helpers/paths'
import { CLIPS, openEnv, value, writeDataset, type Env } from './fixture'

let dir: ReturnType<typeof tempDir>
let env: Env
let a: Rater
let b: Rater

/** What reveals the reference label, in any cell or normalized field, for every clip. */
const REFERENCE_SECRETS = [
  ...CLIPS.map((c) => c.name),
  'Cov_',
  'Pneu_',
  'Reg_',
  'Vir_',
  ...CLIPS.flatMap((c) => Object.values(c.extra ?? {}).filter((v) => /SECRET/.test(v))),
  'SECRET',
  ...LABELS.map((l) => LABEL_INFO[l].csv),
  'pocus_videos',
  '.mp4'
]
/** Label keys as JSON strings: a rater who has not submitted a clip sees no label value at all. */
const LABEL_VALUES = LABELS.map((l) => JSON.stringify(l))
const A_SECRET = 'A-PRIVATE-NOTE'
/** Keys that must never appear in a rater-mode result. */
const FORBIDDEN_KEYS = new Set(['entryId', 'filename', 'cells', 'normalized', 'title', 'url', 'summary', 'relPath', 'warnings', 'row', 'sourceId'])

function keysOf(x: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(x)) x.forEach((v) => keysOf(v, out))
  else if (x !== null && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      out.add(k)
      keysOf(v, out)
    }
  }
  return out
}

function assertBlind(r: Result<unknown>, extra: readonly string[] = []): void {
  const text = JSON.stringify(r)
  for (const s of [...REFERENCE_SECRETS, A_SECRET, ...extra]) expect(text, `leaked ${s}`).not.toContain(s)
  for (const k of keysOf(r)) expect(FORBIDDEN_KEYS.has(k), `leaked key ${k}`).toBe(false)
}

beforeEach(async () => {
  dir = tempDir('lus-blind-')
  writeDataset(join(dir.path, 'ds'))
  env = await openEnv(dir.path, join(dir.path, 'ds'))
  a = value(await env.call('raters/create', { name: 'Dr A' }))
  b = value(await env.call('raters/create', { name: 'Dr B' }))
})
afterEach(() => {
  env.close()
  dir.cleanup()
})

async function blindedSet(revealAfterSubmit: boolean): Promise<ReviewSet> {
  const set = value(
    await env.call('reviewSets/create', {
      name: 'Piacenza linear',
      query: {},
      fields: ['label', 'B-lines', 'Fever', 'comments', 'patientId'],
      raterIds: [a.id, b.id],
      blinded: true,
      revealAfterSubmit,
      order: 'random',
      seed: 3
    })
  )
  // A rates everything first, with an answer and a comment B must not see.
  for (let clipNo = 1; clipNo <= CLIPS.length; clipNo++) {
    value(
      await env.call('rater/submit', {
        setId: set.id,
        raterId: a.id,
        clipNo,
        values: { label: 'viral_pneumonia', 'B-lines': 'not_assessed', Fever: 'n/A', comments: `${A_SECRET} on clip`, patientId: 'A-PID' },
        confidence: 5,
        comment: `${A_SECRET} free`
      })
    )
  }
  return set
}

const bRating: RatingValues = { label: 'other', 'B-lines': 'absent', Fever: 'no', comments: 'B note', patientId: '' }

describe('blinded review sets, in rater mode', () => {
  it('every rater-mode operation is covered by these tests', () => {
    expect([...RATER_MODE_OPERATIONS].sort()).toEqual(['rater/clip', 'rater/next', 'rater/sets', 'rater/submit'])
  })

  it('return no reference label, CSV cell, file name or other rater’s rating before or after submitting (no reveal)', async () => {
    const set = await blindedSet(false)
    const results: Result<unknown>[] = []
    results.push(await env.call('rater/sets', { raterId: b.id }))
    results.push(await env.call('rater/next', { setId: set.id, raterId: b.id }))
    for (let clipNo = 1; clipNo <= CLIPS.length; clipNo++) results.push(await env.call('rater/clip', { setId: set.id, raterId: b.id, clipNo }))
    // Errors too: they name clips by handle only.
    results.push(await env.call('rater/clip', { setId: set.id, raterId: b.id, clipNo: 99 }))
    results.push(await env.call('rater/submit', { setId: set.id, raterId: b.id, clipNo: 4, values: { label: 'covid' }, confidence: 3 }))
    results.push(await env.call('rater/submit', { setId: set.id, raterId: b.id, clipNo: 4, values: { ...bRating, Fever: 'maybe' } as unknown as RatingValues, confidence: 3 }))
    for (const r of results) {
      assertBlind(r, [...LABEL_VALUES, '"present"', '"absent"', 'A-PID'])
    }
    const view = value(await env.call('rater/next', { setId: set.id, raterId: b.id }))
    expect(view.clip).toMatchObject({ handle: expect.stringMatching(/^Clip \d of 8$/), myRating: null, revealed: null, canEdit: true })
    expect(view.clip!.mediaId).toEqual(expect.any(Number))
    expect(view.clip!.mediaKind).toBe('video')

    // B submits every clip; with reveal off, B still sees only B's own rating.
    for (let clipNo = 1; clipNo <= CLIPS.length; clipNo++) {
      const r = await env.call('rater/submit', { setId: set.id, raterId: b.id, clipNo, values: bRating, confidence: 2 })
      assertBlind(r, ['"viral_pneumonia"', 'A-PID'])
      expect(value(r).clip!.revealed).toBeNull()
      expect(value(r).clip!.myRating!.values).toEqual(bRating)
      assertBlind(await env.call('rater/clip', { setId: set.id, raterId: b.id, clipNo }), ['"viral_pneumonia"', 'A-PID'])
    }
    const done = await env.call('rater/next', { setId: set.id, raterId: b.id })
    assertBlind(done, ['"viral_pneumonia"'])
    expect(value(done)).toMatchObject({ clip: null, set: { rated: 8, total: 8 } })
  })

  it('reveal the reference and the others’ ratings only for clips the rater has submitted, when the set says so', async () => {
    const set = await blindedSet(true)
    // Before submitting: hidden.
    for (let clipNo = 1; clipNo <= CLIPS.length; clipNo++)
      assertBlind(await env.call('rater/clip', { setId: set.id, raterId: b.id, clipNo }), [...LABEL_VALUES, 'A-PID'])

    const after = value(await env.call('rater/submit', { setId: set.id, raterId: b.id, clipNo: 3, values: bRating, confidence: 4 }))
    const revealed = after.clip!.revealed!
    expect(revealed.others).toEqual([
      {
        rater: 'Dr A',
        values: { label: 'viral_pneumonia', 'B-lines': 'not_assessed', Fever: 'n/A', comments: `${A_SECRET} on clip`, patientId: 'A-PID' },
        confidence: 5,
        comment: `${A_SECRET} free`
      }
    ])
    const item = env.service.sets.itemByClipNo(set.id, 3)!
    const reference = env.repository.get(item.entryId)
    expect(revealed.reference.label).toBe(reference.normalized.label)
    expect(Object.keys(revealed.reference).sort()).toEqual(['B-lines', 'Fever', 'comments', 'label', 'patientId'])
    expect(revealed.predictions).toEqual([])
    // Even revealed, file name, title, URL and the other cells stay out.
    const text = JSON.stringify(after)
    for (const c of CLIPS) {
      expect(text).not.toContain(c.name)
      expect(text).not.toContain(c.extra!.Title!)
      expect(text).not.toContain(c.extra!['URL (Video Name)']!)
    }
    // Other clips stay hidden.
    for (let clipNo = 1; clipNo <= CLIPS.length; clipNo++) {
      if (clipNo === 3) continue
      assertBlind(await env.call('rater/clip', { setId: set.id, raterId: b.id, clipNo }), ['A-PID'])
    }
    const next = await env.call('rater/next', { setId: set.id, raterId: b.id })
    expect(value(next).clip!.clipNo).not.toBe(3)
    assertBlind(next, [...LABEL_VALUES, 'A-PID'])
  })

  it('a rater’s set list says nothing about the clips', async () => {
    const set = await blindedSet(false)
    const sets = value(await env.call('rater/sets', { raterId: b.id })).sets
    expect(sets).toEqual([{ id: set.id, name: 'Piacenza linear', blinded: true, fields: set.fields, total: 8, rated: 0 }])
  })

  it('an unblinded set shows the reference and the others at once', async () => {
    const set = value(
      await env.call('reviewSets/create', { name: 'open', query: {}, fields: ['label'], raterIds: [a.id, b.id], blinded: false, seed: 1 })
    )
    value(await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 1, values: { label: 'covid' }, confidence: 3 }))
    const view = value(await env.call('rater/clip', { setId: set.id, raterId: b.id, clipNo: 1 }))
    expect(view.clip!.revealed!.others.map((o) => o.rater)).toEqual(['Dr A'])
    expect(view.clip!.revealed!.reference.label).toBe('covid')
  })
})
