/**
 * Where serve mode's credential may go, and what it must look like: the
 * per-run host name the browser keeps the cookie under, the rule for a
 * token given on the command line, the same-origin path the token URL
 * redirects to, and the listen failures a user can fix themselves.
 *
 * Cookies ignore ports: a cookie set by http://127.0.0.1:PORT is sent to every
 * server on 127.0.0.1, so any other local program would receive the serve
 * token. Browsers resolve every name under `.localhost` to loopback
 * (RFC 6761), so the page is served under a fresh `lus-<random>.localhost`
 * name instead and its host-only cookie goes to no other server.
 */
import { randomBytes } from 'node:crypto'
import { UserError } from '../errors'

/** Bind addresses a `*.localhost` name reaches in the browser; any other bind address keeps the cookie on the address itself. */
const CREDENTIAL_HOST_BINDS = new Set(['127.0.0.1', 'localhost', '::1'])

/** The host name the browser keeps this run's cookie under, or null when the bind address cannot be reached by one. */
export function credentialHostName(bindHost: string): string | null {
  if (!CREDENTIAL_HOST_BINDS.has(bindHost.toLowerCase())) return null
  // 64 random bits: another local program cannot guess the name to have the browser send it the cookie.
  return `lus-${randomBytes(8).toString('hex')}.localhost`
}

/** base64url (which includes hex), long enough to be as hard to guess as the random token (192 bits is 32 base64url characters). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,512}$/
/** Refuses `aaaa…` and `abab…`; a random 32-character hex token has fewer than 6 distinct characters about once in 10^9. */
const MIN_DISTINCT_CHARACTERS = 6

/** Refuses a `--token` an attacker could guess, before anything listens. */
export function checkServeToken(token: string): void {
  const pattern = TOKEN_PATTERN.test(token)
  if (pattern && new Set(token).size >= MIN_DISTINCT_CHARACTERS) return
  const what = !pattern
    ? token.length < 32
      ? `it has ${token.length} characters`
      : token.length > 512
        ? 'it is longer than 512 characters'
        : "it has characters other than letters, digits, '-' and '_'"
    : 'it repeats too few characters'
  throw new UserError(
    'bad_input',
    `The --token value is too weak to protect serve mode: ${what}. Nothing was started. ` +
      "Leave --token out to get a random one, or give at least 32 random characters of letters, digits, '-' and '_' " +
      '(for example the output of `openssl rand -hex 24`).'
  )
}

/**
 * The path to redirect to once the token is traded for the cookie: the path
 * asked for, on this origin only. A path starting with `//` or `/\` (from
 * `/.//evil.com`, `/%2e//evil.com` or a backslash, after URL parsing) would
 * be read by the browser as another host, so leading slashes collapse to one.
 */
export function sameOriginPath(pathname: string, search: string): string {
  return '/' + pathname.replace(/^[/\\]+/, '') + search
}

/** A listen failure the user can fix (a busy or privileged port, an address not on this machine) as a UserError; anything else as is. */
export function listenError(e: unknown, host: string, port: number): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code
  const portText = port === 0 ? 'a free port' : `port ${port}`
  if (code === 'EADDRINUSE')
    return new UserError(
      'bad_input',
      `Port ${port} is in use on ${host}: another program (perhaps another lus-review serve) is listening there. Nothing was started. ` +
        'Stop that program, or pick another port with --port (--port 0 picks a free one).'
    )
  if (code === 'EACCES')
    return new UserError(
      'bad_input',
      `Not allowed to listen on ${portText} of ${host} (ports below 1024 need administrator rights). Nothing was started. ` +
        'Pick a port from 1024 up with --port, or --port 0 for a free one.'
    )
  if (code === 'EADDRNOTAVAIL')
    return new UserError(
      'bad_input',
      `${host} is not an address of this machine, so serve mode cannot listen on it. Nothing was started. Leave --host out to listen on 127.0.0.1.`
    )
  return e
}
