/**
 * The one log of main (the app, serve mode and the command line): pino JSON
 * lines into files that pino-roll rotates (daily or past 5 MB, 7 old files
 * kept), so a user can send what happened without a terminal open.
 *
 * What goes in: the host, operation and command names, ids, error codes and
 * where an error was thrown (its stack frames). What never goes in: argument
 * values, CSV cells, patient fields, file names or error messages, because a
 * message of ours often quotes what the user typed or a cell it read. Until
 * `initLogging` runs, logging is silent (unit tests that never start a host
 * write nothing).
 */
import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import pino, { type Logger } from 'pino'
import roll from 'pino-roll'
import { UserError } from '../errors'

export type LogHost = 'app' | 'serve' | 'cli'

/** A value the log may hold: ids, counts, names of operations, never free text from the user or the dataset. */
export type LogContext = Record<string, string | number | boolean | null>

const BASE_NAME = 'lus-review'

/**
 * Where serve mode and the command line log: $LUS_REVIEW_LOG_DIR; else beside a
 * test's or a portable install's $LUS_REVIEW_HOME; else the platform's place for
 * logs (XDG state on Linux). The app passes Electron's app.getPath('logs').
 */
export function defaultLogDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.LUS_REVIEW_LOG_DIR) return env.LUS_REVIEW_LOG_DIR
  if (env.LUS_REVIEW_HOME) return join(env.LUS_REVIEW_HOME, 'logs')
  switch (platform) {
    case 'win32':
      return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'LUS Review', 'logs')
    case 'darwin':
      return join(home, 'Library', 'Logs', 'LUS Review')
    default:
      return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'lus-review', 'logs')
  }
}

let logger: Logger = pino({ level: 'silent' })
let stream: { flushSync(): void; end(): void; once(event: 'close', fn: () => void): unknown } | null = null
let logDir: string | null = null

/** Opens the log in `dir` (made if missing, private to the user). Safe to call again: the second call keeps the first log. */
export async function initLogging(host: LogHost, dir: string = defaultLogDir()): Promise<{ dir: string }> {
  if (stream) return { dir: logDir! }
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const s = await roll({ file: join(dir, BASE_NAME), extension: '.log', frequency: 'daily', size: '5m', limit: { count: 7 }, mkdir: true })
  // Opened before the first line, so a flush at exit finds the file (SonicBoom opens it asynchronously).
  if ((s as unknown as { fd: number }).fd < 0) await new Promise<void>((ready, fail) => s.once('ready', ready).once('error', fail))
  // A log that can no longer be written (the folder removed, the disk full) must never bring the process down.
  s.on('error', () => undefined)
  stream = s
  logDir = dir
  logger = pino({ base: { host, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, s)
  return { dir }
}

/** The folder of the open log, or null when none is open. */
export function currentLogDir(): string | null {
  return logDir
}

/** The logger; silent until initLogging. */
export function log(): Logger {
  return logger
}

/**
 * An error as the log keeps it: its class, its code and where it was thrown,
 * never its message (it may quote a cell, a file name or a value typed).
 */
export function errorForLog(e: unknown): LogContext {
  if (!(e instanceof Error)) return { errorType: typeof e }
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 12)
    .map((l) => l.trim())
    .join('\n')
  const raw = (e as { code?: unknown }).code
  const code = e instanceof UserError ? e.code : typeof raw === 'string' ? raw : null
  return { errorName: e.name, errorCode: code, stack: frames }
}

/** A failed operation or command: what failed (by name), its ids, and the error without its message. */
export function logFailure(what: string, e: unknown, context: LogContext = {}): void {
  const level = e instanceof UserError ? 'warn' : 'error'
  logger[level]({ ...context, op: what, ...errorForLog(e) }, 'failed')
}

/** Writes what is buffered now: for a process about to exit. */
export function flushLog(): void {
  try {
    stream?.flushSync()
  } catch {
    // Nothing written yet (the file is still opening) or the disk is gone: the log is best effort.
  }
}

/** Flushes and closes the log; logging is silent afterwards. */
export async function closeLogging(): Promise<void> {
  const s = stream
  if (!s) return
  stream = null
  logDir = null
  logger = pino({ level: 'silent' })
  await new Promise<void>((done) => {
    s.once('close', done)
    s.end()
  })
}
