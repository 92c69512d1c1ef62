// Renders the app icon set from build/icon.svg with ffmpeg (its librsvg decoder and ICO muxer):
// build/icons/<n>x<n>.png for Linux, build/icon.png (1024 px, from which electron-builder derives
// the macOS .icns) and build/icon.ico (16–256 px) for Windows. Run after editing the SVG:
//   node scripts/make-icons.mjs
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const build = join(dirname(fileURLToPath(import.meta.url)), '..', 'build')
const svg = join(build, 'icon.svg')
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
const ffmpeg = process.env.FFMPEG_PATH || 'ffmpeg'
const run = (args) => execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' })

mkdirSync(join(build, 'icons'), { recursive: true })
const png = (n) => join(build, 'icons', `${n}x${n}.png`)
// Rendered at each size from the vector, not scaled down from one bitmap, so small sizes stay sharp.
for (const n of SIZES) run(['-width', String(n), '-height', String(n), '-i', svg, '-frames:v', '1', '-pix_fmt', 'rgba', png(n)])
run(['-i', png(1024), '-c', 'copy', join(build, 'icon.png')])
run([...ICO_SIZES.flatMap((n) => ['-i', png(n)]), ...ICO_SIZES.flatMap((_, i) => ['-map', String(i)]), '-c', 'png', join(build, 'icon.ico')])
console.log(`Wrote ${SIZES.length} PNGs, icon.png and icon.ico in ${build}`)
