/** Small synthetic dataset folders, built by the tests themselves. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { CSV_COLUMNS } from '../../src/shared/vocabulary'
import { ffmpegPath } from '../../src/main/media/ffmpegPaths'

export type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string>>

export function csvText(rows: Row[], { delimiter = '\r\n', finalNewline = false } = {}): string {
  const records = [CSV_COLUMNS as readonly string[], ...rows.map((r) => CSV_COLUMNS.map((c) => r[c] ?? ''))]
  const text = stringify(records as string[][], { record_delimiter: delimiter, eof: false, quoted_match: /[\r\n]/ })
  return finalNewline ? text + delimiter : text
}

export function row(filename: string, extra: Row = {}): Row {
  return {
    'Date added': '20.04.20',
    'Current location': 'pocus_videos/convex',
    Filename: filename,
    Label: 'COVID-19',
    License: 'CC BY 4.0',
    Type: 'video',
    Probe: 'convex',
    ...extra
  }
}

/** A tiny real clip made with ffmpeg's test source. */
export function makeClip(file: string, { frames = 12, fps = 10, size = '64x48' } = {}): void {
  mkdirSync(dirname(file), { recursive: true })
  const bin = ffmpegPath()
  if (!bin) throw new Error('ffmpeg is required by the tests (apt-get install ffmpeg)')
  execFileSync(bin, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${fps}`, '-frames:v', String(frames), '-pix_fmt', 'yuv420p', file])
}

export function makeDataset(root: string, rows: Row[], media: Record<string, 'clip' | 'empty' | 'garbage'>, csvOptions = {}): void {
  mkdirSync(root, { recursive: true })
  writeFileSync(join(root, 'dataset_metadata.csv'), csvText(rows, csvOptions))
  for (const [rel, kind] of Object.entries(media)) {
    const file = join(root, rel)
    mkdirSync(dirname(file), { recursive: true })
    if (kind === 'clip') makeClip(file)
    else if (kind === 'empty') writeFileSync(file, '')
    else writeFileSync(file, Buffer.from('this is not a video file at all'.repeat(10)))
  }
}
