/**
 * dispatch refuses any payload holding a string that is not well-formed
 * UTF-16 (a lone surrogate), for every operation, before a handler runs:
 * stored, such a string is invalid UTF-8 in the catalog.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/main/api/dispatch'
import { firstMalformedString } from '../../../src/shared/wellFormedText'
import { createServices, type Services } from '../../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import type { Result } from '../../../src/shared/result'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

const LONE_HIGH = 'B-lines \ud83d here'
const LONE_LOW = '\udca9 first'

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let services: Services
let entryId: number

beforeAll(async () => {
  tmp = tempDir('lus-wellformed-')
  const root = join(tmp.path, 'ds')
  makeDataset(root, [row('clip-a')], {})
  db = openCatalog(join(tmp.path, 'c.db'))
  services = createServices({ db, catalogPath: join(tmp.path, 'c.db'), transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
  services.review.settings.setUserName('Test Rater')
  await importDataset(db, root, { probe: async () => ({ frames: 1, fps: null, width: 1, height: 1, durationS: null, codec: 'stub' }) })
  entryId = (db.prepare('SELECT id FROM entries').get() as { id: number }).id
})
afterAll(async () => {
  await services.close()
  db.close()
  tmp.cleanup()
})

function failure(r: Result<unknown>): { code: string; message: string } {
  if (r.ok) throw new Error('expected a refusal')
  return r.error
}

describe('lone surrogates are refused centrally', () => {
  it('catalog/update with a lone surrogate in a cell: refused, nothing stored, no audit row', async () => {
    for (const bad of [LONE_HIGH, LONE_LOW, '\ud800']) {
      const before = snapshotCatalog(db)
      const e = failure(await dispatch(services.handlers, 'catalog/update', { id: entryId, cells: { Title: bad } }))
      expect(e.code).toBe('invalid_request')
      expect(e.message).toMatch(/^Invalid arguments for catalog\/update: the text at cells\.Title is not well-formed Unicode .*Nothing was changed/)
      expect(snapshotCatalog(db)).toBe(before)
    }
    expect(db.prepare('SELECT count(*) AS n FROM changes').get()).toEqual({ n: 0 })
  })

  it('a lone surrogate in a key is refused too, and named without itself', async () => {
    const e = failure(await dispatch(services.handlers, 'catalog/update', { id: entryId, cells: { ['Title\udc00']: 'x' } }))
    expect(e.code).toBe('invalid_request')
    expect(e.message).toMatch(/at cells\.Title\ufffd \(its name\) is not well-formed/)
    expect(e.message).not.toMatch(/[\ud800-\udfff]/u)
  })

  it('any operation: the user name, deep in arrays', async () => {
    expect(failure(await dispatch(services.handlers, 'settings/setUserName', { name: 'Dr \udfff' })).message).toMatch(/at name is not well-formed/)
    expect(firstMalformedString({ a: [{ b: ['ok', ['\ud800']] }] })).toBe('at a.0.b.1.0')
    expect(firstMalformedString('\ud800')).toBe('sent')
    // Deep nesting must not overflow the stack.
    let deep: unknown = '\ud800'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(firstMalformedString(deep)).toBe('at 0.0.0.0.0.0.….0.0.0.0.0')
  })

  it('well-formed text, emoji (surrogate pairs) included, is stored and audited', async () => {
    const r = await dispatch(services.handlers, 'catalog/update', { id: entryId, cells: { Title: 'Pleural line 💩 ok' } })
    expect(r.ok, JSON.stringify(r)).toBe(true)
    expect(db.prepare("SELECT new_value FROM changes WHERE field = 'Title'").get()).toEqual({ new_value: 'Pleural line 💩 ok' })
    expect(firstMalformedString({ a: ['é', '肺', '💩', 1, null, true] })).toBeNull()
  })
})
