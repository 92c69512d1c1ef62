import { describe, expect, it } from 'vitest'
import { isSafeExternalUrl } from '../../../src/main/electron/externalLinks'
import { APP_ORIGIN, isTrustedRendererUrl, secureWindowOptions } from '../../../src/main/electron/windowOptions'

describe('the window options factory (Electron security checklist)', () => {
  const prefs = secureWindowOptions('/app/out/preload/index.js').webPreferences!

  it('isolates the context, sandboxes the renderer and gives it no Node', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false
    })
  })

  it('keeps web security on and insecure content, experimental features and webviews off', () => {
    expect(prefs).toMatchObject({ webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false, navigateOnDragDrop: false })
    expect(prefs.enableBlinkFeatures).toBeUndefined()
  })

  it('loads only our preload', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.js')
  })
})

describe('which frames may call the API', () => {
  it('trusts the app scheme and, in development, only the dev server origin', () => {
    expect(isTrustedRendererUrl(`${APP_ORIGIN}/index.html`)).toBe(true)
    expect(isTrustedRendererUrl('app://renderer.evil/index.html')).toBe(false)
    expect(isTrustedRendererUrl('app://other/index.html')).toBe(false)
    expect(isTrustedRendererUrl('https://example.org/')).toBe(false)
    expect(isTrustedRendererUrl('file:///etc/passwd')).toBe(false)
    expect(isTrustedRendererUrl(undefined)).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5173/#/x', 'http://localhost:5173')).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5173/', '')).toBe(false)
  })
})

describe('links leaving the app', () => {
  it('only http(s), without credentials', () => {
    expect(isSafeExternalUrl('https://creativecommons.org/licenses/by/4.0/')).toBe(true)
    expect(isSafeExternalUrl('http://example.org')).toBe(true)
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'https://user:pw@example.org', 'not a url', ''])
      expect(isSafeExternalUrl(bad), bad).toBe(false)
  })
})
