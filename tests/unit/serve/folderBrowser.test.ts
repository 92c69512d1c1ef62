/**
 * Serve mode's folder browser over real HTTP (files/list through
 * startServer, with the token): only what lies under the roots, hidden
 * names only on request, symbolic links resolved and refused when they
 * leave the roots, names that are not UTF-8 flagged rather than crashing the
 * listing; files/choose* answer "browse"; a reader workstation refuses it all.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/main/api/dispatch'
import { createServices, type Services } from '../../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import {
  BROKEN_LINK_PROBLEM,
  BROWSE_ROOTS_ENV,
  LINK_OUTSIDE_PROBLEM,
  NOT_UTF8_PROBLEM,
  VOLUME_FOLDERS,
  defaultBrowseRoots
} from '../../../src/main/fs/folderBrowser'
import { READER_DISPATCH, READER_WORKSTATION_REFUSAL } from '../../../src/main/reader/readerHandlers'
import { startServer, type RunningServer } from '../../../src/main/serve/httpServer'
import type { FolderListing } from '../../../src/shared/filesContract'
import type { Result } from '../../../src/shared/result'
import { tempDir } from '../../helpers/paths'

describe('the default roots', () => {
  it('are the home folder and the volume mount folders, or LUS_BROWSE_ROOTS when set', () => {
    expect(defaultBrowseRoots({}, '/home/md')).toEqual(['/home/md', ...VOLUME_FOLDERS])
    expect(defaultBrowseRoots({ [BROWSE_ROOTS_ENV]: ` /data/a${delimiter}/data/b ${delimiter}` }, '/home/md')).toEqual(['/data/a', '/data/b'])
    expect(defaultBrowseRoots({ [BROWSE_ROOTS_ENV]: '  ' }, homedir())).toEqual([homedir(), ...VOLUME_FOLDERS])
  })
})

describe('files/list over HTTP', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let services: Services
  let server: RunningServer
  let home: string
  let usb: string
  let outside: string

  beforeAll(async () => {
    tmp = tempDir('lus-browse-')
    home = join(tmp.path, 'home')
    usb = join(tmp.path, 'media', 'USB STICK')
    outside = join(tmp.path, 'outside')
    for (const d of [home, usb, outside, join(home, 'data', 'pocus_videos'), join(home, '.config'), join(home, 'Études')]) mkdirSync(d, { recursive: true })
    writeFileSync(join(home, 'data', 'dataset_metadata.csv'), 'Filename\n')
    writeFileSync(join(home, 'study.zip'), 'PK')
    writeFileSync(join(home, 'STUDY2.ZIP'), 'PK!')
    writeFileSync(join(home, 'notes.txt'), 'notes')
    writeFileSync(join(home, '.hidden.zip'), 'PK')
    writeFileSync(join(outside, 'secret.zip'), 'secret')
    symlinkSync(join(home, 'data'), join(home, 'link-in'))
    symlinkSync(outside, join(home, 'link-out'))
    symlinkSync(join(outside, 'secret.zip'), join(home, 'out.zip'))
    symlinkSync(join(tmp.path, 'nowhere'), join(home, 'broken.zip'))
    symlinkSync(usb, join(home, 'usb'))
    // A name that is not UTF-8 (Latin-1 "é"): Linux file systems store any bytes.
    writeFileSync(Buffer.concat([Buffer.from(join(home, 'caf')), Buffer.from([0xe9]), Buffer.from('.zip')]), 'PK')
    db = openCatalog(join(tmp.path, 'catalog.db'))
    services = createServices({
      db,
      catalogPath: join(tmp.path, 'catalog.db'),
      transport: 'http',
      version: 'test',
      cacheDir: join(tmp.path, 'cache'),
      browseRoots: [home, join(tmp.path, 'media'), join(tmp.path, 'not-mounted')]
    })
    const rendererDir = join(tmp.path, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
    server = await startServer({ services, rendererDir })
  })
  afterAll(async () => {
    await server?.close()
    await services?.close()
    db?.close()
    tmp?.cleanup()
  })

  async function call(op: string, args: unknown, token = server.token): Promise<Result<unknown>> {
    const res = await fetch(`${server.addressOrigin}/api/${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(args)
    })
    return (await res.json()) as Result<unknown>
  }
  async function list(args: unknown): Promise<FolderListing> {
    const r = await call('files/list', args)
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
    return r.value as FolderListing
  }
  const names = (l: FolderListing): string[] => l.entries.map((e) => e.name)

  it('needs the token, like every call', async () => {
    const res = await fetch(`${server.addressOrigin}/api/files/list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(res.status).toBe(401)
  })

  it('lists the roots that exist when no folder is named', async () => {
    const roots = await list({})
    expect(roots.folder).toBeNull()
    expect(roots.roots.map((r) => r.path)).toEqual([home, join(tmp.path, 'media')])
    expect(roots.entries).toEqual(roots.roots.map((r) => ({ name: r.name, path: r.path, kind: 'folder', sizeBytes: null, problem: null })))
  })

  it('lists folders first, then the files asked for (any case of the extension); no hidden names', async () => {
    const l = await list({ path: home, files: ['zip'] })
    expect(l.folder).toBe(home)
    expect(l.parent).toBeNull()
    const usable = l.entries.filter((e) => e.problem === null)
    expect(usable.map((e) => [e.name, e.kind])).toEqual([
      ['data', 'folder'],
      ['Études', 'folder'],
      ['link-in', 'folder'],
      ['usb', 'folder'],
      ['study.zip', 'file'],
      ['STUDY2.ZIP', 'file']
    ])
    expect(names(l)).not.toContain('notes.txt')
    expect(names(l).filter((n) => n.startsWith('.'))).toEqual([])
    expect(l.entries.find((e) => e.name === 'study.zip')).toEqual({ name: 'study.zip', path: join(home, 'study.zip'), kind: 'file', sizeBytes: 2, problem: null })
    // Folders only unless files are asked for; all of them on request.
    expect((await list({ path: home })).entries.filter((e) => e.kind === 'file')).toEqual([])
    expect(names(await list({ path: home, files: 'all' }))).toContain('notes.txt')
  })

  it('shows hidden names only when asked', async () => {
    const l = await list({ path: home, files: ['zip'], showHidden: true })
    expect(names(l)).toEqual(expect.arrayContaining(['.config', '.hidden.zip']))
  })

  it('resolves links: one inside the roots leads to its target, one leaving them is listed as refused and cannot be opened', async () => {
    const l = await list({ path: home, files: ['zip'] })
    const by = (n: string) => l.entries.find((e) => e.name === n)
    expect(by('link-in')).toMatchObject({ kind: 'folder', path: join(home, 'data'), problem: null })
    // Into another root is still inside.
    expect(by('usb')).toMatchObject({ kind: 'folder', path: usb, problem: null })
    expect(by('link-out')).toEqual({ name: 'link-out', path: null, kind: 'folder', sizeBytes: null, problem: LINK_OUTSIDE_PROBLEM })
    expect(by('out.zip')).toEqual({ name: 'out.zip', path: null, kind: 'file', sizeBytes: null, problem: LINK_OUTSIDE_PROBLEM })
    expect(by('broken.zip')).toMatchObject({ path: null, problem: BROKEN_LINK_PROBLEM })
    const refused = await call('files/list', { path: join(home, 'link-out') })
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    // The listing never names what lies behind a refused link.
    expect(JSON.stringify(l)).not.toContain('secret')
  })

  it('flags a name that is not UTF-8 instead of failing or sending another name', async () => {
    const l = await list({ path: home, files: ['zip'] })
    const bad = l.entries.find((e) => e.problem === NOT_UTF8_PROBLEM)
    expect(bad).toEqual({ name: 'caf\uFFFD.zip', path: null, kind: 'file', sizeBytes: null, problem: NOT_UTF8_PROBLEM })
  })

  it('keeps to the roots: outside, climbing out with .., relative, not a folder, missing', async () => {
    for (const path of [outside, tmp.path, '/', '/etc', join(home, '..', 'outside'), `${home}/data/../../outside`])
      expect(await call('files/list', { path }), path).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await call('files/list', { path: 'home/data' })).toMatchObject({ ok: false, error: { code: 'bad_input' } })
    expect(await call('files/list', { path: join(home, 'study.zip') })).toMatchObject({ ok: false, error: { code: 'bad_input', message: /not a folder/ } })
    expect(await call('files/list', { path: join(home, 'gone') })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await call('files/list', { path: home, extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
  })

  it('names the parent while it is still inside a root', async () => {
    expect((await list({ path: join(home, 'data') })).parent).toBe(home)
    expect((await list({ path: join(home, 'data', 'pocus_videos') })).parent).toBe(join(home, 'data'))
    expect((await list({ path: usb })).parent).toBe(join(tmp.path, 'media'))
    expect((await list({ path: join(tmp.path, 'media') })).parent).toBeNull()
  })

  it('answers files/choose* with "browse": no dialog can open in the browser', async () => {
    for (const op of ['files/chooseFolder', 'files/chooseFile', 'files/chooseSave'])
      expect(await call(op, { title: 'Pick' }), op).toEqual({ ok: true, value: { outcome: 'browse' } })
  })

  it('is refused on a reader workstation, before the arguments are read', async () => {
    for (const op of ['files/list', 'files/chooseFolder', 'files/chooseFile', 'files/chooseSave'])
      expect(await dispatch(services.handlers, op, { path: home }, READER_DISPATCH), op).toEqual({
        ok: false,
        error: { code: 'forbidden', message: READER_WORKSTATION_REFUSAL }
      })
  })
})
