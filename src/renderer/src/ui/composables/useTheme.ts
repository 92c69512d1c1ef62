/**
 * The colour theme: light or dark, following the system unless the user chose
 * one. The choice is kept in localStorage (a display preference of this
 * browser or window, not of the catalog), and the theme is set on <html> as
 * data-theme before the app mounts, so the first paint is already in it.
 */
import { computed, readonly, ref, type ComputedRef, type Ref } from 'vue'

export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const
export type ThemePreference = (typeof THEME_PREFERENCES)[number]
export type Theme = 'light' | 'dark'

export const THEME_STORAGE_KEY = 'lus-review.theme'
const DARK_QUERY = '(prefers-color-scheme: dark)'

/** Anything but a known preference (nothing stored, an old or edited value) means "follow the system". */
export function parseThemePreference(value: string | null | undefined): ThemePreference {
  return (THEME_PREFERENCES as readonly string[]).includes(value ?? '') ? (value as ThemePreference) : 'system'
}

export function resolveTheme(preference: ThemePreference, systemDark: boolean): Theme {
  if (preference === 'system') return systemDark ? 'dark' : 'light'
  return preference
}

/** What the controller needs from the page; passed in so it can be tested without a browser. */
export interface ThemeEnvironment {
  storage: Pick<Storage, 'getItem' | 'setItem'> | null
  media: Pick<MediaQueryList, 'matches' | 'addEventListener' | 'removeEventListener'> | null
  root: { dataset: DOMStringMap; style: { colorScheme: string } }
}

export interface ThemeController {
  preference: Readonly<Ref<ThemePreference>>
  theme: ComputedRef<Theme>
  setPreference: (preference: ThemePreference) => void
  dispose: () => void
}

export function createThemeController(env: ThemeEnvironment): ThemeController {
  let stored: string | null = null
  try {
    stored = env.storage?.getItem(THEME_STORAGE_KEY) ?? null
  } catch {
    // Storage refused (a locked-down profile): the system's theme still applies.
  }
  const preference = ref<ThemePreference>(parseThemePreference(stored))
  const systemDark = ref(env.media?.matches ?? false)
  const theme = computed(() => resolveTheme(preference.value, systemDark.value))

  const apply = (): void => {
    env.root.dataset['theme'] = theme.value
    // Native controls (scroll bars, <select> lists, date pickers) follow the page's theme too.
    env.root.style.colorScheme = theme.value
  }
  const onSystemChange = (event: { matches: boolean }): void => {
    systemDark.value = event.matches
    apply()
  }
  env.media?.addEventListener('change', onSystemChange)
  apply()

  return {
    preference: readonly(preference),
    theme,
    setPreference(next) {
      preference.value = next
      try {
        env.storage?.setItem(THEME_STORAGE_KEY, next)
      } catch {
        // Not kept past this session; the switch still works now.
      }
      apply()
    },
    dispose() {
      env.media?.removeEventListener('change', onSystemChange)
    }
  }
}

let controller: ThemeController | null = null

function browserStorage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/** The page's one theme controller; the first call sets data-theme on <html>. */
export function useTheme(): ThemeController {
  controller ??= createThemeController({
    storage: browserStorage(),
    media: typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : null,
    root: document.documentElement
  })
  return controller
}
