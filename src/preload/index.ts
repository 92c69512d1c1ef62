/**
 * Exposes one function per API operation to the renderer (`window.lus`), and
 * the few desktop-only functions (`window.lusDesktop`: a dropped file's
 * path, menu commands, opening a dropped reader study). The renderer never
 * sees ipcRenderer; main validates every payload and the sender frame.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { isMenuCommand, MENU_COMMAND_CHANNEL, OPEN_DROPPED_STUDY_CHANNEL, type DesktopBridge, type MenuCommand } from '../shared/desktopBridge'
import { IPC_CHANNEL, OPERATION_NAMES } from '../shared/operations'

const api = Object.fromEntries(
  OPERATION_NAMES.map((op) => [op, (args: unknown) => ipcRenderer.invoke(IPC_CHANNEL, op, args)])
)

const desktop: DesktopBridge = {
  pathForFile: (file) => webUtils.getPathForFile(file),
  onMenuCommand: (listener) => {
    // Only the known commands pass, and the event object (which holds the sender) never reaches the page.
    const handler = (_event: unknown, command: unknown): void => {
      if (isMenuCommand(command)) listener(command as MenuCommand)
    }
    ipcRenderer.on(MENU_COMMAND_CHANNEL, handler)
    return () => void ipcRenderer.removeListener(MENU_COMMAND_CHANNEL, handler)
  },
  openReaderStudy: (path) => ipcRenderer.invoke(OPEN_DROPPED_STUDY_CHANNEL, path)
}

contextBridge.exposeInMainWorld('lus', api)
contextBridge.exposeInMainWorld('lusDesktop', desktop)
