/**
 * Runs the hostile bundle cases (bundleCases.ts): each is refused with its
 * code and message and leaves the catalog it is imported into as it was. The
 * good bundle, and a re-zipped copy of it, are then accepted, so the
 * refusals are about what each case changed.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkEntryName, readZip } from '../../src/main/ratings/bundle/zipReader'
import { UserError } from '../../src/main/errors'
import { fail, ok, type Result } from '../../src/shared/result'
import type { Rater, ReviewSet } from '../../src/shared/ratingsContract'
import { snapshotCatalog } from '../helpers/catalogSnapshot'
import { tempDir } from '../helpers/paths'
import { CLIPS, error, openEnv, value, writeDataset, type Env } from '../unit/ratings/fixture'
import { bundleCases, variant, type BundleContext } from './bundleCases'

let tmp: ReturnType<typeof tempDir>
let ctx: BundleContext

// Fresh catalogs for every case: some cases change theirs before the import (arrange).
beforeEach(async () => {
  tmp = tempDir('lus-bundle-bad-')
  writeDataset(join(tmp.path, 'a', 'ds'))
  writeDataset(join(tmp.path, 'b', 'ds'))
  const A = await openEnv(join(tmp.path, 'a'), join(tmp.path, 'a', 'ds'))
  const B = await openEnv(join(tmp.path, 'b'), join(tmp.path, 'b', 'ds'))
  const drA: Rater = value(await A.call('raters/create', { name: 'Dr A' }))
  const set: ReviewSet = value(await A.call('reviewSets/create', { name: 'S', query: {}, fields: ['label'], raterIds: [drA.id], seed: 4 }))
  for (let clipNo = 1; clipNo <= CLIPS.length; clipNo++)
    value(await A.call('rater/submit', { setId: set.id, raterId: drA.id, clipNo, values: { label: 'covid' }, confidence: 3 }))
  const goodPath = join(tmp.path, 'good.zip')
  value(await A.call('bundles/export', { setId: set.id, outPath: goodPath }))
  ctx = { dir: tmp.path, A, B, goodPath, good: await readZip(goodPath) }
})
afterEach(() => {
  ctx.A.close()
  ctx.B.close()
  tmp.cleanup()
})

async function settle(p: Promise<unknown>): Promise<Result<unknown>> {
  try {
    return ok(await p)
  } catch (e) {
    if (e instanceof UserError) return fail(e.code, e.message)
    throw e
  }
}

describe('hostile bundles: refused with a clear message, the catalog unchanged', () => {
  for (const c of bundleCases) {
    it(`${c.id}: ${c.description}`, async () => {
      const env: Env = c.into === 'A' ? ctx.A : c.into === undefined || c.into === 'B' ? ctx.B : await c.into(ctx)
      try {
        await c.arrange?.(env)
        const path = await c.build(ctx)
        const before = snapshotCatalog(env.db)
        const result = c.attempt ? await settle(c.attempt(env, path)) : await env.call('bundles/import', { path })
        const e = error(result, c.code)
        expect(e.message).toMatch(c.expect)
        if (c.namesPath !== false) expect(e.message).toContain(path)
        expect(snapshotCatalog(env.db)).toBe(before)
      } finally {
        if (env !== ctx.A && env !== ctx.B) env.close()
      }
    })
  }
})

describe('entry names a bundle could not hold', () => {
  it('are refused by name; a plain name is kept', () => {
    for (const [bad, why] of [
      ['', /has an unexpected name/],
      ['.hidden', /entry "\.hidden" has an unexpected name/],
      ['a//b', /entry "a\/\/b" has an unexpected name/],
      ['a/./b', /entry "a\/\.\/b" has an unexpected name/],
      ['na\u0000me', /has an unexpected name/],
      ['../x', /points outside the bundle/],
      ['C:x', /has an absolute path/],
      ['a\\b', /uses backslashes/],
      ['sub/', /is a folder/]
    ] as const)
      expect(() => checkEntryName(Buffer.from(bad)), JSON.stringify(bad)).toThrow(why)
    expect(checkEntryName(Buffer.from('manifest.json'))).toBe('manifest.json')
  })
})

describe('good bundles are accepted (so the refusals above are about what was changed)', () => {
  it('the good bundle, then a re-zipped copy of it', async () => {
    expect(value(await ctx.B.call('bundles/import', { path: ctx.goodPath }))).toMatchObject({ applied: true, ratingsAdded: 8 })
    expect(value(await ctx.B.call('bundles/import', { path: await variant(ctx, 'same.zip', () => {}) }))).toMatchObject({ applied: true, ratingsUnchanged: 8 })
  })
})
