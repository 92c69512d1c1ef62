/**
 * Electron entry: thin glue between Electron and the plain-Node services.
 * Window and protocol security live in ./electron; the API is dispatched
 * through the same validated handlers serve mode uses. Started with
 * `--study FILE.zip`, the app is a reader workstation: it opens that study
 * instead of a catalog, and answers nothing else.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { IPC_CHANNEL } from '../shared/operations'
import type { DispatchOptions, HandlerMap } from './api/dispatch'
import { setCatalogOwnerProgram } from './catalog/catalogLock'
import { CatalogSession } from './catalog/catalogSession'
import { appMenuTemplate } from './electron/appMenu'
import { parseLaunchArgs } from './electron/launchArgs'
import { openReaderStudy } from './electron/openReaderStudy'
import { handleAppProtocol, handleMediaProtocol, handleReaderMediaProtocol, registerSchemesAsPrivileged } from './electron/protocols'
import { isSafeExternalUrl } from './electron/externalLinks'
import { createIpcHandler, denyAllPermissions, lockDownWebContents } from './electron/sessionSecurity'
import { claimSingleInstance } from './electron/singleInstance'
import { APP_ORIGIN, secureWindowOptions } from './electron/windowOptions'
import { openStudy } from './reader/openStudy'
import { READER_DISPATCH, createReaderHandlers } from './reader/readerHandlers'
import { APP_VERSION } from './version'

registerSchemesAsPrivileged()
app.enableSandbox()
// Named to any other process the catalog lock refuses while the app has the catalog open.
setCatalogOwnerProgram('LUS Review app')
let mainWindow: BrowserWindow | null = null
const isOnlyInstance = claimSingleInstance(app, () => mainWindow)

/** What the window talks to: the catalog, or one reader study. */
interface OpenHost {
  handlers: HandlerMap
  dispatchOptions?: DispatchOptions
  close(): Promise<void>
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

function openCatalogHost(catalogArg: string | null, nativeBinding: string | undefined): OpenHost {
  const catalogPath = resolve(catalogArg ?? join(app.getPath('userData'), 'catalog.db'))
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
  handleMediaProtocol(catalog.services)
  return { handlers: catalog.services.handlers, close: () => catalog.close() }
}

/** A reader workstation: the study's own store under the user-data folder, no catalog opened at all. */
async function openReaderHost(studyPath: string, nativeBinding: string | undefined): Promise<OpenHost> {
  const study = await openStudy(studyPath, { studiesDir: join(app.getPath('userData'), 'studies'), ...(nativeBinding ? { nativeBinding } : {}) })
  handleReaderMediaProtocol(study.service)
  return { handlers: createReaderHandlers(study.service), dispatchOptions: READER_DISPATCH, close: async () => study.close() }
}

if (isOnlyInstance) void app.whenReady().then(async () => {
  useBundledFfmpeg()
  const nativeBinding = electronNativeBinding()
  const devServerUrl = process.env['ELECTRON_RENDERER_URL']

  denyAllPermissions(session.defaultSession)
  handleAppProtocol(join(__dirname, '../renderer'))
  app.on('web-contents-created', (_e, contents) => lockDownWebContents(contents, { devServerUrl, openExternal: openExternalSafely }))

  let host: OpenHost
  try {
    const launch = parseLaunchArgs(process.argv)
    host = launch.studyPath ? await openReaderHost(launch.studyPath, nativeBinding) : openCatalogHost(launch.catalogPath, nativeBinding)
  } catch (e) {
    dialog.showErrorBox('LUS Review cannot start', (e as Error).message)
    app.exit(1)
    return
  }
  ipcMain.handle(IPC_CHANNEL, createIpcHandler(host.handlers, devServerUrl, host.dispatchOptions))

  const win = new BrowserWindow(secureWindowOptions(join(__dirname, '../preload/index.js')))
  mainWindow = win
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        platform: process.platform,
        developer: !app.isPackaged,
        onOpenReaderStudy: () =>
          void openReaderStudy({
            showOpenDialog: (options) => dialog.showOpenDialog(win, options),
            argv: process.argv,
            relaunch: (options) => app.relaunch(options),
            exit: (code) => app.exit(code),
            closeCurrent: () => host.close()
          }).catch((e: unknown) => dialog.showErrorBox('Cannot open the reader study', (e as Error).message))
      })
    )
  )
  win.once('ready-to-show', () => win.show())
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`)

  app.on('window-all-closed', () => {
    void host.close().finally(() => app.quit())
  })
})
