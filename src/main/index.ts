/**
 * Electron entry: thin glue between Electron and the plain-Node services.
 * Window and protocol security live in ./electron; the API is dispatched
 * through the same validated handlers serve mode uses.
 */
import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { IPC_CHANNEL } from '../shared/operations'
import { CatalogSession } from './catalog/catalogSession'
import { handleAppProtocol, handleMediaProtocol, registerSchemesAsPrivileged } from './electron/protocols'
import { isSafeExternalUrl } from './electron/externalLinks'
import { createIpcHandler, denyAllPermissions, lockDownWebContents } from './electron/sessionSecurity'
import { APP_ORIGIN, secureWindowOptions } from './electron/windowOptions'
import { APP_VERSION } from './version'

registerSchemesAsPrivileged()
app.enableSandbox()

function catalogArg(): string | null {
  const i = process.argv.indexOf('--catalog')
  return i >= 0 ? (process.argv[i + 1] ?? null) : null
}

/** better-sqlite3 rebuilt for Electron by `npm start` (scripts/prepare-electron.mjs); packaged builds rebuild in place. */
function electronNativeBinding(): string | undefined {
  const candidate = join(app.getAppPath(), 'build', 'electron-native', 'better_sqlite3.node')
  return !app.isPackaged && existsSync(candidate) ? candidate : undefined
}

/** Only http(s) links leave the app, and only to the system browser. */
function openExternalSafely(url: string): void {
  if (isSafeExternalUrl(url)) void shell.openExternal(url)
}

/** Packaged builds carry ffmpeg/ffprobe as extra resources (electron-builder.json). */
function useBundledFfmpeg(): void {
  const dir = join(process.resourcesPath, 'ffmpeg')
  const exe = process.platform === 'win32' ? '.exe' : ''
  if (!app.isPackaged || !existsSync(join(dir, `ffmpeg${exe}`))) return
  process.env['FFMPEG_PATH'] ??= join(dir, `ffmpeg${exe}`)
  process.env['FFPROBE_PATH'] ??= join(dir, `ffprobe${exe}`)
}

app.whenReady().then(() => {
  useBundledFfmpeg()
  const catalogPath = resolve(catalogArg() ?? join(app.getPath('userData'), 'catalog.db'))
  const nativeBinding = electronNativeBinding()
  // Owns the catalog, its services and scheduled backups; restores a backup in place. Proxies for clips
  // Chromium cannot play are made in the background (cached ones cost nothing).
  const catalog = new CatalogSession({
    catalogPath,
    transport: 'ipc',
    version: APP_VERSION,
    cacheDir: join(app.getPath('userData'), 'media-cache'),
    enqueueProxies: true,
    ...(nativeBinding ? { nativeBinding } : {})
  })
  const services = catalog.services
  const devServerUrl = process.env['ELECTRON_RENDERER_URL']

  denyAllPermissions(session.defaultSession)
  handleAppProtocol(join(__dirname, '../renderer'))
  handleMediaProtocol(services)
  ipcMain.handle(IPC_CHANNEL, createIpcHandler(services.handlers, devServerUrl))
  app.on('web-contents-created', (_e, contents) => lockDownWebContents(contents, { devServerUrl, openExternal: openExternalSafely }))

  const win = new BrowserWindow(secureWindowOptions(join(__dirname, '../preload/index.js')))
  win.once('ready-to-show', () => win.show())
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`)

  app.on('window-all-closed', () => {
    void catalog.close().finally(() => app.quit())
  })
})
