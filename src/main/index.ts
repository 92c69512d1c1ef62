/**
 * Electron entry: thin glue between Electron and the plain-Node services.
 * Window and protocol security live in ./electron; the API is dispatched
 * through the same validated handlers serve mode uses. Started with
 * `--study FILE.zip`, the app is a reader workstation: it opens that study
 * instead of a catalog, and answers nothing else.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron'
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { MENU_COMMAND_CHANNEL, OPEN_DROPPED_STUDY_CHANNEL } from '../shared/desktopBridge'
import { IPC_CHANNEL } from '../shared/operations'
import type { DispatchOptions, HandlerMap } from './api/dispatch'
import { setCatalogOwnerProgram } from './catalog/catalogLock'
import { CatalogSession } from './catalog/catalogSession'
import { aboutVersions } from './electron/about'
import { createDialogHandlers, type DialogHost } from './electron/dialogs'
import { aboutDetail, appMenuTemplate } from './electron/menu'
import { parseLaunchArgs } from './electron/launchArgs'
import { createDroppedStudyHandler, openReaderStudy, type OpenReaderStudyDeps } from './electron/openReaderStudy'
import { handleAppProtocol, handleMediaProtocol, handleReaderMediaProtocol, registerSchemesAsPrivileged } from './electron/protocols'
import { isSafeExternalUrl } from './electron/externalLinks'
import { createIpcHandler, denyAllPermissions, lockDownWebContents } from './electron/sessionSecurity'
import { claimSingleInstance } from './electron/singleInstance'
import { APP_ORIGIN, secureWindowOptions } from './electron/windowOptions'
import { initLogging } from './log/logger'
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
  mode: 'catalog' | 'reader'
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
  // files/choose* open the system dialogs here; serve mode answers them with its folder browser.
  return { mode: 'catalog', handlers: { ...catalog.services.handlers, ...createDialogHandlers(windowDialogs) }, close: () => catalog.close() }
}

/** The system's open and save dialogs, attached to the window once there is one. */
const windowDialogs: DialogHost = {
  showOpenDialog: (options) => (mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options)),
  showSaveDialog: (options) => (mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options))
}

/** Help → Documentation: the docs shipped beside the app (resources/docs), or the source tree's in development. */
function openDocumentation(): void {
  const folder = [join(process.resourcesPath ?? '', 'docs'), join(app.getAppPath(), 'docs')].find((d) => existsSync(d))
  if (folder) void shell.openPath(folder)
  else dialog.showErrorBox('Documentation', 'This installation carries no documentation folder; see the docs/ folder of the LUS Review source.')
}

async function showAbout(win: BrowserWindow, host: OpenHost, nativeBinding: string | undefined): Promise<void> {
  const modelInfo = host.handlers['classifier/modelInfo']
  const versions = await aboutVersions({
    app: APP_VERSION,
    versions: process.versions,
    nativeBinding,
    modelInfo: host.mode === 'catalog' && modelInfo ? () => modelInfo({}) : undefined
  })
  await dialog.showMessageBox(win, { type: 'info', title: 'About LUS Review', message: 'LUS Review', detail: aboutDetail(versions), buttons: ['OK'] })
}

/** A reader workstation: the study's own store under the user-data folder, no catalog opened at all. */
async function openReaderHost(studyPath: string, nativeBinding: string | undefined): Promise<OpenHost> {
  const study = await openStudy(studyPath, { studiesDir: join(app.getPath('userData'), 'studies'), ...(nativeBinding ? { nativeBinding } : {}) })
  handleReaderMediaProtocol(study.service)
  return { mode: 'reader', handlers: createReaderHandlers(study.service), dispatchOptions: READER_DISPATCH, close: async () => study.close() }
}

if (isOnlyInstance) void app.whenReady().then(async () => {
  // The app's log lives where the OS keeps an app's logs; a log that cannot be opened is no reason not to start.
  await initLogging('app', app.getPath('logs')).catch(() => undefined)
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
  // An installed app checks only the results a blinded rater sees against the contract; development and tests check every one.
  const resultChecks: DispatchOptions = app.isPackaged ? { checkResults: 'rater-only' } : {}
  ipcMain.handle(IPC_CHANNEL, createIpcHandler(host.handlers, devServerUrl, { ...resultChecks, ...host.dispatchOptions }))

  const win = new BrowserWindow(secureWindowOptions(join(__dirname, '../preload/index.js')))
  mainWindow = win
  const relaunchDeps: Omit<OpenReaderStudyDeps, 'showOpenDialog'> = {
    argv: process.argv,
    relaunch: (options) => app.relaunch(options),
    exit: (code) => app.exit(code),
    closeCurrent: () => host.close()
  }
  // A reader study dropped on the window (its path read by the preload) relaunches the app holding it.
  ipcMain.handle(OPEN_DROPPED_STUDY_CHANNEL, createDroppedStudyHandler(relaunchDeps, devServerUrl))
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        platform: process.platform,
        developer: !app.isPackaged,
        mode: host.mode,
        onOpenReaderStudy: () =>
          void openReaderStudy({ showOpenDialog: (options) => dialog.showOpenDialog(win, options), ...relaunchDeps }).catch((e: unknown) =>
            dialog.showErrorBox('Cannot open the reader study', (e as Error).message)
          ),
        sendCommand: (command) => win.webContents.send(MENU_COMMAND_CHANNEL, command),
        openDocumentation,
        openLogsFolder: () => {
          const logs = app.getPath('logs')
          mkdirSync(logs, { recursive: true })
          void shell.openPath(logs)
        },
        showAbout: () => void showAbout(win, host, nativeBinding).catch((e: unknown) => dialog.showErrorBox('About LUS Review', (e as Error).message))
      })
    )
  )
  win.once('ready-to-show', () => win.show())
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`)

  app.on('window-all-closed', () => {
    void host.close().finally(() => app.quit())
  })
})
