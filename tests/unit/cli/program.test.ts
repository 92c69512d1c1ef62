/**
 * The lus-review program as a whole: every command answers --help (exit 0),
 * its usage line names exactly the options it takes (no drift between the two),
 * every command that reports takes --json, usage mistakes exit 2 with one line,
 * and read-only commands pointed at a catalog that is not there create nothing.
 * The exit codes and streams are checked through the real command line
 * (tsx over src/main/cli.ts, as catalogOwner.test.ts runs it).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAndRun, usageLine } from '../../../src/main/cli/commandKit'
import { defineProgram, main } from '../../../src/main/cli/program'
import { closeLogging } from '../../../src/main/log/logger'
import { APP_VERSION } from '../../../src/main/version'
import { REPO_ROOT, tempDir } from '../../helpers/paths'

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx')
const CLI = join(REPO_ROOT, 'src', 'main', 'cli.ts')

let dir: ReturnType<typeof tempDir>
const envBefore = { home: process.env.LUS_REVIEW_HOME, logs: process.env.LUS_REVIEW_LOG_DIR }

beforeAll(() => {
  dir = tempDir('lus-cli-program-')
  // In-process runs log too: into the test's folder, never the user's.
  process.env.LUS_REVIEW_HOME = join(dir.path, 'home')
  process.env.LUS_REVIEW_LOG_DIR = join(dir.path, 'logs')
})
afterAll(async () => {
  await closeLogging()
  for (const [key, value] of [
    ['LUS_REVIEW_HOME', envBefore.home],
    ['LUS_REVIEW_LOG_DIR', envBefore.logs]
  ] as const)
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  dir.cleanup()
})

function io(): { log: (l: string) => void; error: (l: string) => void; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { log: (l) => out.push(l), error: (l) => err.push(l), out, err }
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, LUS_REVIEW_HOME: join(dir.path, 'home'), LUS_REVIEW_LOG_DIR: join(dir.path, 'cli-logs') }
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Every command a user can run: `import`, …, `sets create`, `sets list`. */
function leafCommands(program: Command): { path: string[]; cmd: Command }[] {
  const out: { path: string[]; cmd: Command }[] = []
  const walk = (cmd: Command, path: string[]): void => {
    if (cmd.commands.length === 0) out.push({ path, cmd })
    for (const sub of cmd.commands) walk(sub, [...path, sub.name()])
  }
  for (const cmd of program.commands) walk(cmd, [cmd.name()])
  return out
}

const program = defineProgram(io())
const leaves = leafCommands(program)

describe('every command', () => {
  it('is there, with the commands the README and the tests use', () => {
    expect(leaves.map((l) => l.path.join(' '))).toEqual([
      'import',
      'dicom-info',
      'bundle',
      'rebuild-butterfly',
      'rebuild-web',
      'export-csv',
      'serve',
      'stats',
      'backup',
      'restore',
      'agreement',
      'split',
      'predict',
      'sets create',
      'sets list',
      'reader-bundle'
    ])
  })

  it.each(leaves.map((l) => [l.path.join(' '), l.path] as const))('%s --help prints its usage and exits 0', async (name, path) => {
    const o = io()
    expect(await parseAndRun(defineProgram(o), [...path, '--help'])).toBe(0)
    expect(o.err).toEqual([])
    expect(o.out.join('\n')).toMatch(new RegExp(`^Usage: lus-review ${name} `))
    expect(o.out.join('\n')).toMatch(/\nOptions:\n/)
  })

  it.each(leaves.map((l) => [l.path.join(' '), l.cmd] as const))('%s: the usage line names exactly the options it takes', (_name, cmd) => {
    const usage = usageLine(cmd)
    const taken = cmd.options.map((o) => o.long!).filter((l) => l !== '--help' && l !== '--version')
    const named = [...usage.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0])
    expect(new Set(named)).toEqual(new Set(taken))
  })

  it('takes --json wherever it reports (all but serve)', () => {
    const without = leaves.filter((l) => !l.cmd.options.some((o) => o.long === '--json')).map((l) => l.path.join(' '))
    expect(without).toEqual(['serve'])
  })

  it('takes --quiet wherever it shows progress of long work', () => {
    for (const name of ['import', 'bundle', 'split', 'predict', 'reader-bundle'])
      expect(leaves.find((l) => l.path.join(' ') === name)!.cmd.options.some((o) => o.long === '--quiet'), name).toBe(true)
  })

  it('help lists every command', async () => {
    const o = io()
    expect(await parseAndRun(defineProgram(o), ['--help'])).toBe(0)
    for (const cmd of program.commands) expect(o.out.join('\n')).toContain(`\n  ${cmd.name()} `)
  })
})

