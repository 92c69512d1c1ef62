/**
 * The Electron glue of reader mode, with stand-ins for Electron (whose
 * binary cannot run here): the `--study` command line and the relaunch
 * that opens another study, the "Open reader study…" flow (by menu or drop),
 * the `lus-media://` scheme in both modes, and the IPC handler of a reader
 * workstation.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createServices, type Services } from '../../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { parseLaunchArgs, readerRelaunchArgs } from '../../../src/main/electron/launchArgs'
import { OPEN_READER_STUDY_DIALOG, createDroppedStudyHandler, openReaderStudy } from '../../../src/main/electron/openReaderStudy'
import { createIpcHandler } from '../../../src/main/electron/sessionSecurity'
import { APP_ORIGIN } from '../../../src/main/electron/windowOptions'
import { openStudy, type OpenedStudy } from '../../../src/main/reader/openStudy'
import { READER_DISPATCH, READER_WORKSTATION_REFUSAL, createReaderHandlers } from '../../../src/main/reader/readerHandlers'
import { tempDir } from '../../helpers/paths'
import { RATER_A, makeStudyMedia, studyParts, writeStudyZip, type StudyMedia } from '../reader/studyFixture'

type Handler = (request: Request) => Response | Promise<Response>
const registered = vi.hoisted(() => new Map<string, (request: Request) => Response | Promise<Response>>())
vi.mock('electron', () => ({
  protocol: {
    handle: (scheme: string, handler: Handler) => registered.set(scheme, handler),
    registerSchemesAsPrivileged: () => undefined
  }
}))
const { handleMediaProtocol, handleReaderMediaProtocol } = await import('../../../src/main/electron/protocols')

describe('the command line', () => {
  it('reads --study and --catalog, as two arguments or with =, resolving relative paths', () => {
    expect(parseLaunchArgs(['/opt/LUS Review/lus-review'], '/home/md')).toEqual({ catalogPath: null, studyPath: null })
    expect(parseLaunchArgs(['electron', '.', '--study', 'in/study.zip'], '/home/md')).toEqual({ catalogPath: null, studyPath: '/home/md/in/study.zip' })
    expect(parseLaunchArgs(['app', '--study=/data/s.zip', '--catalog', 'c.db'], '/w')).toEqual({ catalogPath: '/w/c.db', studyPath: '/data/s.zip' })
  })

  it('refuses --study without a file', () => {
    expect(() => parseLaunchArgs(['app', '--study'])).toThrow(/--study needs a file/)
    expect(() => parseLaunchArgs(['app', '--study', '--catalog', 'x'])).toThrow(/--study needs a file/)
    expect(() => parseLaunchArgs(['app', '--study='])).toThrow(/reader study file/)
  })

  it('relaunches with the same arguments and the new study, dropping an earlier one', () => {
    expect(readerRelaunchArgs(['electron', '.', '--catalog', 'c.db'], '/s/new.zip')).toEqual(['.', '--catalog', 'c.db', '--study', '/s/new.zip'])
    expect(readerRelaunchArgs(['app', '--study', '/s/old.zip', '--x', '--study=/s/older.zip'], '/s/new.zip')).toEqual(['--x', '--study', '/s/new.zip'])
    // What the relaunched app reads back.
    expect(parseLaunchArgs(['app', ...readerRelaunchArgs(['app', '--study', '/s/old.zip'], '/s/new.zip')]).studyPath).toBe('/s/new.zip')
  })
})

// The application menu in both modes: menu.test.ts.

describe('File → Open reader study…', () => {
  function deps(answer: { canceled: boolean; filePaths: string[] }) {
    const events: string[] = []
    const seen: { dialog?: unknown; relaunch?: { args: string[] }; exit?: number } = {}
    return {
      events,
      seen,
      deps: {
        showOpenDialog: async (options: unknown) => {
          events.push('dialog')
          seen.dialog = options
          return answer
        },
        argv: ['/opt/lus-review', '--catalog', '/c.db'],
        relaunch: (o: { args: string[] }) => {
          events.push('relaunch')
          seen.relaunch = o
        },
        exit: (code: number) => {
          events.push('exit')
          seen.exit = code
        },
        closeCurrent: async () => void events.push('close')
      }
    }
  }

  it('asks for a .zip, closes what is open, relaunches holding the study, then exits', async () => {
    const d = deps({ canceled: false, filePaths: ['/home/md/Downloads/study.zip'] })
    expect(await openReaderStudy(d.deps)).toBe('/home/md/Downloads/study.zip')
    expect(d.events).toEqual(['dialog', 'close', 'relaunch', 'exit'])
    expect(d.seen.dialog).toBe(OPEN_READER_STUDY_DIALOG)
    expect(OPEN_READER_STUDY_DIALOG.filters).toEqual([{ name: 'Reader study (.zip)', extensions: ['zip'] }])
    expect(d.seen.relaunch).toEqual({ args: ['--catalog', '/c.db', '--study', '/home/md/Downloads/study.zip'] })
    expect(d.seen.exit).toBe(0)
  })

  it('opens a reader study dropped on the window: an existing .zip, asked by the app’s own frame', async () => {
    const tmp = tempDir('lus-drop-')
    try {
      const zip = join(tmp.path, 'study.zip')
      writeFileSync(zip, 'PK')
      const d = deps({ canceled: true, filePaths: [] })
      const { showOpenDialog: _unused, ...relaunch } = d.deps
      const handle = createDroppedStudyHandler(relaunch)
      const own = { senderFrame: { url: `${APP_ORIGIN}/index.html` } }
      // Refused, and nothing closed: another frame, not a .zip, a relative path, a folder named .zip, nothing there.
      expect(await handle({ senderFrame: { url: 'https://evil.example/' } } as never, zip)).toMatchObject({ ok: false, message: /did not come from/ })
      expect(await handle(own as never, join(tmp.path, 'notes.txt'))).toMatchObject({ ok: false, message: /\.zip/ })
      expect(await handle(own as never, 'study.zip')).toMatchObject({ ok: false })
      expect(await handle(own as never, 42)).toMatchObject({ ok: false })
      mkdirSync(join(tmp.path, 'folder.zip'))
      expect(await handle(own as never, join(tmp.path, 'folder.zip'))).toMatchObject({ ok: false, message: /not a file/ })
      expect(await handle(own as never, join(tmp.path, 'gone.zip'))).toMatchObject({ ok: false, message: /not a file/ })
      expect(d.events).toEqual([])
      expect(await handle(own as never, zip)).toEqual({ ok: true })
      expect(d.events).toEqual(['close', 'relaunch', 'exit'])
      expect(d.seen.relaunch).toEqual({ args: ['--catalog', '/c.db', '--study', zip] })
    } finally {
      tmp.cleanup()
    }
  })

  it('does nothing when the dialog is cancelled', async () => {
    for (const answer of [{ canceled: true, filePaths: ['/x.zip'] }, { canceled: false, filePaths: [] }]) {
      const d = deps(answer)
      expect(await openReaderStudy(d.deps)).toBeNull()
      expect(d.events).toEqual(['dialog'])
    }
  })
})

describe('the media scheme and IPC of a reader workstation', () => {
  let tmp: ReturnType<typeof tempDir>
  let media: StudyMedia
  let study: OpenedStudy
  let db: CatalogDb
  let services: Services

  beforeAll(async () => {
    tmp = tempDir('lus-electron-reader-')
    media = await makeStudyMedia(tmp.path)
    study = await openStudy(await writeStudyZip(join(tmp.path, 'study.zip'), studyParts(media)), { studiesDir: join(tmp.path, 'studies') })
    db = openCatalog(join(tmp.path, 'catalog.db'))
    services = createServices({ db, catalogPath: join(tmp.path, 'catalog.db'), transport: 'ipc', version: 'test', cacheDir: join(tmp.path, 'cache') })
  })
  afterAll(async () => {
    study?.close()
    await services?.close()
    db?.close()
    tmp?.cleanup()
  })

  const call = (url: string, headers: Record<string, string> = {}): Promise<Response> => Promise.resolve(registered.get('lus-media')!(new Request(url, { headers })))

  it('answers lus-media://study/<clipNo> with the clip, Range included, and 404 to catalog media', async () => {
    handleReaderMediaProtocol(study.service)
    const whole = await call('lus-media://study/1')
    expect(whole.status).toBe(200)
    expect(whole.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
    expect(Buffer.from(await whole.arrayBuffer()).equals(media.clips[0]!.bytes)).toBe(true)
    const part = await call('lus-media://study/3', { Range: 'bytes=4-11' })
    expect(part.status).toBe(206)
    expect(Buffer.from(await part.arrayBuffer()).equals(media.clips[2]!.bytes.subarray(4, 12))).toBe(true)
    expect((await call('lus-media://study/2')).headers.get('content-type')).toBe('image/png')
    expect((await call('lus-media://study/4')).status).toBe(404)
    expect((await call('lus-media://study/abc')).status).toBe(400)
    expect((await call('lus-media://study/..%2Fstudy.db')).status).toBe(400)
    expect((await call('lus-media://media/1')).status).toBe(404)
    expect((await call('lus-media://elsewhere/1')).status).toBe(400)
  })

  it('answers lus-media://study/… with 404 in catalog mode', async () => {
    handleMediaProtocol(services)
    const res = await call('lus-media://study/1')
    expect(res.status).toBe(404)
    expect(await res.text()).toBe('No reader study is open here.')
    expect((await call('lus-media://media/abc')).status).toBe(400)
  })

  it('dispatches the window’s calls as a reader workstation', async () => {
    const handle = createIpcHandler(createReaderHandlers(study.service), undefined, READER_DISPATCH)
    const own = { senderFrame: { url: `${APP_ORIGIN}/index.html` } } as never
    expect(await handle(own, 'app/mode', {})).toEqual({ ok: true, value: { mode: 'reader' } })
    expect(await handle(own, 'reader/open', { raterId: RATER_A.id })).toMatchObject({ ok: true, value: { clip: { handle: 'Clip 3 of 3' } } })
    for (const op of ['app/info', 'catalog/list', 'backup/restore', 'rater/sets', 'reviewSets/exportReaderBundle', 'files/list', 'files/chooseFolder', 'files/chooseFile', 'files/chooseSave'])
      expect(await handle(own, op, {}), op).toEqual({ ok: false, error: { code: 'forbidden', message: READER_WORKSTATION_REFUSAL } })
    expect(await handle({ senderFrame: { url: 'https://evil.example/' } } as never, 'app/mode', {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
  })
})
