/**
 * What the installers hold, checked without packaging (our machines cannot
 * download Electron): electron-builder's own file matcher applied to
 * electron-builder.json keeps exactly the onnxruntime-web files that ONNX
 * Runtime's Node build loads (derived from its code, not listed by hand) and
 * unpacks them from the asar; the built renderer carries the one wasm it loads
 * and the model; the model resolves from a packaged layout; and
 * scripts/check-dist.mjs (run by `npm run dist`) refuses a tree without ffmpeg
 * for the target or with a GPL/nonfree ffmpeg, as docs/release.md says.
 */
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FileMatcher } from 'app-builder-lib/out/fileMatcher'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultModelPath } from '../../../src/main/classifier/modelSession'
import { REPO_ROOT, tempDir } from '../../helpers/paths'
// @ts-expect-error: a plain .mjs script without types; its exports are what `npm run dist` runs.
import * as checkDist from '../../../scripts/check-dist.mjs'

interface CheckDist {
  distProblems(root: string, target: { os: string; arch: string }, options?: { runnable?: boolean }): string[]
  targetName(platform?: string, arch?: string): string
  globToRegExp(glob: string): RegExp
  SHIPPED_FFMPEG_LICENCE: string
  REFUSED_FFMPEG_FLAGS: string[]
}
const dist = checkDist as CheckDist

interface BuilderConfig {
  files: string[]
  asarUnpack: string[]
  extraResources: { from: string; to: string; filter: string[] }[]
}
const config = JSON.parse(readFileSync(join(REPO_ROOT, 'electron-builder.json'), 'utf8')) as BuilderConfig
const ORT_DIST = join(REPO_ROOT, 'node_modules', 'onnxruntime-web', 'dist')

/** The files under node_modules/onnxruntime-web/dist that electron-builder copies: it applies the exclusions of `files` to node_modules. */
function packagedOrtFiles(): string[] {
  const matcher = new FileMatcher(REPO_ROOT, '/packaged', (s: string) => s, config.files.filter((p) => p.startsWith('!')))
  matcher.prependPattern('**/*')
  const keep = matcher.createFilter()
  return readdirSync(ORT_DIST).filter((name) => {
    const file = join(ORT_DIST, name)
    return keep(file, statSync(file))
  })
}

/** What ONNX Runtime's Node entry loads: its own file, the module it imports by name, and the wasm that module fetches. */
function filesOrtNodeLoads(): string[] {
  const pkg = JSON.parse(readFileSync(join(ORT_DIST, '..', 'package.json'), 'utf8')) as { exports: { '.': { node: { require: string } } } }
  const entry = pkg.exports['.'].node.require.replace('./dist/', '')
  const modules = [...new Set(readFileSync(join(ORT_DIST, entry), 'utf8').match(/ort-wasm[\w.-]*\.mjs/g))]
  const wasm = modules.flatMap((m) => [...new Set(readFileSync(join(ORT_DIST, m), 'utf8').match(/ort-wasm[\w.-]*\.wasm/g))])
  return [entry, ...modules, ...wasm].sort()
}

describe('onnxruntime-web in the package', () => {
  it('keeps only the files its Node build loads (main: lus-review predict, the classifier service)', () => {
    expect(filesOrtNodeLoads()).toEqual(['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm', 'ort.node.min.js'])
    expect(packagedOrtFiles().sort()).toEqual(filesOrtNodeLoads())
    // The matcher does drop files: the package has many more.
    expect(readdirSync(ORT_DIST).length).toBeGreaterThan(20)
  })

  it('unpacks the module and wasm it loads at run time from outside the asar', () => {
    const unpack = config.asarUnpack.map((p) => new FileMatcher(REPO_ROOT, '/packaged', (s: string) => s, [p]).createFilter())
    for (const name of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) {
      const file = join(ORT_DIST, name)
      expect(unpack.some((keep) => keep(file, statSync(file))), name).toBe(true)
    }
    const entry = join(ORT_DIST, 'ort.node.min.js')
    expect(unpack.some((keep) => keep(entry, statSync(entry)))).toBe(false)
  })
})

