/**
 * scheme-* cases: requests to the Electron window's custom schemes,
 * `app://renderer/…` (the built renderer, instead of file://) and
 * `lus-media://media/<id>` (media by catalog id). Each names the status and
 * the body the handler in src/main/electron/protocols.ts must answer with
 * (the /../ and %2e%2e cases are folded by the URL parser before any handler
 * sees them, as Chromium folds them; the ..%2f cases reach the handler's own
 * containment check);
 * scheme.test.ts runs them through the handlers themselves (Electron's
 * `protocol` is replaced by a recorder) and checks the catalog is unchanged.
 * Data only: importing this file does not load Electron.
 */
import type { HostileCase } from './corpus'

export interface SchemeCase extends HostileCase {
  domain: 'scheme'
  /** `SYMLINK` and `KEPT` stand for media ids the runner fills in. */
  url: string
  /** A Range header to send. */
  range?: string
  status: number
  /** A secret the response must never carry (the content of a file outside the root). */
  mustNotContain?: string
}

const APP_PAGE = /<title>LUS Review<\/title>/
const BAD_MEDIA_URL = /^Bad media URL$/

export const schemeCases: SchemeCase[] = [
  { id: 'scheme-app-dotdot', domain: 'scheme', description: 'app://: /../ up to a file beside the renderer (the URL parser already folds it into the root)', url: 'app://renderer/../../../secret.txt', status: 200, expect: APP_PAGE, mustNotContain: 'outside secret' },
  { id: 'scheme-app-encoded-dotdot', domain: 'scheme', description: 'app://: %2e%2e up to a file beside the renderer (folded by the URL parser too)', url: 'app://renderer/%2e%2e/%2e%2e/secret.txt', status: 200, expect: APP_PAGE, mustNotContain: 'outside secret' },
  { id: 'scheme-app-encoded-slash', domain: 'scheme', description: 'app://: ..%2f climbing out', url: 'app://renderer/..%2f..%2fsecret.txt', status: 403, expect: /^Forbidden$/, mustNotContain: 'outside secret' },
  { id: 'scheme-app-absolute', domain: 'scheme', description: 'app://: an absolute path', url: 'app://renderer//etc/passwd', status: 200, expect: APP_PAGE, mustNotContain: 'root:' },
  { id: 'scheme-app-encoded-absolute', domain: 'scheme', description: 'app://: an encoded absolute path', url: 'app://renderer/%2fetc%2fpasswd', status: 200, expect: APP_PAGE, mustNotContain: 'root:' },
  { id: 'scheme-app-symlink-escape', domain: 'scheme', description: 'app://: a link inside the renderer pointing out of it', url: 'app://renderer/escape.txt', status: 403, expect: /^Forbidden$/, mustNotContain: 'outside secret' },
  { id: 'scheme-media-wrong-host', domain: 'scheme', description: 'lus-media://: another host than media', url: 'lus-media://files/1', status: 400, expect: BAD_MEDIA_URL },
  { id: 'scheme-media-path', domain: 'scheme', description: 'lus-media://: a path instead of an id', url: 'lus-media://media//etc/passwd', status: 400, expect: BAD_MEDIA_URL, mustNotContain: 'root:' },
  { id: 'scheme-media-dotdot', domain: 'scheme', description: 'lus-media://: /../ climbing out (folded by the URL parser, then not an id)', url: 'lus-media://media/../../etc/passwd', status: 400, expect: BAD_MEDIA_URL, mustNotContain: 'root:' },
  { id: 'scheme-media-encoded-traversal', domain: 'scheme', description: 'lus-media://: ..%2f climbing out', url: 'lus-media://media/..%2f..%2fetc%2fpasswd', status: 400, expect: BAD_MEDIA_URL, mustNotContain: 'root:' },
  { id: 'scheme-media-bad-id', domain: 'scheme', description: 'lus-media://: an id that is not a positive integer', url: 'lus-media://media/0x1', status: 400, expect: BAD_MEDIA_URL },
  { id: 'scheme-media-unknown-id', domain: 'scheme', description: 'lus-media://: an id not in the catalog', url: 'lus-media://media/999999', status: 404, expect: /^No media with id 999999/ },
  { id: 'scheme-media-symlink-escape', domain: 'scheme', description: 'lus-media://: a media file swapped for a link out of the dataset', url: 'lus-media://media/SYMLINK', status: 403, expect: /^Refused: pocus_videos\/convex\/swap\.mp4 links outside the dataset folder\.$/, mustNotContain: 'outside secret' },
  { id: 'scheme-media-range-past-end', domain: 'scheme', description: 'lus-media://: a Range past the end of the file', url: 'lus-media://media/KEPT', range: 'bytes=99999999-', status: 416, expect: /^$/ }
]
