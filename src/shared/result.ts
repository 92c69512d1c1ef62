/** Every operation answers with a Result, on both transports, so errors cross the boundary as data. */
export type ApiError = { code: ErrorCode; message: string }
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export const ERROR_CODES = [
  'invalid_request',
  'not_found',
  'bad_input',
  'conflict',
  'unsupported',
  /** Refused in this mode (a reader workstation answers only its study's operations). */
  'forbidden',
  /** The catalog is held by another running program (app, serve, a writing command): one owner per catalog. */
  'locked',
  'internal'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message }
})
