/**
 * The application menu, replacing Electron's default one, as a template
 * Menu.buildFromTemplate takes: a pure function of the mode and platform, so
 * tests check it without Electron. Items that open the page's own dialogs
 * (Open dataset folder…, Backups…) or use its undo are sent to the page as
 * menu commands (preload: window.lusDesktop.onMenuCommand). A reader
 * workstation's menu holds no catalog command at all: its page could not
 * answer one, and its undo is the text fields' own.
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { MenuCommand } from '../../shared/desktopBridge'

export interface AppMenuOptions {
  platform: NodeJS.Platform
  /** Reload and developer tools, for development builds only. */
  developer: boolean
  /** What the window holds: the catalog, or one reader study. */
  mode: 'catalog' | 'reader'
  onOpenReaderStudy(): void
  /** Hands a command to the page (webContents.send on MENU_COMMAND_CHANNEL). */
  sendCommand(command: MenuCommand): void
  openDocumentation(): void
  openLogsFolder(): void
  showAbout(): void
}

export const OPEN_READER_STUDY_LABEL = 'Open reader study…'
export const ABOUT_LABEL = 'About LUS Review'

type Item = MenuItemConstructorOptions
const separator: Item = { type: 'separator' }

export function appMenuTemplate(options: AppMenuOptions): Item[] {
  const mac = options.platform === 'darwin'
  const catalog = options.mode === 'catalog'
  const send = (command: MenuCommand) => () => options.sendCommand(command)

  const file: Item = {
    label: 'File',
    submenu: [
      ...(catalog ? [{ label: 'Open dataset folder…', accelerator: 'CmdOrCtrl+O', click: send('open-dataset') }] : []),
      { label: OPEN_READER_STUDY_LABEL, accelerator: 'CmdOrCtrl+Shift+O', click: () => options.onOpenReaderStudy() },
      ...(catalog
        ? [
            separator,
            { label: 'Import DICOM…', click: send('import-dicom') },
            { label: 'Export CSV…', accelerator: 'CmdOrCtrl+E', click: send('export-csv') },
            separator,
            { label: 'Backups…', click: send('backups') }
          ]
        : []),
      separator,
      mac ? { role: 'close' } : { role: 'quit' }
    ]
  }

  // The catalog's undo walks its audit trail (the page decides: a focused text field undoes its typing instead).
  // The accelerators are shown but left to the page's own key handling, which already knows both cases.
  const undoRedo: Item[] = catalog
    ? [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', registerAccelerator: false, click: send('undo') },
        { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', registerAccelerator: false, click: send('redo') }
      ]
    : [{ role: 'undo' }, { role: 'redo' }]
  const edit: Item = {
    label: 'Edit',
    // Copy and paste in the text fields need the edit roles (on macOS there is no shortcut without them).
    submenu: [...undoRedo, separator, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }]
  }

  const view: Item = {
    label: 'View',
    submenu: [
      ...(options.developer ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator] satisfies Item[] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' }
    ]
  }

  const help: Item = {
    role: 'help',
    submenu: [
      ...(catalog ? [{ label: 'Keyboard shortcuts', accelerator: '?', registerAccelerator: false, click: send('shortcuts') }] : []),
      { label: 'Documentation', click: () => options.openDocumentation() },
      { label: 'Open logs folder', click: () => options.openLogsFolder() },
      separator,
      { label: ABOUT_LABEL, click: () => options.showAbout() }
    ]
  }

  return [...(mac ? [{ role: 'appMenu' } satisfies Item] : []), file, edit, view, { role: 'windowMenu' }, help]
}

/** The versions About shows; null where the part is absent (no ffmpeg found, no model installed). */
export interface AboutVersions {
  app: string
  electron: string
  chromium: string
  node: string
  sqlite: string | null
  ffmpeg: string | null
  /** The classifier model's name and version, or why there is none. */
  model: string | null
}

/** About's text: one line per part, so a bug report can quote it whole. */
export function aboutDetail(v: AboutVersions): string {
  return [
    `LUS Review ${v.app}`,
    `Electron ${v.electron}`,
    `Chromium ${v.chromium}`,
    `Node ${v.node}`,
    `SQLite ${v.sqlite ?? 'unknown'}`,
    `ffmpeg ${v.ffmpeg ?? 'not found'}`,
    `Classifier model: ${v.model ?? 'none'}`
  ].join('\n')
}

/** The version in `ffmpeg -version`'s first line ("ffmpeg version 6.1.1-3ubuntu5 Copyright …"), or null. */
export function ffmpegVersionFrom(output: string): string | null {
  return /^ffmpeg version (\S+)/m.exec(output)?.[1] ?? null
}
