/**
 * Backups through serve mode's HTTP server, as the browser UI uses them: the
 * server holds a CatalogSession's services, so after a restore every route
 * (API and media) answers from the restored catalog.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backupDir } from '../../../src/main/catalog/backup'
import { CatalogSession } from '../../../src/main/catalog/catalogSession'
import { openCatalog } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { startServer, type RunningServer } from '../../../src/main/serve/httpServer'
import { contract, type BackupSummary, type EntryDetail } from '../../../src/shared/contract'
import { CATALOG_GENERATION_HEADER, CATALOG_REPLACED_MESSAGE, type OperationName } from '../../../src/shared/operations'
import { CSV_COLUMNS } from '../../../src/shared/vocabulary'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

const TITLE = CSV_COLUMNS.indexOf('Title')

describe('backups over serve mode', () => {
  let tmp: ReturnType<typeof tempDir>
  let session: CatalogSession
  let server: RunningServer
  let base: string
  let clipBytes: Buffer
  let clipId: number

  type Body = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
  const post = async (op: OperationName, payload: unknown = {}, auth = true): Promise<{ status: number; body: Body | null }> => {
    const res = await fetch(`${base}/api/${op}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Bearer ${server.token}` } : {}) },
      body: JSON.stringify(payload)
    })
    const text = await res.text()
    return { status: res.status, body: res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as Body) : null }
  }
  const value = async <T>(op: OperationName, payload: unknown = {}): Promise<T> => {
    const { status, body } = await post(op, payload)
    expect(status).toBe(200)
    if (!body?.ok) throw new Error(`${op} failed: ${JSON.stringify(body)}`)
    contract[op].result.parse(body.value)
    return body.value as T
  }
  const error = async (op: OperationName, payload: unknown): Promise<{ code: string; message: string }> => {
    const { body } = await post(op, payload)
    if (!body || body.ok) throw new Error(`${op} unexpectedly answered ${JSON.stringify(body)}`)
    return body.error
  }
  const title = async (): Promise<string> => (await value<EntryDetail>('catalog/get', { id: 1 })).cells[TITLE]!

  beforeAll(async () => {
    tmp = tempDir('lus-serve-backups-')
    const root = join(tmp.path, 'dataset')
    makeDataset(root, [row('clipA', { Title: 'imported' }), row('clipB')], { 'pocus_videos/convex/clipA.mp4': 'clip' })
    clipBytes = readFileSync(join(root, 'pocus_videos/convex/clipA.mp4'))
    const catalogPath = join(tmp.path, 'catalog.db')
    const db = openCatalog(catalogPath)
    await importDataset(db, root)
    db.close()

    session = new CatalogSession({ catalogPath, transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache'), stateDir: join(tmp.path, 'state'), backupIntervalMs: 0 })
    session.services.review.settings.setUserName('Dr. Serve')
    clipId = session.services.repository.list().find((e) => e.filename === 'clipA')!.mediaId!
    const rendererDir = join(tmp.path, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
    server = await startServer({ services: session.services, rendererDir, port: 0 })
    base = `http://127.0.0.1:${server.port}`
  })

  afterAll(async () => {
    await server?.close()
    await session?.close()
    tmp?.cleanup()
  })

  it('needs the token like every other operation', async () => {
    expect((await post('backup/list', {}, false)).status).toBe(401)
    expect((await post('backup/restore', { name: 'x.db' }, false)).status).toBe(401)
  })

  it('lists, creates and restores backups; the restored catalog answers every route', async () => {
    expect((await value<{ backups: BackupSummary[] }>('backup/list')).backups).toEqual([])
    await value('catalog/update', { id: 1, cells: { Title: 'in the backup' } })
    const backup = await value<BackupSummary>('backup/create')
    expect(backup).toMatchObject({ reason: 'manual' })
    expect(backup.sizeBytes).toBeGreaterThan(0)
    await value('catalog/update', { id: 1, cells: { Title: 'after the backup' } })

    const listed = await value<{ folder: string; backups: BackupSummary[] }>('backup/list')
    expect(listed.folder).toBe(backupDir(session.catalogPath))
    expect(listed.backups.map((b) => b.name)).toEqual([backup.name])
    // Names only: nothing the browser could send back as a path.
    for (const b of listed.backups) expect(b.name).toMatch(/^catalog-[\dTZ-]+-manual\.db$/)

    const restored = await value<{ restored: string; safetyCopy: string | null }>('backup/restore', { name: backup.name })
    expect(restored.restored).toBe(backup.name)
    expect(restored.safetyCopy).toMatch(/^catalog-[\dTZ-]+-before-restore\.db$/)
    expect(await title()).toBe('in the backup')
    expect((await value<{ entries: { id: number; title: string }[] }>('catalog/list')).entries.find((e) => e.id === 1)?.title).toBe('in the backup')
    const history = await value<{ changes: { newValue: string }[] }>('history/list', { entryId: 1 })
    expect(history.changes.map((c) => c.newValue)).not.toContain('after the backup')

    // Media are answered through the restored catalog's repository.
    const media = await fetch(`${base}/media/${clipId}`, { headers: { Authorization: `Bearer ${server.token}` } })
    expect(media.status).toBe(200)
    expect(Buffer.from(await media.arrayBuffer()).equals(clipBytes)).toBe(true)

    // Editing goes on in the restored catalog, and the safety copy brings the later edit back.
    await value('catalog/update', { id: 1, cells: { Title: 'edited after restoring' } })
    expect(await title()).toBe('edited after restoring')
    await value('backup/restore', { name: restored.safetyCopy })
    expect(await title()).toBe('after the backup')
  })

  it('refuses the calls of a page loaded before a restore: its ids belong to the catalog that was replaced', async () => {
    const call = async (op: OperationName, payload: unknown, generation: string | null) => {
      const res = await fetch(`${base}/api/${op}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}`, ...(generation !== null ? { [CATALOG_GENERATION_HEADER]: generation } : {}) },
        body: JSON.stringify(payload)
      })
      return { generation: res.headers.get(CATALOG_GENERATION_HEADER), body: (await res.json()) as Body }
    }
    // A page loads: the first answer names the generation it keeps sending.
    const first = await call('catalog/get', { id: 1 }, null)
    const loaded = first.generation!
    expect(loaded).toMatch(/^\d+$/)
    expect((await call('catalog/get', { id: 1 }, loaded)).body.ok).toBe(true)
    const before = await title()
    const backup = await value<BackupSummary>('backup/create')
    await value('backup/restore', { name: backup.name })
    // The old page's edit is refused and changes nothing; a page loaded now is served.
    const stale = await call('catalog/update', { id: 1, cells: { Title: 'from a stale page' } }, loaded)
    expect(stale.body).toEqual({ ok: false, error: { code: 'conflict', message: CATALOG_REPLACED_MESSAGE } })
    expect(stale.generation).toBe(String(Number(loaded) + 1))
    expect(await title()).toBe(before)
    expect((await call('catalog/get', { id: 1 }, stale.generation)).body.ok).toBe(true)
  })

  it('refuses paths and unknown names with a clear message', async () => {
    const traversal = await error('backup/restore', { name: '../catalog.db' })
    expect(traversal).toMatchObject({ code: 'bad_input' })
    expect(traversal.message).toMatch(/not a backup name/)
    const absolute = await error('backup/restore', { name: join(backupDir(session.catalogPath), 'x.db') })
    expect(absolute.code).toBe('bad_input')
    const unknown = await error('backup/restore', { name: 'catalog-2001-01-01T00-00-00-000Z-manual.db' })
    expect(unknown).toMatchObject({ code: 'not_found' })
    expect(unknown.message).toMatch(/choose one from the list/)
    expect((await error('backup/restore', {})).code).toBe('invalid_request')
    expect(await title()).toBe('after the backup')
  })
})
