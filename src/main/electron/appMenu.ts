/**
 * The application menu, as a template Electron's Menu.buildFromTemplate
 * takes. It holds no catalog command, so a reader workstation's menu
 * reaches nothing but its study; "Open reader study…" relaunches the app
 * holding another study (openReaderStudy.ts).
 */
import type { MenuItemConstructorOptions } from 'electron'

export interface AppMenuOptions {
  platform: NodeJS.Platform
  /** Reload and developer tools, for development builds only. */
  developer: boolean
  onOpenReaderStudy(): void
}

export const OPEN_READER_STUDY_LABEL = 'Open reader study…'

export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: OPEN_READER_STUDY_LABEL, accelerator: 'CmdOrCtrl+Shift+O', click: () => options.onOpenReaderStudy() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' }
    ]
  }
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(options.developer ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' }
    ]
  }
  return [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    // Copy and paste in the comment fields need the edit roles (on macOS there is no shortcut without them).
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' }
  ]
}
