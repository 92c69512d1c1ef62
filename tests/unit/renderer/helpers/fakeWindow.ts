/**
 * The few parts of a browser window the stores touch (local storage, the
 * URL's hash and history), for store tests that run under Node: vitest's
 * environment here has no DOM, and the stores must not need one to be tested.
 */
import { vi } from 'vitest'

export interface FakeWindow {
  storage: Map<string, string>
  /** The hash as the store last left it. */
  readonly hash: string
}

export function stubWindow(initialHash = '', stored: Record<string, string> = {}): FakeWindow {
  const storage = new Map(Object.entries(stored))
  const location = { hash: initialHash }
  const win = {
    localStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key)
    },
    location,
    history: {
      state: null,
      pushState: (_state: unknown, _title: string, hash: string) => void (location.hash = hash),
      replaceState: (_state: unknown, _title: string, hash: string) => void (location.hash = hash)
    },
    addEventListener: () => undefined,
    removeEventListener: () => undefined
  }
  vi.stubGlobal('window', win)
  return {
    storage,
    get hash() {
      return location.hash
    }
  }
}
