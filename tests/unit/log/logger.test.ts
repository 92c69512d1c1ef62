/**
 * The log: where it lives on each platform, that it is a file of JSON lines
 * written by main, and that an error logged from a failed operation carries
 * the operation's name and where it failed but none of the argument values
 * (nor the error's message, which quotes them).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/main/api/dispatch'
import { UserError } from '../../../src/main/errors'
import { closeLogging, currentLogDir, defaultLogDir, errorForLog, flushLog, initLogging, log, logFailure } from '../../../src/main/log/logger'
import { tempDir } from '../../helpers/paths'

describe('defaultLogDir', () => {
  it('is $LUS_REVIEW_LOG_DIR, else beside $LUS_REVIEW_HOME, else the platform place for logs', () => {
    expect(defaultLogDir({ LUS_REVIEW_LOG_DIR: '/x/logs', LUS_REVIEW_HOME: '/h' }, 'linux', '/home/u')).toBe('/x/logs')
    expect(defaultLogDir({ LUS_REVIEW_HOME: '/h' }, 'linux', '/home/u')).toBe(join('/h', 'logs'))
    expect(defaultLogDir({}, 'linux', '/home/u')).toBe('/home/u/.local/state/lus-review/logs')
    expect(defaultLogDir({ XDG_STATE_HOME: '/st' }, 'linux', '/home/u')).toBe('/st/lus-review/logs')
    expect(defaultLogDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Logs/LUS Review')
    expect(defaultLogDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u')).toBe(join('C:\\Users\\u\\AppData\\Local', 'LUS Review', 'logs'))
  })
})

describe('the log file', () => {
  let dir: ReturnType<typeof tempDir>
  const read = (): Record<string, unknown>[] =>
    readdirSync(dir.path)
      .filter((f) => f.endsWith('.log'))
      .flatMap((f) => readFileSync(join(dir.path, f), 'utf8').trim().split('\n'))
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)

  beforeAll(async () => {
    dir = tempDir('lus-log-')
    // Silent until opened: nothing is written anywhere.
    log().error({ op: 'before' }, 'not written')
    expect(currentLogDir()).toBeNull()
    await initLogging('serve', dir.path)
  })
  afterAll(async () => {
    await closeLogging()
    dir.cleanup()
  })

  it('is a rotating file of JSON lines in the folder given, naming the host', async () => {
    expect(currentLogDir()).toBe(dir.path)
    // A second init keeps the first log (serve mode's preAction and a test may both call it).
    expect(await initLogging('cli', join(dir.path, 'other'))).toEqual({ dir: dir.path })
    log().info({ op: 'catalog/list' }, 'hello')
    flushLog()
    expect(readdirSync(dir.path)).toEqual(['lus-review.1.log'])
    expect(read()).toContainEqual(expect.objectContaining({ host: 'serve', op: 'catalog/list', msg: 'hello', level: 30 }))
    expect(read().some((l) => l.op === 'before')).toBe(false)
  })

  it('keeps a failed operation by name and code, and where it failed, but none of its argument values', async () => {
    const secretCell = 'Jane Doe, born 1961-03-04'
    const handlers = {
      'catalog/update': (args: { id: number; cells: Record<string, string> }): never => {
        throw new Error(`SQLITE_CONSTRAINT: cannot store "${args.cells['Title']}" for entry ${args.id}`)
      },
      'catalog/get': (args: { id: number }): never => {
        throw new UserError('not_found', `No entry ${args.id} (${secretCell})`)
      }
    }
    const r = await dispatch(handlers, 'catalog/update', { id: 73519, cells: { Title: secretCell } })
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } })
    logFailure('cli/stats', new UserError('bad_input', `Cannot read /data/${secretCell}.csv`), { entryId: 12 })
    flushLog()
    const lines = read()
    const failed = lines.find((l) => l.op === 'catalog/update')!
    expect(failed).toMatchObject({ level: 50, msg: 'failed', errorName: 'Error', errorCode: null })
    expect(String(failed.stack)).toMatch(/^at /)
    expect(lines).toContainEqual(expect.objectContaining({ op: 'cli/stats', level: 40, errorName: 'UserError', errorCode: 'bad_input', entryId: 12 }))
    const text = readdirSync(dir.path)
      .map((f) => readFileSync(join(dir.path, f), 'utf8'))
      .join('')
    expect(text).not.toMatch(/Jane|Doe|1961|73519|SQLITE_CONSTRAINT|Cannot read/)
  })

  it('keeps an error without its message', () => {
    const e = new TypeError('the value "secret" is wrong')
    const kept = errorForLog(e)
    expect(kept).toMatchObject({ errorName: 'TypeError', errorCode: null })
    expect(JSON.stringify(kept)).not.toContain('secret')
    expect(errorForLog('a thrown string')).toEqual({ errorType: 'string' })
  })
})
