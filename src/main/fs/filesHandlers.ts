/**
 * The `files/*` operations as a host without windows answers them (serve
 * mode, and the default of every catalog host): `files/choose*` say "use the
 * folder browser", since main cannot open a dialog in the browser that
 * asked, and `files/list` lists folders under the browse roots. The app
 * replaces the choose* handlers with the system dialogs
 * (src/main/electron/dialogs.ts).
 */
import type { FilesOperationName } from '../../shared/filesContract'
import type { Handlers } from '../api/handlers'
import { FolderBrowser } from './folderBrowser'

export type FilesHandlers = Pick<Handlers, FilesOperationName>

export function createFilesHandlers(browser: FolderBrowser = new FolderBrowser()): FilesHandlers {
  const browse = () => ({ outcome: 'browse' }) as const
  return {
    'files/chooseFolder': browse,
    'files/chooseFile': browse,
    'files/chooseSave': browse,
    'files/list': (args) => browser.list(args)
  }
}
