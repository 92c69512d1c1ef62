/**
 * training/check.py: says what training needs that this machine lacks, from
 * training/requirements.txt, with the apt-get line; exit 0 only when nothing
 * is missing. Run with stand-in modules on PYTHONPATH (a torch too old, a
 * torchvision present) so the answer does not depend on what is installed.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, tempDir } from '../../helpers/paths'

const CHECK = join(REPO_ROOT, 'training', 'check.py')
let dir: ReturnType<typeof tempDir>

interface Row {
  kind: string
  name: string
  minimum: string
  module: string | null
  found: string | null
  ok: boolean
}

function run(args: string[], pythonPath: string): { status: number | null; stdout: string } {
  const r = spawnSync('python3', [CHECK, ...args], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: pythonPath, PYTHONDONTWRITEBYTECODE: '1' } })
  return { status: r.status, stdout: r.stdout }
}

beforeAll(() => {
  dir = tempDir('lus-train-check-')
  const stub = (name: string, version: string): void => {
    mkdirSync(join(dir.path, name), { recursive: true })
    writeFileSync(join(dir.path, name, '__init__.py'), `__version__ = '${version}'\n`)
  }
  stub('torch', '1.0.0')
  stub('torchvision', '0.14.1')
})
afterAll(() => dir.cleanup())

describe('python3 training/check.py', () => {
  it('checks every line of training/requirements.txt and tells a too-old package from a present one', () => {
    const r = run(['--json'], dir.path)
    const rows = JSON.parse(r.stdout) as Row[]
    const listed = readFileSync(join(REPO_ROOT, 'training', 'requirements.txt'), 'utf8')
      .split('\n')
      .map((l) => l.split('#')[0]!.trim())
      .filter((l) => l !== '')
      .map((l) => l.split(/\s+/)[1])
    expect(rows.map((x) => x.name)).toEqual(listed)
    expect(rows.find((x) => x.name === 'python3-torch')).toMatchObject({ found: '1.0.0', ok: false })
    expect(rows.find((x) => x.name === 'python3-torchvision')).toMatchObject({ found: '0.14.1', ok: true })
    // A torch too old is a failure whatever else is there.
    expect(r.status).toBe(1)
  })

  it('prints what is missing with the apt-get line that installs it', () => {
    const r = run([], dir.path)
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/^What training needs \(training\/requirements\.txt\):\n/)
    expect(r.stdout).toMatch(/python3-torch +>= 1\.13 +too old \(1\.0\.0\)/)
    expect(r.stdout).toMatch(/python3-torchvision +>= 0\.14 +ok \(0\.14\.1\)/)
    expect(r.stdout).toMatch(/\nMissing: apt-get install python3-torch( \S+)*\n$/)
    expect(r.stdout).not.toMatch(/apt-get install [^\n]*python3-torchvision/)
  })
})