describe('the build output the package is made of (npm run build)', () => {
  const assets = join(REPO_ROOT, 'out', 'renderer', 'assets')
  beforeAll(() => {
    if (!statSync(join(REPO_ROOT, 'out', 'main', 'cli.js'), { throwIfNoEntry: false })) throw new Error('Not built: run `npm run build` first (npm test does).')
  })

  it('holds the entries electron-builder packs, and the renderer carries one ONNX Runtime wasm, the one its code loads, and the model', () => {
    for (const f of ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.js', 'out/renderer/index.html'])
      expect(statSync(join(REPO_ROOT, f), { throwIfNoEntry: false })?.isFile(), f).toBe(true)
    const wasm = readdirSync(assets).filter((n) => n.endsWith('.wasm'))
    expect(wasm).toHaveLength(1)
    expect(wasm[0]).toMatch(/^ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/)
    const code = readdirSync(assets)
      .filter((n) => n.endsWith('.js'))
      .map((n) => readFileSync(join(assets, n), 'utf8'))
      .join('\n')
    expect(code).toContain(wasm[0])
    const model = readdirSync(assets).filter((n) => n.endsWith('.onnx'))
    expect(model).toHaveLength(1)
    expect(code).toContain(model[0])
  })
})

describe('the model from a packaged layout', () => {
  let dir: ReturnType<typeof tempDir>
  const before = { resources: (process as { resourcesPath?: string }).resourcesPath, model: process.env.LUS_MODEL_PATH }
  beforeAll(() => {
    dir = tempDir('lus-packaged-')
  })
  afterAll(() => {
    ;(process as { resourcesPath?: string }).resourcesPath = before.resources
    if (before.model !== undefined) process.env.LUS_MODEL_PATH = before.model
    dir.cleanup()
  })

  it('is found in <resources>/models, where extraResources puts it, before the repository copy', () => {
    const models = config.extraResources.find((e) => e.to === 'models')!
    const shipped = readdirSync(join(REPO_ROOT, models.from)).filter((n) => models.filter.some((g) => dist.globToRegExp(g).test(n)))
    expect(shipped).toEqual(expect.arrayContaining(['lusnet.onnx', 'lusnet.card.json']))
    // The layout electron-builder makes: <resources>/app.asar, <resources>/models/…
    const resources = join(dir.path, 'resources')
    mkdirSync(join(resources, 'models'), { recursive: true })
    for (const n of shipped) cpSync(join(REPO_ROOT, models.from, n), join(resources, 'models', n))
    delete process.env.LUS_MODEL_PATH
    ;(process as { resourcesPath?: string }).resourcesPath = resources
    expect(defaultModelPath()).toBe(join(resources, 'models', 'lusnet.onnx'))
  })
})

describe('npm run dist refuses to package without what the installer needs', () => {
  let root: string
  let dir: ReturnType<typeof tempDir>
  const host = dist.targetName()
  const [os, arch] = host.split('-') as [string, string]

  /** A stand-in ffmpeg: `-version` prints `configuration`, `-encoders` prints `encoders`. */
  function placeFfmpeg(configuration: string, encoders: string): void {
    const bin = join(root, 'build', 'ffmpeg', host)
    mkdirSync(bin, { recursive: true })
    const script = (text: string): string => `#!/bin/sh\ncase " $* " in *" -version "*) echo 'ffmpeg version 7.1'; echo '${configuration}';; *" -encoders "*) printf '%s\\n' '${text}';; esac\n`
    writeFileSync(join(bin, 'ffmpeg'), script(encoders))
    writeFileSync(join(bin, 'ffprobe'), script(''))
    chmodSync(join(bin, 'ffmpeg'), 0o755)
    chmodSync(join(bin, 'ffprobe'), 0o755)
  }

  beforeAll(() => {
    dir = tempDir('lus-dist-')
    root = dir.path
    cpSync(join(REPO_ROOT, 'electron-builder.json'), join(root, 'electron-builder.json'))
    for (const f of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html']) {
      mkdirSync(join(root, f, '..'), { recursive: true })
      writeFileSync(join(root, f), '')
    }
    mkdirSync(join(root, 'resources', 'models'), { recursive: true })
    for (const n of ['lusnet.onnx', 'lusnet.card.json', 'lusnet.card.md']) writeFileSync(join(root, 'resources', 'models', n), '')
  })
  afterAll(() => dir.cleanup())

  it('names the missing ffmpeg and ffprobe for the target', () => {
    const problems = dist.distProblems(root, { os, arch })
    expect(problems).toEqual([
      `build/ffmpeg/${host}/ is missing (electron-builder.json extraResources → ffmpeg)`,
      `${join(root, 'build', 'ffmpeg', host, 'ffmpeg')} is missing: put the ${host} ffmpeg build there (docs/release.md)`,
      `${join(root, 'build', 'ffmpeg', host, 'ffprobe')} is missing: put the ${host} ffmpeg build there (docs/release.md)`
    ])
    // Another target is checked for its own folder.
    expect(dist.distProblems(root, { os: 'win', arch: 'x64' }).join('\n')).toContain(join('build', 'ffmpeg', 'win-x64', 'ffmpeg.exe'))
  })

  it('refuses a GPL build and one without its licence file, and one without an H.264 encoder an LGPL build has', () => {
    placeFfmpeg('configuration: --enable-gpl --enable-libx264', ' V....D libx264   libx264 H.264')
    const problems = dist.distProblems(root, { os, arch }, { runnable: true })
    expect(problems.join('\n')).toMatch(/has no LICENSE file/)
    expect(problems.join('\n')).toMatch(/was configured with --enable-gpl: the installers ship an LGPL build/)
    expect(problems.join('\n')).toMatch(/has none of the H\.264 encoders libopenh264, /)
  })

  it('lets an LGPL build with libopenh264 and its licence through', () => {
    placeFfmpeg('configuration: --enable-libopenh264 --disable-debug', ' V....D libopenh264   OpenH264 H.264')
    writeFileSync(join(root, 'build', 'ffmpeg', host, 'LICENSE.txt'), 'GNU LESSER GENERAL PUBLIC LICENSE')
    expect(dist.distProblems(root, { os, arch }, { runnable: true })).toEqual([])
  })

  it('agrees with docs/release.md on the build that ships and its licence', () => {
    const release = readFileSync(join(REPO_ROOT, 'docs', 'release.md'), 'utf8')
    expect(dist.SHIPPED_FFMPEG_LICENCE).toBe('LGPL')
    expect(release).toMatch(/LGPL build/)
    for (const flag of dist.REFUSED_FFMPEG_FLAGS) expect(release).toContain(flag)
    expect(release).toContain('scripts/check-dist.mjs')
    expect(config.extraResources.find((e) => e.to === 'ffmpeg')!.filter).toEqual(['ffmpeg*', 'ffprobe*', 'LICENSE*'])
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts['dist']).toBe('electron-vite build && node scripts/check-dist.mjs && electron-builder')
  })
})
