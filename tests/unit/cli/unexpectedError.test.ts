/**
 * A failure that is not the user's (a bug): exit 1 with the message and a
 * pointer to --debug, the stack trace only with --debug, and in the log the
 * command and where it failed without the message. The stats table is made to
 * throw, as a bug in it would.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openCatalog } from '../../../src/main/catalog/database'
import { main } from '../../../src/main/cli/program'
import { closeLogging, flushLog } from '../../../src/main/log/logger'
import { REPO_ROOT, tempDir } from '../../helpers/paths'

vi.mock('../../../src/main/cli/statsTable', () => ({
  formatStatsTable: (): never => {
    throw new TypeError('cannot read the cell "Jane Doe"')
  }
}))

let dir: ReturnType<typeof tempDir>
let catalog: string
const before = process.env.LUS_REVIEW_LOG_DIR

beforeAll(() => {
  dir = tempDir('lus-cli-bug-')
  process.env.LUS_REVIEW_LOG_DIR = join(dir.path, 'logs')
  catalog = join(dir.path, 'c.db')
  openCatalog(catalog).close()
})
afterAll(async () => {
  await closeLogging()
  if (before === undefined) delete process.env.LUS_REVIEW_LOG_DIR
  else process.env.LUS_REVIEW_LOG_DIR = before
  dir.cleanup()
})

function io(): { log: (l: string) => void; error: (l: string) => void; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { log: (l) => out.push(l), error: (l) => err.push(l), out, err }
}

describe('an unexpected failure', () => {
  it('exits 1 with its message and no stack trace, pointing to --debug and the log', async () => {
    const o = io()
    expect(await main(['stats', '--catalog', catalog], join(REPO_ROOT, 'out', 'renderer'), o)).toBe(1)
    expect(o.err).toEqual([
      'lus-review: unexpected error: cannot read the cell "Jane Doe"',
      `  (run again with --debug for the stack trace; the log in ${join(dir.path, 'logs')} says where it failed)`
    ])
  })

  it('prints the stack trace with --debug', async () => {
    const o = io()
    expect(await main(['stats', '--catalog', catalog, '--debug'], join(REPO_ROOT, 'out', 'renderer'), o)).toBe(1)
    expect(o.err[0]).toBe('lus-review: unexpected error: cannot read the cell "Jane Doe"')
    expect(o.err[1]).toMatch(/^TypeError: cannot read the cell "Jane Doe"\n\s+at /)
  })

  it('is logged by command and place, without its message', () => {
    flushLog()
    const logs = join(dir.path, 'logs')
    const text = readdirSync(logs)
      .map((f) => readFileSync(join(logs, f), 'utf8'))
      .join('')
    const failed = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'failed')
    expect(failed).toHaveLength(2)
    expect(failed[0]).toMatchObject({ op: 'cli/stats', level: 50, errorName: 'TypeError', host: 'cli' })
    expect(String(failed[0]!.stack)).toMatch(/^at /)
    expect(text).not.toMatch(/Jane|Doe|c\.db/)
  })
})
