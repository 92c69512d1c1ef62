/**
 * The one table of content types by file extension, for the two kinds of
 * file the app serves: dataset media (by catalog id, over the media scheme
 * and serve mode) and the renderer's own files (the app scheme and serve
 * mode). They are kept apart on purpose: a dataset file named `.html` must
 * never be served as a page.
 */
import { extname } from 'node:path'

type Served = 'media' | 'app' | 'both'

const CONTENT_TYPES: Readonly<Record<string, readonly [type: string, served: Served]>> = {
  '.mp4': ['video/mp4', 'media'],
  '.m4v': ['video/mp4', 'media'],
  '.mov': ['video/quicktime', 'media'],
  '.avi': ['video/x-msvideo', 'media'],
  '.mpeg': ['video/mpeg', 'media'],
  '.mpg': ['video/mpeg', 'media'],
  '.webm': ['video/webm', 'media'],
  '.gif': ['image/gif', 'media'],
  '.jpg': ['image/jpeg', 'media'],
  '.jpeg': ['image/jpeg', 'media'],
  '.png': ['image/png', 'both'],
  '.html': ['text/html; charset=utf-8', 'app'],
  '.js': ['text/javascript; charset=utf-8', 'app'],
  '.mjs': ['text/javascript; charset=utf-8', 'app'],
  '.css': ['text/css; charset=utf-8', 'app'],
  '.svg': ['image/svg+xml', 'app'],
  '.ico': ['image/x-icon', 'app'],
  '.json': ['application/json', 'app'],
  '.wasm': ['application/wasm', 'app'],
  '.onnx': ['application/octet-stream', 'app'],
  '.woff2': ['font/woff2', 'app']
}

const OPAQUE = 'application/octet-stream'

function typeFor(ext: string, kind: Exclude<Served, 'both'>): string {
  const entry = CONTENT_TYPES[ext]
  return entry && (entry[1] === kind || entry[1] === 'both') ? entry[0] : OPAQUE
}

/** A dataset media file's type (extension case ignored); anything else is opaque bytes. */
export function mediaContentType(file: string): string {
  return typeFor(extname(file).toLowerCase(), 'media')
}

/** A file of the built renderer's type; anything else is opaque bytes. */
export function appContentType(file: string): string {
  return typeFor(extname(file), 'app')
}