describe('read-only commands pointed at a missing catalog', () => {
  it.each([
    ['stats', []],
    ['export-csv', ['OUT']],
    ['split', ['--out', 'OUT']],
    ['backup', []],
    ['bundle', ['--out', 'OUT.zip', '--filter', 'label=covid']]
  ] as const)('%s fails and creates nothing', async (command, rest) => {
    const where = join(dir.path, `missing-${command}`)
    const o = io()
    const args = [command, ...rest.map((a) => a.replace('OUT', join(where, 'out'))), '--catalog', join(where, 'sub', 'c.db')]
    expect(await main(args, join(REPO_ROOT, 'out', 'renderer'), o)).toBe(1)
    expect(o.err.join('\n')).toMatch(/^lus-review: No catalog at .*c\.db \(check --catalog\); nothing was created\.$/)
    expect(existsSync(where)).toBe(false)
  })
})

describe('through the real command line', () => {
  it('split --help and predict --help exit 0 with their usage', () => {
    for (const command of ['split', 'predict']) {
      const r = cli(command, '--help')
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).toMatch(new RegExp(`^Usage: lus-review ${command} `))
      expect(r.stderr).toBe('')
    }
  })

  it('--version prints the version', () => {
    const r = cli('--version')
    expect(r.status).toBe(0)
    expect(r.stdout.trim()).toBe(APP_VERSION)
  })

  it('an unknown option exits 2 with one line naming it and the usage', () => {
    const r = cli('stats', '--bogus')
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe("lus-review stats: unknown option '--bogus'. Usage: lus-review stats [--catalog FILE] [--json] (see lus-review stats --help)\n")
    // Options a command does not take are refused, not ignored.
    const seed = cli('stats', '--seed', '3')
    expect(seed.status).toBe(2)
    expect(seed.stderr).toMatch(/^lus-review stats: unknown option '--seed'/)
  })

  it('a usage mistake the command finds itself exits 2 too; an unknown command exits 2', () => {
    const folds = cli('split', '--out', join(dir.path, 'f'), '--folds', '1')
    expect(folds.status).toBe(2)
    expect(folds.stderr).toMatch(/^lus-review split: --folds must be an integer from 2 to 20 \(got "1"\)\. Usage: lus-review split --out DIR/)
    const unknown = cli('frobnicate')
    expect(unknown.status).toBe(2)
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('stats on a catalog in a folder that does not exist exits 1 and creates nothing', () => {
    const missing = join(dir.path, 'no', 'such', 'dir')
    const r = cli('stats', '--catalog', join(missing, 'x.db'))
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^lus-review: No catalog at .*x\.db \(check --catalog\); nothing was created\.\n$/)
    expect(existsSync(join(dir.path, 'no'))).toBe(false)
  })

  it('logs the failure into the log folder by command name and error code, with none of the arguments', () => {
    const secret = join(dir.path, 'Doe-Jane-1961-03-04.csv')
    const r = cli('agreement', secret, '--seed', '4242')
    expect(r.status).toBe(1)
    // The user is told which file (their own terminal)…
    expect(r.stderr).toMatch(/^lus-review: Cannot read .*Doe-Jane-1961-03-04\.csv/)
    // …the log file keeps what failed and where, not the file name or the values.
    const logs = join(dir.path, 'cli-logs')
    const text = readdirSync(logs)
      .map((f) => readFileSync(join(logs, f), 'utf8'))
      .join('')
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines).toContainEqual(expect.objectContaining({ op: 'cli/agreement', host: 'cli', errorName: 'UserError', errorCode: 'bad_input', msg: 'failed' }))
    expect(text).not.toMatch(/Doe|Jane|1961|4242|Cannot read/)
  })
})
