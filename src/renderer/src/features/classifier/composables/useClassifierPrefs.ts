/**
 * The classifier's preferences (backend, sampling, sample limit, heat map
 * opacity), kept in localStorage so they outlive a reload; a stored value that
 * is not one the panel offers falls back to the default.
 */
import { ref, watch } from 'vue'
import type { SampleMode } from '../frameSampler'
import type { BackendPreference } from '../protocol'

/** Also the prefix of the classifier's e2e test hook key (clipClassifierStore). */
export const PREFS_KEY = 'lus-review.classifier'

interface Prefs {
  prefer: BackendPreference
  mode: SampleMode
  /** At most this many samples per clip (null: the 3 Hz rule's own limit). */
  limit: number | null
  opacity: number
}

function readPrefs(): Prefs {
  const fallback: Prefs = { prefer: 'auto', mode: '3hz', limit: null, opacity: 0.5 }
  try {
    const p = JSON.parse(window.localStorage.getItem(PREFS_KEY) ?? '{}') as Partial<Prefs>
    return {
      prefer: p.prefer === 'webgpu' || p.prefer === 'wasm' ? p.prefer : 'auto',
      mode: p.mode === 'every' ? 'every' : '3hz',
      limit: typeof p.limit === 'number' && p.limit > 0 ? Math.floor(p.limit) : null,
      opacity: typeof p.opacity === 'number' && p.opacity >= 0 && p.opacity <= 1 ? p.opacity : fallback.opacity
    }
  } catch {
    return fallback
  }
}

export function useClassifierPrefs() {
  const prefs = readPrefs()
  const prefer = ref<BackendPreference>(prefs.prefer)
  const mode = ref<SampleMode>(prefs.mode)
  const limit = ref<number | null>(prefs.limit)
  const opacity = ref(prefs.opacity)
  watch([prefer, mode, limit, opacity], () => {
    try {
      const p: Prefs = { prefer: prefer.value, mode: mode.value, limit: limit.value, opacity: opacity.value }
      window.localStorage.setItem(PREFS_KEY, JSON.stringify(p))
    } catch {
      // Preferences then last for the session.
    }
  })
  return { prefer, mode, limit, opacity }
}
