/** Facts about media files, from ffprobe itself, to check the player against. */
import { execFileSync } from 'node:child_process'

/** Frames of the first video stream, counted by decoding every one (`-count_frames`). */
export function ffprobeFrameCount(file: string): number {
  const out = execFileSync(
    process.env['FFPROBE_PATH'] ?? 'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file],
    { encoding: 'utf8', timeout: 60_000 }
  )
  const n = Number.parseInt(out.trim().split(/[\s,]+/)[0] ?? '', 10)
  if (!Number.isInteger(n)) throw new Error(`ffprobe gave no frame count for ${file}: ${out}`)
  return n
}
