/**
 * Node version truth: package.json's engines, .nvmrc, the README's table and
 * the scripts that guard npm start and npm run dist agree with what the
 * toolchain itself declares (Electron's package for the app; vite and
 * electron-vite for the build, serve mode, the CLI and the tests), and CI's
 * Node 20 stays allowed.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../helpers/paths'
// @ts-expect-error: a plain .mjs script without types.
import * as nodeVersion from '../../../scripts/node-version.mjs'

type Version = [number, number, number]
const nv = nodeVersion as {
  lowestVersion(range: string): Version
  compareVersions(a: Version, b: Version): number
  parseVersion(v: string): Version
  electronNodeRange(dir?: string): string
}
const pkgOf = (name: string): { version: string; engines?: { node?: string } } =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string; engines?: { node?: string } }
const own = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
const dotted = (v: Version): string => (v[2] === 0 ? `${v[0]}.${v[1]}` : v.join('.'))

describe('Node versions', () => {
  const app = nv.lowestVersion(nv.electronNodeRange(REPO_ROOT))
  const tooling = ['vite', 'electron-vite', 'eslint'].map((p) => nv.lowestVersion(pkgOf(p).engines!.node!)).sort(nv.compareVersions).at(-1)!

  it('reads the ranges as the toolchain states them', () => {
    expect(nv.lowestVersion('>= 22.12.0')).toEqual([22, 12, 0])
    expect(nv.lowestVersion('^20.19.0 || >=22.12.0')).toEqual([20, 19, 0])
    expect(nv.compareVersions(nv.parseVersion('v20.20.2'), [20, 19, 0])).toBeGreaterThan(0)
  })

  it("engines allow the tooling's Node 20 line and the app's Node 22 line, and nothing older", () => {
    expect(own.engines.node).toBe(`^${tooling.join('.')} || >=${app.join('.')}`)
    // CI runs Node 20: npm ci must not warn about engines there.
    expect(nv.compareVersions(nv.parseVersion(process.versions.node), tooling)).toBeGreaterThanOrEqual(0)
  })

  it('.nvmrc names the Node that runs everything, the app included', () => {
    const nvmrc = readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim()
    expect(nv.compareVersions(nv.parseVersion(`${nvmrc}.0`.split('.').slice(0, 3).join('.')), app)).toBeGreaterThanOrEqual(0)
  })

  it('the README table says the same', () => {
    expect(readme).toContain(`| \`npm start\`, \`npm run dist\` | ${dotted(app)} or newer |`)
    expect(readme).toContain(`| \`npm run serve\`, \`npx lus-review …\`, \`npm test\` | ${dotted(tooling)} or newer |`)
  })

  it('npm start and npm run dist refuse an older Node with a message that names the version', () => {
    const script = `import { requireNode } from '${join(REPO_ROOT, 'scripts', 'node-version.mjs')}'; requireNode('>= 22.12.0', 'npm start (Electron)', '20.20.2')`
    let failure: { status: number; stderr: string } | null = null
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', stdio: 'pipe' })
    } catch (e) {
      failure = e as { status: number; stderr: string }
    }
    expect(failure?.status).toBe(1)
    expect(failure?.stderr).toMatch(/^npm start \(Electron\) needs Node\.js 22\.12\.0 or newer .*this is Node\.js 20\.20\.2\./)
    execFileSync(process.execPath, ['--input-type=module', '-e', script.replace("'20.20.2'", "'22.12.0'")])
  })
})
