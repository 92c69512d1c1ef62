#!/usr/bin/env node
// Run by `npm run dist` between the build and electron-builder: refuses to
// package an installer that would lack what electron-builder.json names (the
// built app, the model, ffmpeg and ffprobe for the target with their licence)
// or that would ship an ffmpeg whose licence docs/release.md does not declare
// (a GPL or nonfree build). Usage: node scripts/check-dist.mjs [--os linux|mac|win] [--arch x64|arm64]
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronNodeRange, requireNode } from './node-version.mjs'

/** The licence of the ffmpeg build the installers ship (docs/release.md says the same; a test checks both). */
export const SHIPPED_FFMPEG_LICENCE = 'LGPL'
/** configure flags that would make the bundled ffmpeg GPL (libx264 needs it) or not redistributable at all. */
export const REFUSED_FFMPEG_FLAGS = ['--enable-gpl', '--enable-nonfree']
/** H.264 encoders an LGPL build can carry (src/main/media/h264Encoder.ts tries them in this order). */
export const LGPL_H264_ENCODERS = ['libopenh264', 'h264_videotoolbox', 'h264_mf', 'h264_nvenc']

const ELECTRON_BUILDER_OS = { linux: 'linux', darwin: 'mac', win32: 'win' }

/** electron-builder's ${os}-${arch} for a Node platform and arch. */
export function targetName(platform = process.platform, arch = process.arch) {
  const os = ELECTRON_BUILDER_OS[platform]
  if (!os) throw new Error(`no installer target for platform ${platform}`)
  return `${os}-${arch}`
}

function parseTarget(argv) {
  const get = (flag) => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const host = targetName().split('-')
  return { os: get('--os') ?? host[0], arch: get('--arch') ?? host[1] }
}

// A filter glob of electron-builder.json ("**/*.onnx", "ffmpeg*") as a test for a file name in the folder.
export function globToRegExp(glob) {
  const body = glob
    .replace(/^(\*\*\/)+/, '')
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*')
  return new RegExp(`^${body}$`)
}

/** The problems that make packaging `root` for `target` refuse; empty when it may go on. */
export function distProblems(root, target, options = {}) {
  const problems = []
  const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8'))
  const exe = target.os === 'win' ? '.exe' : ''

  // The build output the `files` globs take: without it the installer holds no app.
  for (const built of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'])
    if (!existsSync(join(root, built))) problems.push(`${built} is missing: run npm run build first`)

  for (const extra of config.extraResources ?? []) {
    const from = extra.from.replaceAll('${os}', target.os).replaceAll('${arch}', target.arch)
    const dir = join(root, from)
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push(`${from}/ is missing (electron-builder.json extraResources → ${extra.to})`)
      continue
    }
    const names = readdirSync(dir)
    for (const pattern of extra.filter ?? []) {
      const re = globToRegExp(pattern)
      if (!names.some((n) => re.test(n))) problems.push(`${from}/ holds nothing matching ${pattern} (electron-builder.json extraResources → ${extra.to})`)
    }
  }

  const ffmpegDir = join(root, 'build', 'ffmpeg', `${target.os}-${target.arch}`)
  const ffmpeg = join(ffmpegDir, `ffmpeg${exe}`)
  const ffprobe = join(ffmpegDir, `ffprobe${exe}`)
  for (const bin of [ffmpeg, ffprobe]) if (!existsSync(bin)) problems.push(`${bin} is missing: put the ${target.os}-${target.arch} ffmpeg build there (docs/release.md)`)
  if (existsSync(ffmpegDir) && !readdirSync(ffmpegDir).some((n) => /^LICENSE/.test(n)))
    problems.push(`${ffmpegDir} has no LICENSE file: the ffmpeg build's licence text ships with it (${SHIPPED_FFMPEG_LICENCE})`)

  // A binary for this machine can be asked what it is; one for another target is taken as placed.
  const runnable = options.runnable ?? `${target.os}-${target.arch}` === targetName()
  if (runnable && existsSync(ffmpeg)) {
    let version = ''
    let encoders = ''
    try {
      version = execFileSync(ffmpeg, ['-hide_banner', '-version'], { encoding: 'utf8' })
      encoders = execFileSync(ffmpeg, ['-hide_banner', '-encoders'], { encoding: 'utf8' })
    } catch (e) {
      problems.push(`${ffmpeg} does not run: ${e.message.split('\n')[0]}`)
    }
    if (version) {
      const refused = REFUSED_FFMPEG_FLAGS.filter((f) => version.includes(f))
      if (refused.length > 0) problems.push(`${ffmpeg} was configured with ${refused.join(' ')}: the installers ship an ${SHIPPED_FFMPEG_LICENCE} build (docs/release.md)`)
      const h264 = LGPL_H264_ENCODERS.filter((e) => new RegExp(`^\\s*V\\S*\\s+${e}\\s`, 'm').test(encoders))
      if (h264.length === 0) problems.push(`${ffmpeg} has none of the H.264 encoders ${LGPL_H264_ENCODERS.join(', ')}: the packaged app could not make playback copies`)
    }
  }
  return problems
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  requireNode(electronNodeRange(root), 'npm run dist (electron-builder)')
  const target = parseTarget(process.argv.slice(2))
  const problems = distProblems(root, target)
  if (problems.length > 0) {
    console.error(`npm run dist: not packaging ${target.os}-${target.arch}:`)
    for (const p of problems) console.error(`  - ${p}`)
    process.exit(1)
  }
  console.log(`npm run dist: ${target.os}-${target.arch} has the app, the model and an ${SHIPPED_FFMPEG_LICENCE} ffmpeg; packaging.`)
}
