import Database from 'better-sqlite3'
import { existsSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { dispatch } from '../../../src/main/api/dispatch'
import { backupDir, listBackups } from '../../../src/main/catalog/backup'
import { CatalogSession, type CatalogSessionOptions } from '../../../src/main/catalog/catalogSession'
import { openCatalog } from '../../../src/main/catalog/database'
import { LATEST_SCHEMA_VERSION } from '../../../src/main/catalog/migrations'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { contract, type BackupSummary, type EntryDetail } from '../../../src/shared/contract'
import type { OperationName } from '../../../src/shared/operations'
import type { Result } from '../../../src/shared/result'
import { CSV_COLUMNS } from '../../../src/shared/vocabulary'
import { makeDataset, row } from '../../helpers/fixtures'
import { tempDir } from '../../helpers/paths'

const TITLE = CSV_COLUMNS.indexOf('Title')

let dir: ReturnType<typeof tempDir>
let catalogPath: string
let session: CatalogSession | null = null

/** A catalog holding two CSV rows, imported before the session opens it. */
async function prepareCatalog(): Promise<void> {
  const folder = join(dir.path, 'dataset')
  makeDataset(folder, [row('Cov_a', { Title: 'first title' }), row('Cov_b')], {})
  const db = openCatalog(catalogPath)
  await importDataset(db, folder)
  db.close()
}

function open(options: Partial<CatalogSessionOptions> = {}): CatalogSession {
  session = new CatalogSession({ catalogPath, transport: 'http', version: 'test', cacheDir: join(dir.path, 'cache'), stateDir: join(dir.path, 'state'), backupIntervalMs: 0, ...options })
  return session
}

async function call<T>(s: CatalogSession, op: OperationName, args: unknown = {}): Promise<T> {
  const r = await dispatch(s.services.handlers, op, args)
  if (!r.ok) throw new Error(`${op} failed: ${r.error.code}: ${r.error.message}`)
  contract[op].result.parse(r.value)
  return r.value as T
}

async function failure(s: CatalogSession, op: OperationName, args: unknown): Promise<{ code: string; message: string }> {
  const r: Result<unknown> = await dispatch(s.services.handlers, op, args)
  if (r.ok) throw new Error(`${op} unexpectedly succeeded: ${JSON.stringify(r.value)}`)
  return r.error
}

const title = async (s: CatalogSession): Promise<string> => (await call<EntryDetail>(s, 'catalog/get', { id: 1 })).cells[TITLE]!
const setTitle = (s: CatalogSession, text: string): Promise<EntryDetail> => call<EntryDetail>(s, 'catalog/update', { id: 1, cells: { Title: text } })

function titleIn(file: string): string {
  const db = new Database(file, { readonly: true })
  try {
    const cells = db.prepare<[], { cells: string }>('SELECT cells FROM entries WHERE id = 1').get()!.cells
    return (JSON.parse(cells) as string[])[TITLE]!
  } finally {
    db.close()
  }
}

beforeEach(async () => {
  dir = tempDir('lus-session-')
  catalogPath = join(dir.path, 'catalog.db')
  await prepareCatalog()
})

afterEach(async () => {
  await session?.close()
  session = null
  vi.restoreAllMocks()
  dir.cleanup()
})

describe('CatalogSession: restoring a backup', () => {
  it('brings back the catalog of the backup, keeps the replaced one as a safety copy, and answers from the restored one', async () => {
    const s = open()
    s.services.review.settings.setUserName('Dr. Test')
    await setTitle(s, 'before the backup')
    const backup = await call<BackupSummary>(s, 'backup/create')
    expect(backup.reason).toBe('manual')
    expect(backup.name).not.toContain('/')
    await setTitle(s, 'after the backup')
    expect(await title(s)).toBe('after the backup')

    const listed = await call<{ folder: string; backups: BackupSummary[] }>(s, 'backup/list')
    expect(listed.backups.map((b) => b.name)).toEqual([backup.name])
    expect(listed.folder).toBe(backupDir(catalogPath))
    expect(JSON.stringify(listed.backups)).not.toContain(dir.path)

    const dbBefore = s.db
    const result = await call<{ restored: string; safetyCopy: string | null }>(s, 'backup/restore', { name: backup.name })
    expect(result.restored).toBe(backup.name)
    expect(result.safetyCopy).toMatch(/-before-restore\.db$/)
    expect(result.safetyCopy).not.toContain('/')

    // The edit made after the backup is gone, through every path the transports use.
    expect(s.db).not.toBe(dbBefore)
    expect(dbBefore.open).toBe(false)
    expect(await title(s)).toBe('before the backup')
    expect(s.services.repository.get(1).cells[TITLE]).toBe('before the backup')
    expect((await call<{ entries: { id: number; title: string }[] }>(s, 'catalog/list')).entries.find((e) => e.id === 1)?.title).toBe('before the backup')
    // The safety copy holds it.
    expect(titleIn(join(backupDir(catalogPath), result.safetyCopy!))).toBe('after the backup')
    const after = await call<{ backups: BackupSummary[] }>(s, 'backup/list')
    expect(after.backups.map((b) => b.reason)).toEqual(['before-restore', 'manual'])

    // The restored catalog is live: edits, undo history and new backups work on it.
    await setTitle(s, 'edited after the restore')
    expect(titleIn(catalogPath)).toBe('edited after the restore')
    const again = await call<BackupSummary>(s, 'backup/create')
    expect(titleIn(join(backupDir(catalogPath), again.name))).toBe('edited after the restore')

    // And the restore can itself be undone from the safety copy.
    await call(s, 'backup/restore', { name: result.safetyCopy })
    expect(await title(s)).toBe('after the backup')
  })

  it('refuses while a job runs, changing nothing, and restores once it has finished', async () => {
    const s = open()
    s.services.review.settings.setUserName('Dr. Test')
    const backup = await call<BackupSummary>(s, 'backup/create')
    await setTitle(s, 'kept while the import runs')
    let finish: () => void = () => {}
    s.services.jobs.start('import', () => new Promise((resolve) => (finish = () => resolve({} as never))))
    // A job may start on the next turn of the event loop; its finish() exists from then.
    await new Promise((r) => setImmediate(r))

    const e = await failure(s, 'backup/restore', { name: backup.name })
    expect(e.code).toBe('conflict')
    expect(e.message).toMatch(/An import is running; wait for it to finish/)
    expect(await title(s)).toBe('kept while the import runs')
    expect(listBackups(catalogPath)).toHaveLength(1) // no safety copy was made

    finish()
    await new Promise((r) => setTimeout(r, 0))
    await call(s, 'backup/restore', { name: backup.name })
    expect(await title(s)).toBe('first title')
  })

  it('refuses other requests while the catalog is being swapped, then serves them again', async () => {
    const s = open()
    const backup = await call<BackupSummary>(s, 'backup/create')
    const restoring = s.services.handlers['backup/restore']({ name: backup.name })
    const during = await failure(s, 'catalog/get', { id: 1 })
    expect(during.code).toBe('conflict')
    expect(during.message).toMatch(/being restored/)
    const twice = await failure(s, 'backup/restore', { name: backup.name })
    expect(twice.code).toBe('conflict')
    await restoring
    expect(await title(s)).toBe('first title')
  })

  it('refuses names that are paths, traversal, or not backups of this catalog, with a clear message', async () => {
    const s = open()
    await call<BackupSummary>(s, 'backup/create')
    const outside = join(dir.path, 'outside.db')
    writeFileSync(outside, 'not a backup')
    writeFileSync(join(backupDir(catalogPath), 'notes.db'), 'not a backup')
    writeFileSync(join(backupDir(catalogPath), 'other-2024-01-01T00-00-00-000Z-manual.db'), 'another catalog')
    symlinkSync(outside, join(backupDir(catalogPath), 'catalog-2024-01-01T00-00-00-000Z-manual.db'))

    const cases: [string, string, RegExp][] = [
      ['../catalog.db', 'bad_input', /not a backup name: choose a backup from the list \(a file name, not a path\)/],
      ['../../etc/passwd', 'bad_input', /not a backup name/],
      [outside, 'bad_input', /not a backup name/],
      ['backups/catalog-2024-01-01T00-00-00-000Z-manual.db', 'bad_input', /not a backup name/],
      ['..\\catalog.db', 'bad_input', /not a backup name/],
      ['..', 'bad_input', /not a backup name/],
      ['catalog.db\u0000.db', 'bad_input', /not a backup name/],
      ['catalog.db', 'not_found', /There is no backup named "catalog\.db" for this catalog; choose one from the list/],
      ['notes.db', 'not_found', /no backup named "notes\.db"/],
      ['other-2024-01-01T00-00-00-000Z-manual.db', 'not_found', /no backup named/],
      ['catalog-2099-01-01T00-00-00-000Z-manual.db', 'not_found', /no backup named/],
      ['catalog-2024-01-01T00-00-00-000Z-manual.db', 'bad_input', /points outside the backup folder/]
    ]
    for (const [name, code, message] of cases) {
      const e = await failure(s, 'backup/restore', { name })
      expect([name, e.code]).toEqual([name, code])
      expect(e.message, name).toMatch(message)
    }
    expect((await failure(s, 'backup/restore', { name: '' })).code).toBe('invalid_request')
    expect((await failure(s, 'backup/restore', { name: 'x'.repeat(300) })).code).toBe('invalid_request')
    expect((await failure(s, 'backup/restore', { name: 'a.db', path: '/etc' })).code).toBe('invalid_request')
    // Nothing was restored or copied.
    expect(await title(s)).toBe('first title')
    expect(listBackups(catalogPath).filter((b) => b.reason === 'before-restore')).toEqual([])
  })

  it('keeps working on the catalog as it was when the backup is damaged or from a newer version', async () => {
    const s = open()
    s.services.review.settings.setUserName('Dr. Test')
    const good = await call<BackupSummary>(s, 'backup/create')
    await setTitle(s, 'current')
    const damaged = join(backupDir(catalogPath), 'catalog-2020-01-01T00-00-00-000Z-manual.db')
    writeFileSync(damaged, Buffer.alloc(8192, 7))
    const newer = join(backupDir(catalogPath), 'catalog-2020-01-02T00-00-00-000Z-manual.db')
    const n = new Database(newer)
    n.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    n.close()

    const bad = await failure(s, 'backup/restore', { name: 'catalog-2020-01-01T00-00-00-000Z-manual.db' })
    expect(bad.code).toBe('bad_input')
    expect(bad.message).toMatch(/is not a catalog backup/)
    const unsupported = await failure(s, 'backup/restore', { name: 'catalog-2020-01-02T00-00-00-000Z-manual.db' })
    expect(unsupported.code).toBe('unsupported')
    expect(unsupported.message).toMatch(/newer version of LUS Review/)

    // The app goes on with the catalog as it was: reads, edits, backups.
    expect(await title(s)).toBe('current')
    await setTitle(s, 'still editable')
    expect(titleIn(catalogPath)).toBe('still editable')
    await call(s, 'backup/create')
    await call(s, 'backup/restore', { name: good.name })
    expect(await title(s)).toBe('first title')
  })

  it('puts the replaced catalog back when the restored file does not open', async () => {
    let opens = 0
    const s = open({
      open: (path, o) => {
        opens++
        if (opens === 2) throw new Error('simulated failure to open the restored catalog')
        return openCatalog(path, o)
      }
    })
    s.services.review.settings.setUserName('Dr. Test')
    const backup = await call<BackupSummary>(s, 'backup/create')
    await setTitle(s, 'must survive')
    const e = await failure(s, 'backup/restore', { name: backup.name })
    expect(e.code).toBe('bad_input')
    expect(e.message).toMatch(/does not open \(simulated failure.*\); the catalog as it was is back in use/)
    expect(await title(s)).toBe('must survive')
    await setTitle(s, 'and editable')
    expect(titleIn(catalogPath)).toBe('and editable')
  })

  it('says so on every request when neither the restored nor the replaced catalog opens again', async () => {
    let opens = 0
    const s = open({
      open: (path, o) => {
        opens++
        if (opens >= 2) throw new Error(`simulated failure ${opens}`)
        return openCatalog(path, o)
      }
    })
    const backup = await call<BackupSummary>(s, 'backup/create')
    const e = await failure(s, 'backup/restore', { name: backup.name })
    expect(e.code).toBe('internal')
    expect(e.message).toMatch(/could not be opened again after a failed restore \(simulated failure 3\).*lus-review restore.*simulated failure 2/)
    const later = await failure(s, 'catalog/list', {})
    expect(later).toEqual({ code: 'internal', message: expect.stringMatching(/could not be opened again after a failed restore/) })
    // The files are intact: the safety copy went back in place before the second failure.
    expect(titleIn(catalogPath)).toBe('first title')
  })

  it('a restore waiting for a request gives way to closing: nothing is reopened after close', async () => {
    const s = open()
    const backup = await call<BackupSummary>(s, 'backup/create')
    const db = s.db
    // A request in flight holds the restore in its wait for idle.
    const inFlight = dispatch(s.services.handlers, 'backup/create', {})
    const restoring = dispatch(s.services.handlers, 'backup/restore', { name: backup.name })
    const closing = s.close()
    const [made, restored] = await Promise.all([inFlight, restoring, closing])
    expect(made.ok, 'the request in flight finished before the catalog closed').toBe(true)
    expect(restored).toEqual({ ok: false, error: { code: 'unsupported', message: 'The catalog was closed before the backup could be restored.' } })
    expect(db.open).toBe(false)
    expect(s.db.open).toBe(false)
    expect(listBackups(catalogPath).filter((b) => b.reason === 'before-restore')).toEqual([])
    session = null
  })

  it('runs the scheduled backups on the restored catalog', async () => {
    const errors = vi.spyOn(console, 'error')
    const s = open({ backupIntervalMs: 100 })
    s.services.review.settings.setUserName('Dr. Test')
    const backup = await call<BackupSummary>(s, 'backup/create')
    await setTitle(s, 'after the backup')
    await call(s, 'backup/restore', { name: backup.name })
    const since = Date.now()
    await vi.waitFor(
      () => {
        const scheduled = listBackups(catalogPath).filter((b) => b.reason === 'scheduled' && Date.parse(b.createdAt) >= since - 5)
        expect(scheduled.length).toBeGreaterThan(0)
        expect(titleIn(scheduled[0]!.file)).toBe('first title')
      },
      { timeout: 5000, interval: 20 }
    )
    expect(errors).not.toHaveBeenCalled()
  })

  it('a catalog that never had a backup lists none; backups go beside the catalog', async () => {
    const s = open()
    const listed = await call<{ folder: string; backups: BackupSummary[] }>(s, 'backup/list')
    expect(listed.backups).toEqual([])
    expect(existsSync(backupDir(catalogPath))).toBe(false)
    await call(s, 'backup/create')
    expect(readdirSync(backupDir(catalogPath))).toHaveLength(1)
  })
})

describe('CatalogSession: closing', () => {
  it('closes the connection and refuses requests afterwards', async () => {
    const s = open()
    const db = s.db
    await s.close()
    expect(db.open).toBe(false)
    expect((await failure(s, 'catalog/list', {})).code).toBe('unsupported')
    session = null
  })
})

describe('CatalogSession: one owner per catalog', () => {
  it('refuses a second session and a writing open on the same catalog in the same process, naming the owner', async () => {
    const s = open()
    expect(() => new CatalogSession({ catalogPath, transport: 'http', version: 'test', backupIntervalMs: 0 })).toThrow(
      /The catalog .*catalog\.db is open in .*\(pid \d+, since \d\d:\d\d\); nothing was changed\. Close it first/
    )
    expect(() => openCatalog(catalogPath)).toThrow(expect.objectContaining({ code: 'locked' }))
    // Reading beside the owner is fine (WAL readers).
    const reader = openCatalog(catalogPath, { readonly: true })
    expect(reader.prepare('SELECT count(*) AS n FROM entries').get()).toEqual({ n: 2 })
    reader.close()
    await s.close()
    session = null
    // Closed: the next owner gets in.
    openCatalog(catalogPath).close()
  })

  it('keeps the lock across a restore: no other writer can slip in while the catalog is swapped', async () => {
    let lockedDuringSwap: unknown = null
    const s = open({
      open: (path, o) => {
        // Every reopen (after the swap) happens under the session's lock: an outside writer is refused then too.
        try {
          openCatalog(path).close()
        } catch (e) {
          lockedDuringSwap = e
        }
        return openCatalog(path, o)
      }
    })
    const backup = await call<BackupSummary>(s, 'backup/create')
    lockedDuringSwap = null
    await call(s, 'backup/restore', { name: backup.name })
    expect(lockedDuringSwap).toMatchObject({ code: 'locked' })
    expect(() => openCatalog(catalogPath)).toThrow(/is open in/)
  })

  it('lets the lock go when the catalog fails to open, so a corrected retry is not refused', () => {
    for (const f of [catalogPath, `${catalogPath}-wal`, `${catalogPath}-shm`]) rmSync(f, { force: true })
    writeFileSync(catalogPath, 'not a database'.repeat(100))
    expect(() => open()).toThrow(/not an SQLite file/)
    session = null
    writeFileSync(catalogPath, '')
    open()
  })
})
