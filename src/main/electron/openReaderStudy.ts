/**
 * File → Open reader study…: asks for the bundle, then relaunches the app
 * holding it (`--study FILE.zip`). A relaunch rather than a switch in place:
 * a reader workstation must have no catalog services in its process at all.
 * A study dropped on the window takes the same way (openDroppedReaderStudy).
 */
import type { IpcMainInvokeEvent, OpenDialogOptions } from 'electron'
import { statSync } from 'node:fs'
import { basename, extname, isAbsolute } from 'node:path'
import { readerRelaunchArgs } from './launchArgs'
import { isTrustedRendererUrl } from './windowOptions'

/** The few members of Electron's dialog and app this needs, so tests can stand in for them. */
export interface OpenReaderStudyDeps {
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>
  argv: readonly string[]
  relaunch(options: { args: string[] }): void
  exit(code: number): void
  /** Closes what is open now (the catalog or the study) before the process goes. */
  closeCurrent(): Promise<void>
}

export const OPEN_READER_STUDY_DIALOG: OpenDialogOptions = {
  title: 'Open reader study',
  buttonLabel: 'Open study',
  properties: ['openFile'],
  filters: [{ name: 'Reader study (.zip)', extensions: ['zip'] }]
}

/** The study chosen, or null when the dialog was cancelled (nothing else happens then). */
export async function openReaderStudy(deps: OpenReaderStudyDeps): Promise<string | null> {
  const answer = await deps.showOpenDialog(OPEN_READER_STUDY_DIALOG)
  const studyPath = answer.filePaths[0]
  if (answer.canceled || studyPath === undefined) return null
  await relaunchHolding(studyPath, deps)
  return studyPath
}

/**
 * A reader study dropped on the window (its path from the preload): the
 * same relaunch, once the path is checked to be an existing .zip file.
 * Returns why it was refused, or null once the relaunch is under way.
 */
export async function openDroppedReaderStudy(path: unknown, deps: Omit<OpenReaderStudyDeps, 'showOpenDialog'>): Promise<string | null> {
  if (typeof path !== 'string' || !isAbsolute(path) || extname(path).toLowerCase() !== '.zip')
    return 'Only a reader study (.zip file) can be opened by dropping it on the window.'
  let isFile = false
  try {
    isFile = statSync(path).isFile()
  } catch {
    isFile = false
  }
  if (!isFile) return `${basename(path)} is not a file that can be read.`
  await relaunchHolding(path, deps)
  return null
}

async function relaunchHolding(studyPath: string, deps: Omit<OpenReaderStudyDeps, 'showOpenDialog'>): Promise<void> {
  await deps.closeCurrent()
  deps.relaunch({ args: readerRelaunchArgs(deps.argv, studyPath) })
  deps.exit(0)
}

/**
 * The IPC handler behind window.lusDesktop.openReaderStudy: only the app's
 * own frames may ask, and only for an existing .zip.
 */
export function createDroppedStudyHandler(deps: Omit<OpenReaderStudyDeps, 'showOpenDialog'>, devServerUrl?: string) {
  return async (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, path: unknown): Promise<{ ok: true } | { ok: false; message: string }> => {
    if (!isTrustedRendererUrl(event.senderFrame?.url, devServerUrl)) return { ok: false, message: 'Refused: the request did not come from the LUS Review window.' }
    const refused = await openDroppedReaderStudy(path, deps)
    return refused === null ? { ok: true } : { ok: false, message: refused }
  }
}
