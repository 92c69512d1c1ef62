/**
 * The renderer's only door to the backend. Under Electron the preload exposes
 * one function per operation on `window.lus`; in serve mode the same
 * operations are POSTed to `/api/<name>`. Either way every call resolves to a
 * `Result`, never throws, so stores handle failures as data.
 */
import type { LusApi, OpArgs, OpResult } from '../../../shared/contract'
import { CATALOG_GENERATION_HEADER, OPERATION_NAMES, type OperationName } from '../../../shared/operations'
import type { Result } from '../../../shared/result'

type Invoke = <K extends OperationName>(name: K, args: OpArgs<K>) => Promise<Result<OpResult<K>>>

const internalError = (message: string): Result<never> => ({ ok: false, error: { code: 'internal', message } })

function isResult(body: unknown): body is Result<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false
  if (body.ok === true) return 'value' in body
  if (body.ok !== false || !('error' in body)) return false
  const error = body.error
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error
}

/**
 * The server answers every operation with a Result body, errors included, so
 * the HTTP status only matters when the body is not one (e.g. a 401 page when
 * the auth cookie is gone).
 */
/** The catalog generation this page loaded (the first answer names it); sent back with every call. */
let loadedGeneration: string | null = null

async function invokeOverHttp<K extends OperationName>(name: K, args: OpArgs<K>): Promise<Result<OpResult<K>>> {
  let response: Response
  try {
    response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(loadedGeneration !== null ? { [CATALOG_GENERATION_HEADER]: loadedGeneration } : {}) },
      body: JSON.stringify(args),
      credentials: 'same-origin'
    })
  } catch (err) {
    return internalError(`Could not reach the LUS Review server (${errorText(err)}).`)
  }
  loadedGeneration ??= response.headers.get(CATALOG_GENERATION_HEADER)
  if (response.status === 401) {
    return internalError(
      'The session with the LUS Review server has ended (it may have been restarted). Open the address printed by `lus-review serve` again.'
    )
  }
  let body: unknown
  try {
    body = await response.json()
  } catch {
    return internalError(`The server answered ${name} with HTTP ${response.status} and no readable result.`)
  }
  if (!isResult(body)) {
    return internalError(`The server answered ${name} with HTTP ${response.status} and an unexpected body.`)
  }
  // Trusted as the operation's result type, not checked here: the server's dispatch checks results against
  // the contract in tests and development (every operation but catalog/list), and in production only those of
  // rater and reader mode (ALWAYS_CHECKED_RESULTS in src/main/api/dispatch.ts).
  return body as Result<OpResult<K>>
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function buildHttpApi(invoke: Invoke): LusApi {
  const entries = OPERATION_NAMES.map((name) => [name, (args: OpArgs<typeof name>) => invoke(name, args)])
  // Object.fromEntries loses the per-key signatures that the mapped type needs.
  return Object.fromEntries(entries) as LusApi
}

export const isElectron = (): boolean => window.lus !== undefined

export function createApi(): LusApi {
  return window.lus ?? buildHttpApi(invokeOverHttp)
}

/**
 * What of a media file to fetch: the file as imported, what the player plays
 * (the original, or a transcoded proxy for formats Chromium cannot play), or
 * a small JPEG of its first frame.
 */
export type MediaVariant = 'original' | 'playback' | 'thumb'

/** Where a media file is served from, on the current transport. */
export function mediaUrl(mediaId: number, variant: MediaVariant = 'original'): string {
  const base = isElectron() ? `lus-media://media/${mediaId}` : `/media/${mediaId}`
  return variant === 'original' ? base : `${base}/${variant}`
}

/** A clip of the open reader study, by its number: the only media a reader workstation serves. */
export function studyClipUrl(clipNo: number): string {
  return isElectron() ? `lus-media://study/${clipNo}` : `/study/clips/${clipNo}`
}
