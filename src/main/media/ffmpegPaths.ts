/** Debian's ffmpeg is used, not a downloaded one: FFMPEG_PATH / FFPROBE_PATH first, then PATH. */
import { existsSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, process.platform === 'win32' ? `${name}.exe` : name)
    if (existsSync(candidate)) return candidate
  }
  return null
}

export function ffmpegPath(): string | null {
  return process.env.FFMPEG_PATH || onPath('ffmpeg')
}

export function ffprobePath(): string | null {
  if (process.env.FFPROBE_PATH) return process.env.FFPROBE_PATH
  const ffmpeg = process.env.FFMPEG_PATH
  if (ffmpeg) {
    const sibling = join(dirname(ffmpeg), process.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe')
    if (existsSync(sibling)) return sibling
  }
  return onPath('ffprobe')
}
