/**
 * One owner per catalog, through the real command line (tsx over
 * src/main/cli.ts, as readerStudyCommands.test.ts runs it): while
 * `lus-review serve` holds a catalog, `restore`, a second `serve` and
 * `import` are refused with the lock message and change nothing, while
 * reading commands (`stats`, `backup`) still work beside it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCatalog } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { makeDataset, row } from '../../helpers/fixtures'
import { REPO_ROOT, tempDir } from '../../helpers/paths'

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx')
const CLI = join(REPO_ROOT, 'src', 'main', 'cli.ts')

let dir: ReturnType<typeof tempDir>
let catalog: string
let dataset: string
let server: ChildProcess | null = null

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, LUS_REVIEW_HOME: join(dir.path, 'home') } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Entries as a reader sees them: what a refused command must not have changed. */
function entries(): string {
  const db = openCatalog(catalog, { readonly: true })
  try {
    return createHash('sha256').update(JSON.stringify(db.prepare('SELECT id, cells FROM entries ORDER BY id').all())).digest('hex')
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  dir = tempDir('lus-owner-')
  catalog = join(dir.path, 'c.db')
  dataset = join(dir.path, 'dataset')
  makeDataset(dataset, [row('Cov_a', { Title: 'first' }), row('Cov_b')], {})
  const db = openCatalog(catalog)
  await importDataset(db, dataset)
  db.close()
  const backup = cli('backup', '--catalog', catalog)
  expect(backup.status, backup.stderr).toBe(0)
  server = spawn(TSX, [CLI, 'serve', '--catalog', catalog, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LUS_REVIEW_HOME: join(dir.path, 'home') }
  })
  let err = ''
  server.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  await new Promise<void>((ready, fail) => {
    server!.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('serving at')) ready()
    })
    server!.once('exit', (code) => fail(new Error(`serve exited (${code}): ${err}`)))
  })
}, 120_000)

afterAll(() => {
  server?.kill('SIGKILL')
  dir.cleanup()
})

describe('lus-review serve owns its catalog', () => {
  it('refuses lus-review restore with the lock message, changing nothing', () => {
    const before = entries()
    const note = readFileSync(join(dir.path, 'c.db.owner.json'), 'utf8')
    expect(JSON.parse(note)).toMatchObject({ program: 'lus-review serve', pid: expect.any(Number) })
    const list = cli('restore', '--catalog', catalog)
    const file = /\s(\/\S+manual\.db)$/m.exec(list.stdout)![1]!
    const r = cli('restore', file, '--catalog', catalog)
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^lus-review: The catalog .*c\.db is open in lus-review serve \(pid \d+, since \d\d:\d\d\); nothing was changed\. Close it first, or restore the backup from inside it \(Backups\)\.\n$/)
    expect(entries()).toBe(before)
    // No safety copy was made either: the restore stopped before touching anything.
    expect(cli('restore', '--catalog', catalog).stdout).not.toMatch(/before-restore/)
  }, 120_000)

  it('refuses a second serve on the same catalog', () => {
    const r = cli('serve', '--catalog', catalog, '--port', '0')
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^lus-review: The catalog .*c\.db is open in lus-review serve \(pid \d+, since \d\d:\d\d\); nothing was changed\. Close it first\.\n$/)
  }, 120_000)

  it('refuses lus-review import, changing nothing', () => {
    const before = entries()
    const r = cli('import', dataset, '--catalog', catalog)
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/open in lus-review serve \(pid \d+, since \d\d:\d\d\); nothing was changed\. Close it first, or import the folder from inside it\./)
    expect(entries()).toBe(before)
  }, 120_000)

  it('still answers stats and makes backups beside it (read-only commands take no lock)', () => {
    const stats = cli('stats', '--catalog', catalog, '--json')
    expect(stats.status, stats.stderr).toBe(0)
    expect((JSON.parse(stats.stdout) as { total: number }).total).toBe(2)
    expect(cli('backup', '--catalog', catalog).status).toBe(0)
  }, 120_000)

  it('once serve has stopped, the restore goes through', async () => {
    server!.kill('SIGTERM')
    await new Promise((r) => server!.once('exit', r))
    server = null
    const list = cli('restore', '--catalog', catalog)
    const file = /\s(\/\S+manual\.db)$/m.exec(list.stdout)![1]!
    const r = cli('restore', file, '--catalog', catalog)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  }, 120_000)
})

describe('read-only commands on a missing or damaged catalog', () => {
  it('stats on a damaged catalog: a message and exit 1, not a stack trace', () => {
    const path = join(dir.path, 'damaged.db')
    const db = openCatalog(path)
    const insert = db.prepare("INSERT INTO settings (key, value) VALUES (?, hex(randomblob(1500)))")
    for (let i = 0; i < 50; i++) insert.run(`k${i}`)
    db.close()
    // Garbage over the pages after the schema: the file opens, the query finds them damaged.
    const bytes = readFileSync(path)
    bytes.fill(0xa5, 4096 * 2, bytes.length - 4096)
    writeFileSync(path, bytes)
    const r = cli('stats', '--catalog', path)
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^lus-review: The catalog .*damaged\.db is damaged or not an SQLite file \(.*\); nothing was changed\. Restore a backup: `lus-review restore --catalog .*damaged\.db` lists them\.\n$/)
  }, 120_000)

  it('stats says there is no catalog and creates nothing', () => {
    const path = join(dir.path, 'typo', 'nope.db')
    const r = cli('stats', '--catalog', path)
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(`lus-review: No catalog at ${path} (check --catalog); nothing was created.\n`)
    expect(spawnSync('ls', [join(dir.path, 'typo')]).status).not.toBe(0)
  }, 120_000)
})
