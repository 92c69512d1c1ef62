import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/main/api/dispatch'
import { createServices, type Services } from '../../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import type { HistoryStatus, HistoryStep } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/result'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

const probe = async () => ({ frames: 10, fps: 10, width: 64, height: 48, durationS: 1, codec: 'stub' })

let dir: ReturnType<typeof tempDir>
let db: CatalogDb
let services: Services
let a: number
let b: number

beforeEach(async () => {
  dir = tempDir()
  const root = join(dir.path, 'ds')
  makeDataset(root, [row('clip-a'), row('clip-b')], {})
  const catalogPath = join(dir.path, 'c.db')
  db = openCatalog(catalogPath)
  await importDataset(db, root, { probe })
  services = createServices({ db, catalogPath, transport: 'http', version: 'test', cacheDir: join(dir.path, 'cache') })
  ;[a, b] = services.repository.list().map((e) => e.id) as [number, number]
  services.review.settings.setUserName('Dr. Rossi')
})
afterEach(async () => {
  await services.close()
  db.close()
  dir.cleanup()
})

const call = (op: string, args: unknown): Promise<Result<unknown>> => dispatch(services.handlers, op, args)

async function status(): Promise<HistoryStatus> {
  const result = await call('history/status', {})
  if (!result.ok) throw new Error(result.error.message)
  return result.value as HistoryStatus
}

// What a page loaded before clip B was edited elsewhere sends: it still expects clip A's edit.
describe('history/undo over the API', () => {
  it('refuses a step the page expected on another clip, changing nothing', async () => {
    await call('catalog/update', { id: a, cells: { Label: 'regular' } })
    const onA = (await status()).undo!
    await call('catalog/update', { id: b, cells: { Age: '60' } })
    const before = snapshotCatalog(db)
    const refused = await call('history/undo', { entryId: onA.entryId, actionId: onA.actionId })
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Nothing was undone: the next change to undo is on clip-b/) } })
    expect(snapshotCatalog(db)).toBe(before)
  })

  it('undoes the edit status named, and says what it undid', async () => {
    await call('catalog/update', { id: a, cells: { Label: 'regular' } })
    const next = (await status()).undo!
    expect(next).toMatchObject({ entryId: a, filename: 'clip-a', change: 'Label (COVID-19 → Healthy)' })
    const undone = await call('history/undo', { entryId: next.entryId, actionId: next.actionId })
    expect(undone.ok && (undone.value as HistoryStep)).toMatchObject({ target: next, description: 'Undid Label (COVID-19 → Healthy) of clip-a' })
  })

  it('takes no step without naming the edit it expects', async () => {
    await call('catalog/update', { id: a, cells: { Age: '50' } })
    for (const op of ['history/undo', 'history/redo']) expect(await call(op, {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect((await status()).undo).toMatchObject({ entryId: a })
  })
})
