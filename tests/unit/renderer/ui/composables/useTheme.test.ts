import { describe, expect, it } from 'vitest'
import {
  createThemeController,
  parseThemePreference,
  resolveTheme,
  THEME_STORAGE_KEY,
  type ThemeEnvironment
} from '../../../../../src/renderer/src/ui/composables/useTheme'

/** A page without a browser: a storage map, a media query whose answer the test flips, and <html>'s data-theme and color-scheme. */
function fakeEnvironment(options: { stored?: string | null; systemDark?: boolean; storageThrows?: boolean } = {}) {
  const store = new Map<string, string>()
  if (options.stored != null) store.set(THEME_STORAGE_KEY, options.stored)
  const listeners = new Set<(event: { matches: boolean }) => void>()
  const media = {
    matches: options.systemDark ?? false,
    addEventListener: (_type: string, listener: (event: { matches: boolean }) => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: (event: { matches: boolean }) => void) => listeners.delete(listener)
  }
  const root = { dataset: {} as Record<string, string | undefined>, style: { colorScheme: '' } }
  const storage = {
    getItem: (key: string) => {
      if (options.storageThrows) throw new Error('SecurityError')
      return store.get(key) ?? null
    },
    setItem: (key: string, value: string) => {
      if (options.storageThrows) throw new Error('QuotaExceededError')
      store.set(key, value)
    }
  }
  const env = { storage, media, root } as unknown as ThemeEnvironment
  const setSystemDark = (dark: boolean): void => {
    media.matches = dark
    for (const l of listeners) l({ matches: dark })
  }
  return { env, store, root, listeners, setSystemDark }
}

describe('theme preference', () => {
  it('reads only the three known preferences; anything else follows the system', () => {
    expect(parseThemePreference('light')).toBe('light')
    expect(parseThemePreference('dark')).toBe('dark')
    expect(parseThemePreference('system')).toBe('system')
    expect(parseThemePreference(null)).toBe('system')
    expect(parseThemePreference('Dark')).toBe('system')
    expect(parseThemePreference('sepia')).toBe('system')
  })

  it('resolves "system" by the system, and a choice by itself', () => {
    expect(resolveTheme('system', true)).toBe('dark')
    expect(resolveTheme('system', false)).toBe('light')
    expect(resolveTheme('light', true)).toBe('light')
    expect(resolveTheme('dark', false)).toBe('dark')
  })
})

describe('theme controller', () => {
  it('follows the system while nothing is chosen, including a change while open', () => {
    const page = fakeEnvironment({ systemDark: false })
    const theme = createThemeController(page.env)
    expect(theme.preference.value).toBe('system')
    expect(page.root.dataset['theme']).toBe('light')
    expect(page.root.style.colorScheme).toBe('light')
    page.setSystemDark(true)
    expect(theme.theme.value).toBe('dark')
    expect(page.root.dataset['theme']).toBe('dark')
    expect(page.root.style.colorScheme).toBe('dark')
  })

  it('keeps a chosen theme against the system, stores it, and starts from it next time', () => {
    const page = fakeEnvironment({ systemDark: true })
    const theme = createThemeController(page.env)
    theme.setPreference('light')
    expect(page.root.dataset['theme']).toBe('light')
    expect(page.store.get(THEME_STORAGE_KEY)).toBe('light')
    page.setSystemDark(false)
    page.setSystemDark(true)
    expect(page.root.dataset['theme']).toBe('light')

    const next = fakeEnvironment({ stored: page.store.get(THEME_STORAGE_KEY) ?? null, systemDark: true })
    expect(createThemeController(next.env).theme.value).toBe('light')
    expect(next.root.dataset['theme']).toBe('light')
  })

  it('goes back to the system on "system"', () => {
    const page = fakeEnvironment({ stored: 'light', systemDark: true })
    const theme = createThemeController(page.env)
    expect(page.root.dataset['theme']).toBe('light')
    theme.setPreference('system')
    expect(page.root.dataset['theme']).toBe('dark')
    expect(page.store.get(THEME_STORAGE_KEY)).toBe('system')
  })

  it('works without storage (refused by the profile): the system applies and the switch still switches', () => {
    const page = fakeEnvironment({ systemDark: true, storageThrows: true })
    const theme = createThemeController(page.env)
    expect(page.root.dataset['theme']).toBe('dark')
    theme.setPreference('light')
    expect(page.root.dataset['theme']).toBe('light')
  })

  it('stops listening to the system when disposed', () => {
    const page = fakeEnvironment()
    const theme = createThemeController(page.env)
    expect(page.listeners.size).toBe(1)
    theme.dispose()
    expect(page.listeners.size).toBe(0)
  })
})
