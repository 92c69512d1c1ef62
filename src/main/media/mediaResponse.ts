/**
 * Serving media files by catalog id with HTTP Range support, shared by the
 * Electron media scheme and serve mode. The renderer never names a path:
 * it names a media id, and the path is resolved here and must stay inside
 * the dataset folder it was imported from (symlinks included).
 */
import { createReadStream, realpathSync, statSync } from 'node:fs'
import { resolve, sep } from 'node:path'
import type { Readable } from 'node:stream'
import { UserError } from '../errors'
import { mediaContentType } from './contentTypes'

/** The real path of `relPath` under `root`, refused if it leaves the root. */
export function containedPath(root: string, relPath: string): string {
  const realRoot = realpathSync(root)
  const candidate = resolve(realRoot, relPath)
  if (candidate !== realRoot && !candidate.startsWith(realRoot + sep))
    throw new UserError('bad_input', `Refused: ${relPath} is outside the dataset folder.`)
  let real: string
  try {
    real = realpathSync(candidate)
  } catch {
    throw new UserError('not_found', `The media file ${relPath} is missing from ${realRoot}.`)
  }
  if (!real.startsWith(realRoot + sep)) throw new UserError('bad_input', `Refused: ${relPath} links outside the dataset folder.`)
  if (!statSync(real).isFile()) throw new UserError('not_found', `${relPath} is not a file.`)
  return real
}

export type ByteRange = { start: number; end: number }

/**
 * One `bytes=` range (the form media elements send). Multiple ranges are
 * answered with the whole file, which RFC 9110 allows.
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null
  const m = /^bytes=(\d*)-(\d*)$/i.exec(header.trim())
  if (!m) return null
  const [, a, b] = m
  if (a === '' && b === '') return null
  let start: number
  let end: number
  if (a === '') {
    const suffix = Number(b)
    if (suffix === 0) return 'unsatisfiable'
    start = Math.max(0, size - suffix)
    end = size - 1
  } else {
    start = Number(a)
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1)
  }
  if (start >= size || start > end) return 'unsatisfiable'
  return { start, end }
}

export interface MediaResponse {
  status: 200 | 206 | 416
  headers: Record<string, string>
  body: Readable | null
}

export function mediaResponse(file: string, rangeHeader: string | null | undefined, method = 'GET'): MediaResponse {
  const size = statSync(file).size
  const base = {
    'Content-Type': mediaContentType(file),
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff'
  }
  const range = parseRange(rangeHeader, size)
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' }, body: null }
  }
  const { start, end } = range ?? { start: 0, end: size - 1 }
  const length = size === 0 ? 0 : end - start + 1
  const headers: Record<string, string> = { ...base, 'Content-Length': String(length) }
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`
  const body = method === 'HEAD' || length === 0 ? null : createReadStream(file, { start, end })
  return { status: range ? 206 : 200, headers, body }
}
