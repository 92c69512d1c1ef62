// `npm start` runs this before Electron starts. better-sqlite3 is a native
// module: node_modules holds the build for Node (tests, CLI, serve mode), and
// Electron needs one for its own ABI. Rather than rebuild in place (which
// would break the Node side), build a second copy into build/electron-native/,
// which the Electron main process loads through better-sqlite3's
// `nativeBinding` option. Needs the network once, like Electron's own runtime.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronNodeRange, requireNode } from './node-version.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
requireNode(electronNodeRange(root), 'npm start (Electron)')
const require = createRequire(join(root, 'package.json'))
const electronVersion = require('electron/package.json').version
const sqlitePkgDir = dirname(require.resolve('better-sqlite3/package.json'))
const sqliteVersion = require('better-sqlite3/package.json').version
const outDir = join(root, 'build', 'electron-native')
const stamp = join(outDir, 'stamp.txt')
const wanted = `electron ${electronVersion} better-sqlite3 ${sqliteVersion} ${process.platform}-${process.arch}`

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) process.exit(0)

console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once)…`)
const work = join(tmpdir(), `lus-review-electron-native-${process.pid}`)
rmSync(work, { recursive: true, force: true })
cpSync(sqlitePkgDir, work, { recursive: true, filter: (src) => !src.includes(`${join(sqlitePkgDir, 'build')}`) })
const common = ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`]
try {
  const prebuild = require.resolve('prebuild-install/bin.js', { paths: [sqlitePkgDir] })
  execFileSync(process.execPath, [prebuild, ...common], { cwd: work, stdio: 'inherit' })
} catch {
  console.log('No prebuilt binary; compiling with node-gyp…')
  const nodeGyp = process.env.npm_config_node_gyp
  if (!nodeGyp) {
    console.error('node-gyp not found: run this through npm (npm start).')
    process.exit(1)
  }
  execFileSync(process.execPath, [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], {
    cwd: work,
    stdio: 'inherit'
  })
}
mkdirSync(outDir, { recursive: true })
copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'))
writeFileSync(stamp, wanted)
rmSync(work, { recursive: true, force: true })
console.log(`Ready: ${join(outDir, 'better_sqlite3.node')}`)
