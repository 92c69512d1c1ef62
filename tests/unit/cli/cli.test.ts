import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, SHARED_CSV, SHARED_DATASET, tempDir } from '../../helpers/paths'

const BIN = join(REPO_ROOT, 'bin', 'lus-review.js')
// The log goes to a temporary folder, never the user's.
const logs = tempDir('lus-cli-logs-')
const logDir = logs.path
afterAll(() => logs.cleanup())

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, LUS_REVIEW_LOG_DIR: logDir } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('lus-review command line (built)', () => {
  let dir: ReturnType<typeof tempDir>
  let catalog: string

  beforeAll(() => {
    if (!existsSync(join(REPO_ROOT, 'out', 'main', 'cli.js'))) throw new Error('The CLI is not built: run `npm run build` first (npm test does).')
    dir = tempDir()
    catalog = join(dir.path, 'c.db')
  })
  afterAll(() => dir.cleanup())

  it('imports the shared dataset and exports an identical dataset_metadata.csv', () => {
    const imp = cli('import', SHARED_DATASET, '--catalog', catalog)
    expect(imp.stderr).toBe('')
    expect(imp.status).toBe(0)
    expect(imp.stdout).toMatch(/375 rows \(375 new, 0 kept\), 125 media files, 125 linked, 250 rows without media/)
    const out = join(dir.path, 'out.csv')
    const exp = cli('export-csv', out, '--catalog', catalog)
    expect(exp.status).toBe(0)
    expect(readFileSync(out).equals(readFileSync(SHARED_CSV))).toBe(true)
  })

  it('prints counts by label × probe × type', () => {
    const r = cli('stats', '--catalog', catalog)
    expect(r.status).toBe(0)
    const covid = r.stdout.split('\n').find((l) => l.startsWith('COVID-19'))!
    expect(covid.trim().split(/\s{2,}/)).toEqual(['COVID-19', '35', '74', '11', '52', '172'])
    expect(r.stdout).toMatch(/375 entries; media: linked 125, missing 250/)
    const json = JSON.parse(cli('stats', '--catalog', catalog, '--json').stdout) as { total: number }
    expect(json.total).toBe(375)
  })

  it('backs up, lists backups, and restores one', () => {
    const b = cli('backup', '--catalog', catalog)
    expect(b.status).toBe(0)
    const file = /to (.+\.db) \(/.exec(b.stdout)![1]!
    const list = cli('restore', '--catalog', catalog)
    expect(list.stdout).toContain(file)
    expect(list.stdout).toMatch(/manual/)
    const r = cli('restore', file, '--catalog', catalog)
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^Restored .* The catalog it replaced is saved as .*before-restore\.db\./)
    expect(cli('stats', '--catalog', catalog).stdout).toMatch(/375 entries/)
    const bad = cli('restore', join(dir.path, 'nope.db'), '--catalog', catalog)
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/No backup at/)
  })

  it('gives a clear error and exit code for bad input', () => {
    const r = cli('import', join(dir.path, 'missing-folder'), '--catalog', catalog)
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^lus-review: The folder .*missing-folder does not exist\./)
    const u = cli('frobnicate')
    expect(u.status).toBe(2)
    expect(u.stderr).toMatch(/^lus-review: unknown command 'frobnicate'\. Usage: lus-review COMMAND/)
    const o = cli('stats', '--bogus')
    expect(o.status).toBe(2)
    expect(o.stderr).toBe("lus-review stats: unknown option '--bogus'. Usage: lus-review stats [--catalog FILE] [--json] (see lus-review stats --help)\n")
  })

  it('serve refuses a non-loopback host without the explicit flag', () => {
    const r = cli('serve', '--catalog', catalog, '--host', '0.0.0.0')
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0/)
  })
})
