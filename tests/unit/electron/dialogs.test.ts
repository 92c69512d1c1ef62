/**
 * files/choose* in the app: the system dialogs, driven through dispatch
 * with a stand-in for Electron's dialog module (no Electron binary runs
 * here). Checks what each dialog is asked for, and what a choice or a
 * cancel answers; serve mode's answer ("browse") is in
 * tests/unit/serve/folderBrowser.test.ts.
 */
import type { OpenDialogOptions, SaveDialogOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/main/api/dispatch'
import { createDialogHandlers, type DialogHost } from '../../../src/main/electron/dialogs'
import { createFilesHandlers } from '../../../src/main/fs/filesHandlers'
import { FolderBrowser } from '../../../src/main/fs/folderBrowser'

function standIn(answers: { open?: { canceled: boolean; filePaths: string[] }; save?: { canceled: boolean; filePath?: string } }) {
  const asked: { kind: 'open' | 'save'; options: OpenDialogOptions | SaveDialogOptions }[] = []
  const host: DialogHost = {
    showOpenDialog: async (options) => {
      asked.push({ kind: 'open', options })
      return answers.open ?? { canceled: true, filePaths: [] }
    },
    showSaveDialog: async (options) => {
      asked.push({ kind: 'save', options })
      return answers.save ?? { canceled: true }
    }
  }
  // What index.ts hands the IPC handler: the catalog's files handlers with the dialogs swapped in.
  const handlers = { ...createFilesHandlers(new FolderBrowser([])), ...createDialogHandlers(host) }
  return { asked, call: (op: string, args: unknown) => dispatch(handlers, op, args) }
}

describe('files/chooseFolder in the app', () => {
  it('opens the folder dialog where asked and answers the folder chosen', async () => {
    const d = standIn({ open: { canceled: false, filePaths: ['/home/md/data/covid19_ultrasound'] } })
    expect(await d.call('files/chooseFolder', { title: 'Dataset folder', defaultPath: '/home/md' })).toEqual({
      ok: true,
      value: { outcome: 'chosen', path: '/home/md/data/covid19_ultrasound' }
    })
    expect(d.asked).toEqual([
      { kind: 'open', options: { title: 'Dataset folder', defaultPath: '/home/md', properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'] } }
    ])
  })

  it('answers canceled when the dialog is cancelled or returns nothing', async () => {
    for (const open of [
      { canceled: true, filePaths: ['/x'] },
      { canceled: false, filePaths: [] }
    ])
      expect(await standIn({ open }).call('files/chooseFolder', {})).toEqual({ ok: true, value: { outcome: 'canceled' } })
  })
})

describe('files/chooseFile in the app', () => {
  it('opens a file dialog with the filters asked for', async () => {
    const d = standIn({ open: { canceled: false, filePaths: ['/home/md/crop.json'] } })
    const filters = [{ name: 'Crop settings (crop.json)', extensions: ['json'] }]
    expect(await d.call('files/chooseFile', { filters })).toEqual({ ok: true, value: { outcome: 'chosen', path: '/home/md/crop.json' } })
    expect(d.asked[0]!.options).toEqual({ filters, properties: ['openFile', 'dontAddToRecent'] })
  })

  it('refuses malformed filters and unknown keys before any dialog opens', async () => {
    const d = standIn({})
    for (const args of [{ filters: [{ name: 'Zip', extensions: ['.zip'] }] }, { filters: [{ name: 'Zip', extensions: [] }] }, { multi: true }, { defaultPath: '' }])
      expect(await d.call('files/chooseFile', args), JSON.stringify(args)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(d.asked).toEqual([])
  })
})

describe('files/chooseSave in the app', () => {
  it('opens the save dialog with the suggested name, confirming an overwrite', async () => {
    const d = standIn({ save: { canceled: false, filePath: '/home/md/submission.zip' } })
    const args = { title: 'Save the submission bundle', defaultPath: 'submission.zip', filters: [{ name: 'Zip archive', extensions: ['zip'] }] }
    expect(await d.call('files/chooseSave', args)).toEqual({ ok: true, value: { outcome: 'chosen', path: '/home/md/submission.zip' } })
    expect(d.asked[0]).toEqual({ kind: 'save', options: { ...args, properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'] } })
  })

  it('answers canceled for a cancel, and for the empty path some platforms give instead', async () => {
    for (const save of [{ canceled: true, filePath: '/x.zip' }, { canceled: false, filePath: '' }, { canceled: false }])
      expect(await standIn({ save }).call('files/chooseSave', {})).toEqual({ ok: true, value: { outcome: 'canceled' } })
  })
})
