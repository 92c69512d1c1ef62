/**
 * File → Open reader study…: asks for the bundle, then relaunches the app
 * holding it (`--study FILE.zip`). A relaunch rather than a switch in place:
 * a reader workstation must have no catalog services in its process at all.
 */
import type { OpenDialogOptions } from 'electron'
import { readerRelaunchArgs } from './launchArgs'

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
  await deps.closeCurrent()
  deps.relaunch({ args: readerRelaunchArgs(deps.argv, studyPath) })
  deps.exit(0)
  return studyPath
}
