import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { analyzeAgreement } from '../../../src/main/agreement/agreementReport'
import { buildRatingTable } from '../../../src/main/agreement/ratingTable'
import { orderQueue, raterSeed } from '../../../src/main/ratings/queueOrder'
import type { Rater, RatingValues, ReviewSet } from '../../../src/shared/ratingsContract'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { tempDir } from '../../helpers/paths'
import { error, openEnv, value, writeDataset, type Env } from './fixture'

let dir: ReturnType<typeof tempDir>
let env: Env
let a: Rater
let b: Rater
let c: Rater

beforeEach(async () => {
  dir = tempDir('lus-ratings-')
  writeDataset(join(dir.path, 'ds'))
  env = await openEnv(dir.path, join(dir.path, 'ds'))
  a = value(await env.call('raters/create', { name: 'Dr A', role: 'rater' }))
  b = value(await env.call('raters/create', { name: 'Dr B' }))
  c = value(await env.call('raters/create', { name: 'Dr C', role: 'adjudicator' }))
})
afterEach(() => {
  env.close()
  dir.cleanup()
})

async function makeSet(extra: Record<string, unknown> = {}): Promise<ReviewSet> {
  return value(
    await env.call('reviewSets/create', {
      name: 'Linear probe uncertain',
      query: {},
      fields: ['label', 'B-lines'],
      raterIds: [a.id, b.id],
      seed: 11,
      ...extra
    })
  )
}

const rating = (label: RatingValues['label'], bLines: RatingValues['B-lines'] = 'present'): RatingValues => ({ label, 'B-lines': bLines })

describe('raters', () => {
  it('are local profiles with a UUID, a name and a role; names are unique regardless of case', async () => {
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(b.role).toBe('rater')
    expect(c.role).toBe('adjudicator')
    expect(value(await env.call('raters/list', {})).raters.map((r) => r.name)).toEqual(['Dr A', 'Dr B', 'Dr C'])
    expect(error(await env.call('raters/create', { name: ' dr a ' }), 'conflict').message).toMatch(/already exists/)
    expect(error(await env.call('raters/create', { name: 'X', role: 'boss' as 'rater' }), 'invalid_request'))
  })
})

