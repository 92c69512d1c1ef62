/**
 * The Electron checklist items that are hooks rather than window options:
 * permissions, new windows, navigation, webviews and the IPC sender check.
 * Written against the few members of Electron's objects they use, so tests can
 * drive them without an Electron binary.
 */
import type { IpcMainInvokeEvent, Session, WebContents } from 'electron'
import { dispatch, type DispatchOptions, type HandlerMap } from '../api/dispatch'
import { fail } from '../../shared/result'
import { isSafeExternalUrl } from './externalLinks'
import { isTrustedRendererUrl } from './windowOptions'

/** LUS Review needs no camera, microphone, notifications, geolocation…: every request and check is denied. */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/**
 * New windows are always denied (an http(s) link goes to the system browser
 * instead), navigation away from the app is prevented, and webviews never attach.
 */
export function lockDownWebContents(
  contents: Pick<WebContents, 'setWindowOpenHandler' | 'on'>,
  options: { devServerUrl?: string | undefined; openExternal: (url: string) => void }
): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) options.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url, options.devServerUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/**
 * The one IPC handler: answers only the app's own frames, then dispatches
 * (which validates the payload and, on a reader workstation, refuses every
 * operation but the study's: `dispatchOptions` is READER_DISPATCH there).
 */
export function createIpcHandler(handlers: HandlerMap, devServerUrl?: string, dispatchOptions?: DispatchOptions) {
  return (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, op: unknown, args: unknown) => {
    if (!isTrustedRendererUrl(event.senderFrame?.url, devServerUrl))
      return Promise.resolve(fail('invalid_request', 'Refused: the request did not come from the LUS Review window.'))
    return dispatch(handlers, op, args, dispatchOptions)
  }
}
