/**
 * One owner per catalog: the lock taken by every writing open, refused
 * across processes and within one, released on close and by the death of
 * its owner (SIGKILL included: no stale lock).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { acquireCatalogLock, holdsCatalogLock, lockPaths } from '../../../src/main/catalog/catalogLock'
import { openCatalog } from '../../../src/main/catalog/database'
import { UserError } from '../../../src/main/errors'
import { tempDir } from '../../helpers/paths'

const HOLDER = resolve(__dirname, 'fixtures', 'holdCatalog.ts')

let dir: ReturnType<typeof tempDir>
let catalog: string
let child: ChildProcess | null = null

beforeEach(() => {
  dir = tempDir()
  catalog = join(dir.path, 'c.db')
})
afterEach(() => {
  child?.kill('SIGKILL')
  child = null
  dir.cleanup()
})

/** Starts a process holding the catalog open for writing; resolves once it holds it. */
function holdElsewhere(program: string): Promise<ChildProcess> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ['--import', 'tsx', HOLDER, catalog, program], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    p.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    p.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('READY')) done(p)
    })
    p.on('exit', (code) => fail(new Error(`holder exited (${code}): ${err}`)))
    child = p
  })
}

const waitExit = (p: ChildProcess): Promise<void> => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())))

describe('the catalog lock', () => {
  it('refuses a writer while another process holds the catalog, naming that program, its pid and since when', async () => {
    const holder = await holdElsewhere('lus-review serve')
    let error: unknown
    try {
      openCatalog(catalog)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).code).toBe('locked')
    expect((error as Error).message).toMatch(
      new RegExp(`^The catalog .*c\\.db is open in lus-review serve \\(pid ${holder.pid}, since \\d\\d:\\d\\d\\); nothing was changed\\. Close it first\\.$`)
    )
    expect(() => acquireCatalogLock(catalog, { instead: 'restore from inside it' })).toThrow(/Close it first, or restore from inside it\./)
    // Reading beside the owner works.
    const reader = openCatalog(catalog, { readonly: true })
    reader.close()
  }, 30_000)

  it('is free again the moment its owner is killed with SIGKILL: no stale lock', async () => {
    const holder = await holdElsewhere('lus-review import')
    expect(() => openCatalog(catalog)).toThrow(/lus-review import/)
    holder.kill('SIGKILL')
    await waitExit(holder)
    const db = openCatalog(catalog)
    // The dead owner's note was replaced by ours.
    expect(JSON.parse(readFileSync(lockPaths(catalog).owner, 'utf8'))).toMatchObject({ pid: process.pid })
    db.close()
    expect(existsSync(lockPaths(catalog).owner)).toBe(false)
  }, 30_000)

  it('refuses a second writer in the same process and lets the next one in after close()', () => {
    const db = openCatalog(catalog)
    expect(holdsCatalogLock(catalog)).toBe(true)
    expect(() => openCatalog(catalog)).toThrow(expect.objectContaining({ code: 'locked' }))
    expect(() => acquireCatalogLock(catalog)).toThrow(/is open in/)
    // Through another spelling of the same file.
    expect(() => openCatalog(join(dir.path, '.', 'sub', '..', 'c.db'))).toThrow(/is open in/)
    db.close()
    expect(holdsCatalogLock(catalog)).toBe(false)
    openCatalog(catalog).close()
  })

  it('writes the owner note while held and removes it on release; the lock file itself stays', () => {
    const lock = acquireCatalogLock(catalog, { program: 'lus-review restore' })
    try {
      expect(JSON.parse(readFileSync(lockPaths(catalog).owner, 'utf8'))).toMatchObject({ pid: process.pid, program: 'lus-review restore' })
    } finally {
      lock.release()
    }
    expect(existsSync(lockPaths(catalog).owner)).toBe(false)
    expect(existsSync(lockPaths(catalog).lock)).toBe(true)
  })
})