describe('review sets', () => {
  it('are made from a catalog filter, keeping the query and the resolved clips', async () => {
    const set = await makeSet({ query: { labels: ['covid', 'healthy'] }, blinded: false, order: 'catalog' })
    expect(set).toMatchObject({
      name: 'Linear probe uncertain',
      fields: ['label', 'B-lines'],
      blinded: false,
      revealAfterSubmit: false,
      order: 'catalog',
      seed: 11,
      clips: 4,
      clipsWithoutMedia: 0,
      complete: 0
    })
    expect(set.query).toMatchObject({ labels: ['covid', 'healthy'], sortKey: 'row', search: '' })
    expect(set.raters.map((r) => [r.name, r.position, r.rated])).toEqual([
      ['Dr A', 1, 0],
      ['Dr B', 2, 0]
    ])
    const items = env.service.sets.items(set.id)
    expect(items.map((i) => env.repository.get(i.entryId).summary.filename)).toEqual(['Cov_Atlas_1', 'Reg_Normal_3', 'Cov_Butterfly_5', 'Reg_Healthy_7'])
    // Unblinded: clip numbers follow catalog order; every clip is named by its media hash.
    expect(items.map((i) => i.clipNo)).toEqual([1, 2, 3, 4])
    expect(items.every((i) => /^[0-9a-f]{64}$/.test(i.mediaSha256!))).toBe(true)
    expect(value(await env.call('reviewSets/get', { setId: set.id }))).toEqual(set)
    expect(value(await env.call('reviewSets/list', {})).sets).toEqual([set])
  })

  it('shuffle clip numbers in blinded sets, reproducibly from the seed', async () => {
    const s1 = await makeSet()
    const s2 = await makeSet()
    const nos = (s: ReviewSet): number[] => env.service.sets.items(s.id).map((i) => i.clipNo)
    expect(nos(s1)).toEqual(nos(s2))
    expect([...nos(s1)].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(nos(s1)).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('refuse bad definitions and change nothing', async () => {
    const before = snapshotCatalog(env.db)
    const make = (extra: Record<string, unknown>): ReturnType<Env['call']> =>
      env.call('reviewSets/create', { name: 'x', query: {}, fields: ['label'], raterIds: [a.id], ...extra })
    expect(error(await make({ query: { labels: ['nothing-like-this'] } }), 'bad_input').message).toMatch(/matches no clips/)
    expect(error(await make({ fields: ['label', 'label'] }), 'bad_input').message).toMatch(/only once/)
    expect(error(await make({ raterIds: [a.id, a.id] }), 'bad_input').message).toMatch(/listed twice/)
    expect(error(await make({ raterIds: ['00000000-0000-4000-8000-000000000000'] }), 'not_found'))
    expect(error(await make({ fields: ['Label'] }), 'invalid_request'))
    // Catalog order sorted by file name would group a blinded set's clips by label (Cov_, Pneu_, ...).
    const leak = await make({ order: 'catalog', query: { sortKey: 'filename' } })
    expect(error(leak, 'bad_input').message).toMatch(/grouped by label/)
    expect(snapshotCatalog(env.db)).toBe(before)
    // Unblinded, or random, it is fine.
    value(await make({ order: 'catalog', blinded: false, query: { sortKey: 'filename' } }))
    value(await make({ order: 'random', query: { sortKey: 'label' } }))
  })
})

describe('the queue', () => {
  it('in catalog order gives the next unrated clip in the query order', async () => {
    const set = await makeSet({ order: 'catalog', blinded: false })
    const first = value(await env.call('rater/next', { setId: set.id, raterId: a.id }))
    expect(first.set).toMatchObject({ total: 8, rated: 0 })
    expect(first.clip!.clipNo).toBe(1)
    expect(first.clip!.handle).toBe('Clip 1 of 8')
    value(await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 1, values: rating('covid'), confidence: 4 }))
    value(await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 3, values: rating('covid'), confidence: 4 }))
    const next = value(await env.call('rater/next', { setId: set.id, raterId: a.id }))
    expect(next.clip!.clipNo).toBe(2)
    expect(next.set.rated).toBe(2)
    // B's queue is B's own.
    expect(value(await env.call('rater/next', { setId: set.id, raterId: b.id })).clip!.clipNo).toBe(1)
  })

  it('in random order is reproducible per rater and differs between raters', async () => {
    const set = await makeSet({ order: 'random' })
    const walk = async (raterId: string): Promise<number[]> => {
      const seen: number[] = []
      for (;;) {
        const v = value(await env.call('rater/next', { setId: set.id, raterId }))
        if (!v.clip) {
          expect(v.set.rated).toBe(8)
          return seen
        }
        seen.push(v.clip.clipNo)
        value(await env.call('rater/submit', { setId: set.id, raterId, clipNo: v.clip.clipNo, values: rating('other'), confidence: 3 }))
      }
    }
    const orderA = await walk(a.id)
    const orderB = await walk(b.id)
    expect([...orderA].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(orderA).not.toEqual(orderB)
    // The same seed and rater give the same order.
    const items = env.service.sets.items(set.id)
    const again = orderQueue('random', items, { seed: 11, raterId: a.id }).map((i) => i.clipNo)
    expect(again).toEqual(orderA)
    expect(raterSeed(11, a.id)).toBe(raterSeed(11, a.id))
    expect(value(await env.call('reviewSets/get', { setId: set.id })).complete).toBe(8)
  })

  it('checks submissions against the set: every field, nothing else, valid values', async () => {
    const set = await makeSet()
    const submit = (values: Record<string, unknown>, confidence = 3): ReturnType<Env['call']> =>
      env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 2, values: values as RatingValues, confidence })
    expect(error(await submit({ label: 'covid' }), 'bad_input').message).toBe('Clip 2 of 8: rate every field before submitting (missing: B-lines).')
    expect(error(await submit({ label: 'covid', 'B-lines': 'present', Fever: 'yes' }), 'bad_input').message).toMatch(/does not rate Fever/)
    expect(error(await submit({ label: 'influenza', 'B-lines': 'present' }), 'invalid_request'))
    expect(error(await submit(rating('covid'), 6), 'invalid_request'))
    expect(error(await env.call('rater/submit', { setId: set.id, raterId: c.id, clipNo: 2, values: rating('covid'), confidence: 3 }), 'not_found').message).toMatch(
      /not part of review set/
    )
    expect(error(await env.call('rater/clip', { setId: set.id, raterId: a.id, clipNo: 99 }), 'not_found').message).toMatch(/has no clip 99/)
    expect(env.service.ratings.ofSet(set.id)).toEqual([])
  })

  it('lets a rater revise a rating that was never revealed, keeping when it was first submitted', async () => {
    const set = await makeSet()
    const one = value(await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 5, values: rating('covid'), confidence: 2, comment: 'unsure' }))
    const two = value(await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 5, values: rating('healthy', 'absent'), confidence: 4 }))
    expect(two.clip!.myRating).toMatchObject({ values: { label: 'healthy', 'B-lines': 'absent' }, confidence: 4, comment: '' })
    expect(two.clip!.myRating!.submittedAt).toBe(one.clip!.myRating!.submittedAt)
    expect(two.clip!.canEdit).toBe(true)
    expect(two.set.rated).toBe(1)
  })

  it('makes a rating final once it was revealed against the others', async () => {
    const set = await makeSet({ revealAfterSubmit: true })
    const v = value(await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 5, values: rating('covid'), confidence: 2 }))
    expect(v.clip!.canEdit).toBe(false)
    expect(v.clip!.revealed).not.toBeNull()
    const again = await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 5, values: rating('healthy'), confidence: 2 })
    expect(error(again, 'conflict').message).toBe('Clip 5 of 8: your rating was revealed against the others and is final.')
  })

  it('lists a rater’s sets with progress', async () => {
    const set = await makeSet()
    value(await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: 1, values: rating('covid'), confidence: 2 }))
    expect(value(await env.call('rater/sets', { raterId: a.id })).sets).toEqual([
      { id: set.id, name: 'Linear probe uncertain', blinded: true, fields: ['label', 'B-lines'], total: 8, rated: 1 }
    ])
    expect(value(await env.call('rater/sets', { raterId: c.id })).sets).toEqual([])
  })
})

