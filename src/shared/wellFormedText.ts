/**
 * Finding text that is not well-formed Unicode (a lone surrogate) before it
 * is stored. Such a string reaches SQLite as invalid UTF-8 (other readers of
 * the catalog, e.g. Python's sqlite3, then cannot read the table) and a CSV
 * export as U+FFFD, so every way in checks it: API payloads in dispatch, and
 * the JSON files of bundles (a `\ud800` escape parses to exactly that).
 */
// ES2024 string methods (Node 20 has them; the project's TypeScript lib is ES2023).
type Es2024String = { isWellFormed(): boolean; toWellFormed(): string }
const isWellFormed = (s: string): boolean => (s as unknown as Es2024String).isWellFormed()
const toWellFormed = (s: string): string => (s as unknown as Es2024String).toWellFormed()

/**
 * Where the value holds a string (a value or a key, at any depth) with a
 * lone surrogate, as `at cells.Title`; null when every string is
 * well-formed.
 */
export function firstMalformedString(payload: unknown): string | null {
  // Iterative, each step linking to its parent rather than copying the path: a payload nested
  // 100 000 deep must neither overflow the stack nor take quadratic time.
  interface Step {
    value: unknown
    key: string | null
    parent: Step | null
  }
  const where = (step: Step): string => {
    const keys: string[] = []
    for (let s: Step | null = step; s && s.key !== null; s = s.parent) keys.push(toWellFormed(s.key))
    keys.reverse()
    // A path hundreds deep is no help to read: its ends are.
    const shown = keys.length > 12 ? [...keys.slice(0, 6), '…', ...keys.slice(-5)] : keys
    return shown.length ? `at ${shown.join('.')}` : 'sent'
  }
  const stack: Step[] = [{ value: payload, key: null, parent: null }]
  while (stack.length > 0) {
    const step = stack.pop()!
    const { value } = step
    if (typeof value === 'string') {
      if (!isWellFormed(value)) return where(step)
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: String(i), parent: step })
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value).reverse()) {
        const child = { value: v, key: k, parent: step }
        if (!isWellFormed(k)) return `${where(child)} (its name)`
        stack.push(child)
      }
    }
  }
  return null
}
