/**
 * What the app's preload exposes besides the API (`window.lus`): the path of
 * a file dropped on the window, the application menu's commands, and
 * opening a dropped reader study. Absent in serve mode, where a browser
 * never reveals a dropped file's path and there is no application menu.
 */

/** Main → renderer: a menu item the page carries out itself (its dialogs, its undo). */
export const MENU_COMMAND_CHANNEL = 'lus:menu-command'
/** Renderer → main: open this reader study (.zip) dropped on the window; main relaunches holding it. */
export const OPEN_DROPPED_STUDY_CHANNEL = 'lus:open-dropped-study'

export const MENU_COMMANDS = ['open-dataset', 'import-dicom', 'export-csv', 'backups', 'undo', 'redo', 'shortcuts'] as const
export type MenuCommand = (typeof MENU_COMMANDS)[number]

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value)
}

export interface DesktopBridge {
  /** The absolute path of a file or folder dropped on the page (Electron's webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: File): string
  /** Calls `listener` with each menu command; returns the function that stops it. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void
  /** Asks main to open a reader study: the app closes what it holds and relaunches as a reader workstation. */
  openReaderStudy(path: string): Promise<{ ok: true } | { ok: false; message: string }>
}
