/**
 * Lets Node in the test process reach serve mode's per-run
 * `lus-<random>.localhost` name the way browsers do (every name under
 * `.localhost` is loopback, RFC 6761): glibc's resolver does not, so a test's
 * own `fetch(server.url)` would fail with ENOTFOUND. Only `.localhost` names
 * are touched; every other lookup goes to the system resolver unchanged.
 */
import dns from 'node:dns'

const PATCHED = Symbol.for('lus-review.localhostNames')

export function resolveLocalhostNames(): void {
  const lookup = dns.lookup as typeof dns.lookup & { [PATCHED]?: true }
  if (lookup[PATCHED]) return
  const patched = function (this: unknown, hostname: string, ...rest: unknown[]): unknown {
    const name = typeof hostname === 'string' && hostname.toLowerCase().endsWith('.localhost') ? 'localhost' : hostname
    return (lookup as (...args: unknown[]) => unknown).call(this, name, ...rest)
  } as unknown as typeof dns.lookup & { [PATCHED]?: true }
  // Keep what util.promisify reads from the original (it answers { address, family } rather than the address alone).
  for (const key of Reflect.ownKeys(lookup))
    if (!['length', 'name', 'prototype'].includes(key as string)) Reflect.defineProperty(patched, key, Reflect.getOwnPropertyDescriptor(lookup, key)!)
  patched[PATCHED] = true
  dns.lookup = patched
}
