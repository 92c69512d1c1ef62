/**
 * The app's answer to `files/choose*`: the system's own open and save
 * dialogs, attached to the window. Written against the two dialog calls it
 * uses, so tests drive it with stand-ins (no Electron binary runs here).
 * Serve mode answers these operations with "use the folder browser"
 * (src/main/fs/filesHandlers.ts).
 */
import type { OpenDialogOptions, SaveDialogOptions } from 'electron'
import type { ChooseArgs, ChooseResult } from '../../shared/filesContract'
import type { FilesHandlers } from '../fs/filesHandlers'

/** Electron's dialog module bound to the main window: `(options) => dialog.showOpenDialog(win, options)`. */
export interface DialogHost {
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string | undefined }>
}

export type DialogHandlers = Pick<FilesHandlers, 'files/chooseFolder' | 'files/chooseFile' | 'files/chooseSave'>

/** What every dialog shares: the title, where it opens, and the filters of file dialogs. */
function common(args: ChooseArgs, withFilters: boolean): OpenDialogOptions & SaveDialogOptions {
  return {
    ...(args.title !== undefined ? { title: args.title } : {}),
    ...(args.defaultPath !== undefined ? { defaultPath: args.defaultPath } : {}),
    ...(withFilters && args.filters?.length ? { filters: args.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })) } : {})
  }
}

export function chooseFolderOptions(args: ChooseArgs): OpenDialogOptions {
  return { ...common(args, false), properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'] }
}

export function chooseFileOptions(args: ChooseArgs): OpenDialogOptions {
  return { ...common(args, true), properties: ['openFile', 'dontAddToRecent'] }
}

export function chooseSaveOptions(args: ChooseArgs): SaveDialogOptions {
  return { ...common(args, true), properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'] }
}

function opened(answer: { canceled: boolean; filePaths: string[] }): ChooseResult {
  const path = answer.filePaths[0]
  return answer.canceled || path === undefined ? { outcome: 'canceled' } : { outcome: 'chosen', path }
}

export function createDialogHandlers(host: DialogHost): DialogHandlers {
  return {
    'files/chooseFolder': async (args) => opened(await host.showOpenDialog(chooseFolderOptions(args))),
    'files/chooseFile': async (args) => opened(await host.showOpenDialog(chooseFileOptions(args))),
    'files/chooseSave': async (args) => {
      const answer = await host.showSaveDialog(chooseSaveOptions(args))
      // Some platforms answer a cancel with an empty path rather than `canceled`.
      return answer.canceled || !answer.filePath ? { outcome: 'canceled' } : { outcome: 'chosen', path: answer.filePath }
    }
  }
}
