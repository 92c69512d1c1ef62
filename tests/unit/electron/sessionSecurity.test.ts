/**
 * The Electron checklist hooks of src/main/electron/sessionSecurity.ts, driven
 * through stand-ins for the few members of Electron's Session and WebContents
 * they use (the Electron binary cannot run here).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { createIpcHandler, denyAllPermissions, lockDownWebContents } from '../../../src/main/electron/sessionSecurity'
import { APP_ORIGIN } from '../../../src/main/electron/windowOptions'
import { tempDir } from '../../helpers/paths'

type Listener = (event: { preventDefault(): void }, url: string) => void

function fakeContents() {
  let openHandler: ((details: { url: string }) => { action: string }) | null = null
  const listeners = new Map<string, Listener>()
  const contents = {
    setWindowOpenHandler: (h: typeof openHandler) => void (openHandler = h),
    on: (name: string, fn: Listener) => {
      listeners.set(name, fn)
      return contents
    }
  }
  /** Fires `name` like Electron would; true when the listener prevented the default. */
  const fire = (name: string, url = ''): boolean => {
    let prevented = false
    listeners.get(name)!({ preventDefault: () => void (prevented = true) }, url)
    return prevented
  }
  return { contents, fire, open: (url: string) => openHandler!({ url }) }
}

describe('permissions (checklist 5)', () => {
  it('denies every permission request and check', () => {
    let request: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null
    let check: ((...a: unknown[]) => boolean) | null = null
    denyAllPermissions({
      setPermissionRequestHandler: (h: never) => void (request = h),
      setPermissionCheckHandler: (h: never) => void (check = h)
    } as never)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'pointerLock']) {
      const answers: boolean[] = []
      request!(null, permission, (granted) => answers.push(granted))
      expect(answers, permission).toEqual([false])
      expect(check!(null, permission, APP_ORIGIN, {}), permission).toBe(false)
    }
  })
})

describe('new windows, navigation and webviews (checklist 11, 12, 13, 14)', () => {
  it('denies every new window; only plain http(s) links go to the system browser', () => {
    const opened: string[] = []
    const w = fakeContents()
    lockDownWebContents(w.contents as never, { openExternal: (url) => opened.push(url) })
    for (const url of ['https://github.com/jannisborn/covid19_ultrasound', 'http://example.org/a', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:secret@example.org/', `${APP_ORIGIN}/index.html`, 'smb://host/share', 'not a url'])
      expect(w.open(url), url).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://github.com/jannisborn/covid19_ultrasound', 'http://example.org/a'])
  })

  it('prevents navigation away from the app, allowing the dev server only when it is the renderer', () => {
    const w = fakeContents()
    lockDownWebContents(w.contents as never, { openExternal: () => undefined })
    expect(w.fire('will-navigate', 'https://evil.example/')).toBe(true)
    expect(w.fire('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(w.fire('will-navigate', 'http://localhost:5173/')).toBe(true)
    expect(w.fire('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false)
    const dev = fakeContents()
    lockDownWebContents(dev.contents as never, { devServerUrl: 'http://localhost:5173', openExternal: () => undefined })
    expect(dev.fire('will-navigate', 'http://localhost:5173/')).toBe(false)
    expect(dev.fire('will-navigate', 'http://localhost:5174/')).toBe(true)
  })

  it('never attaches a webview', () => {
    const w = fakeContents()
    lockDownWebContents(w.contents as never, { openExternal: () => undefined })
    expect(w.fire('will-attach-webview')).toBe(true)
  })
})

describe('the IPC handler (checklist 16)', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let services: Services
  beforeAll(() => {
    tmp = tempDir('lus-ipc-')
    db = openCatalog(join(tmp.path, 'catalog.db'))
    services = createServices({ db, catalogPath: join(tmp.path, 'catalog.db'), transport: 'ipc', version: 'test', cacheDir: join(tmp.path, 'cache') })
  })
  afterAll(async () => {
    await services.close()
    db.close()
    tmp.cleanup()
  })

  it('answers the app’s own frame and refuses any other sender', async () => {
    const handle = createIpcHandler(services.handlers)
    const own = await handle({ senderFrame: { url: `${APP_ORIGIN}/index.html` } } as never, 'app/info', {})
    expect(own).toMatchObject({ ok: true, value: { transport: 'ipc', version: 'test' } })
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'http://localhost:5173/', undefined]) {
      const answer = await handle({ senderFrame: url === undefined ? null : { url } } as never, 'app/info', {})
      expect(answer, String(url)).toEqual({ ok: false, error: { code: 'invalid_request', message: 'Refused: the request did not come from the LUS Review window.' } })
    }
  })

  it('validates what a trusted frame sends', async () => {
    const handle = createIpcHandler(services.handlers)
    const frame = { senderFrame: { url: `${APP_ORIGIN}/index.html` } } as never
    expect(await handle(frame, 'no/such-op', {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await handle(frame, 'catalog/get', { id: 'one' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await handle(frame, 'catalog/get', { id: 1, extra: true })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
  })
})
