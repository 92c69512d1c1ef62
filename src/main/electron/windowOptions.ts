import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * The one place window options are made, so the security settings are
 * tested once (Electron security checklist items 2–4).
 */
export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'LUS Review',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      webviewTag: false
    }
  }
}

export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://renderer`
export const MEDIA_SCHEME = 'lus-media'

/** Whether a frame URL belongs to our own renderer (packaged scheme, or the dev server in development). */
export function isTrustedRendererUrl(url: string | undefined, devServerUrl?: string): boolean {
  if (!url) return false
  if (url.startsWith(`${APP_ORIGIN}/`)) return true
  return devServerUrl !== undefined && devServerUrl !== '' && new URL(url).origin === new URL(devServerUrl).origin
}
