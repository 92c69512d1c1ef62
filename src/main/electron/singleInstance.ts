/**
 * One app window per user: a second launch of LUS Review hands over to the
 * running one (which comes to the front) and quits, instead of opening the
 * same catalog a second time. The catalog lock (catalog/catalogLock.ts) would
 * refuse it anyway; this spares the user the refusal dialog.
 */

/** The few members of Electron's `app` this needs, so tests can stand in for them. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean
  quit(): void
  on(event: 'second-instance', listener: () => void): unknown
}

/** The window to bring forward when the user launches the app again. */
export interface FocusableWindow {
  isMinimized(): boolean
  restore(): void
  focus(): void
}

/**
 * True when this process is the only instance and should start; false when
 * another instance runs (this one has been told to quit and must open nothing).
 */
export function claimSingleInstance(app: SingleInstanceApp, currentWindow: () => FocusableWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return false
  }
  app.on('second-instance', () => {
    const win = currentWindow()
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  return true
}