describe('agreement of a set', () => {
  it('computes per-field statistics over the set’s ratings, with missing ratings counted', async () => {
    const set = await makeSet({ raterIds: [a.id, b.id, c.id], fields: ['label', 'B-lines', 'comments', 'age'], order: 'catalog', blinded: false })
    const labelsA = ['covid', 'covid', 'healthy', 'viral_pneumonia', 'covid', 'bacterial_pneumonia', 'healthy', 'viral_pneumonia'] as const
    const labelsB = ['covid', 'bacterial_pneumonia', 'healthy', 'viral_pneumonia', 'covid', 'bacterial_pneumonia', 'covid', 'viral_pneumonia'] as const
    for (let k = 0; k < 8; k++) {
      const base = { 'B-lines': 'present' as const, comments: '', age: null }
      value(await env.call('rater/submit', { setId: set.id, raterId: a.id, clipNo: k + 1, values: { label: labelsA[k], ...base }, confidence: 3 }))
      value(await env.call('rater/submit', { setId: set.id, raterId: b.id, clipNo: k + 1, values: { label: labelsB[k], ...base }, confidence: 3 }))
      // C rated only the first four clips.
      if (k < 4) value(await env.call('rater/submit', { setId: set.id, raterId: c.id, clipNo: k + 1, values: { label: labelsA[k], ...base }, confidence: 3 }))
    }
    const agreement = value(await env.call('reviewSets/agreement', { setId: set.id, replicates: 200, seed: 5 }))
    expect(agreement.skippedFields.map((f) => f.field)).toEqual(['comments', 'age'])
    const label = agreement.fields.find((f) => f.field === 'label')!.report
    expect(label.raters).toEqual(['Dr A', 'Dr B', 'Dr C'])
    expect(label.categories).toEqual(['covid', 'bacterial_pneumonia', 'viral_pneumonia', 'healthy', 'other'])
    expect(label).toMatchObject({ items: 8, ratings: 20, completeItems: 4, itemsWithTwoOrMoreRatings: 8 })
    expect(label.cohenKappa.map((p) => [p.raters.join('/'), p.n])).toEqual([
      ['Dr A/Dr B', 8],
      ['Dr A/Dr C', 4],
      ['Dr B/Dr C', 4]
    ])
    // The same numbers as the statistics module on the same ratings.
    const direct = analyzeAgreement(
      buildRatingTable(
        labelsA.flatMap((l, k) => [
          { item: `${k}`, rater: 'Dr A', value: l },
          { item: `${k}`, rater: 'Dr B', value: labelsB[k]! }
        ]),
        { categories: ['covid', 'bacterial_pneumonia', 'viral_pneumonia', 'healthy', 'other'] }
      ),
      { replicates: 0 }
    )
    expect(label.cohenKappa[0]!.value).toBeCloseTo(direct.cohenKappa[0]!.value!, 12)
    expect(label.cohenKappa[1]!.value).toBe(1)
    // B-lines: everyone said present: κ undefined, agreement 100%.
    const bl = agreement.fields.find((f) => f.field === 'B-lines')!.report
    expect(bl.fleissKappa.value).toBeNull()
    expect(bl.percentAgreement.value).toBe(1)
  })
})
