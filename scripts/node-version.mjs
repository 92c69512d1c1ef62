// Which Node each part of the project needs, read from the toolchain itself
// rather than written down twice: Electron's npm package (npm start, npm run
// dist) declares its own minimum; serve mode, the CLI and the tests run on the
// minimum vite and electron-vite declare. README's Node table and package.json's
// engines say the same (tests/unit/packaging/nodeVersion.test.ts).
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The lowest version a range such as ">= 22.12.0" or "^20.19.0 || >=22.12.0" allows, as [major, minor, patch]. */
export function lowestVersion(range) {
  const versions = [...range.matchAll(/(\d+)\.(\d+)(?:\.(\d+))?/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)])
  if (versions.length === 0) throw new Error(`no version in "${range}"`)
  return versions.sort(compareVersions)[0]
}

export function compareVersions(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}

export function parseVersion(v) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v)
  if (!m) throw new Error(`not a version: ${v}`)
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

/** The Node that Electron's package (and so npm start and npm run dist) requires. */
export function electronNodeRange(dir = root) {
  return JSON.parse(readFileSync(join(dir, 'node_modules', 'electron', 'package.json'), 'utf8')).engines.node
}

/** Exits with a message naming what needs a newer Node, when this Node is older than the range's lowest version. */
export function requireNode(range, what, current = process.versions.node) {
  const lowest = lowestVersion(range)
  if (compareVersions(parseVersion(current), lowest) >= 0) return
  console.error(
    `${what} needs Node.js ${lowest.join('.')} or newer (Electron ${JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version} requires it); this is Node.js ${current}.\n` +
      'Serve mode (npm run serve), the command line and the tests work on Node.js 20.19 too; see "Node.js versions" in the README.'
  )
  process.exit(1)
}
