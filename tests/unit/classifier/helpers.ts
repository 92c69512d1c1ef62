/** Shared set-up of the classifier tests. */
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { CatalogDb } from '../../../src/main/catalog/database'
import { openCatalog } from '../../../src/main/catalog/database'
import { migration004 } from '../../../src/main/catalog/migrations/004-predictions'
import { ffmpegPath } from '../../../src/main/media/ffmpegPaths'
import { REPO_ROOT } from '../../helpers/paths'

export const FIXTURES = join(__dirname, 'fixtures')
export const SHIPPED_MODEL = join(REPO_ROOT, 'resources', 'models', 'lusnet.onnx')

/**
 * A catalog with the predictions table. Until migration 004 is listed in
 * migrations/index.ts, openCatalog stops before it; apply it here then.
 */
export function openClassifierCatalog(path: string): CatalogDb {
  const db = openCatalog(path)
  const has = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'predictions'").get()!.n
  if (!has) db.transaction(() => migration004.up(db))()
  return db
}

/** A synthetic clip from one of ffmpeg's generated sources (never dataset media). */
export function makeSourceClip(file: string, source: string, { frames = 30, fps = 10, extra = [] as string[] } = {}): void {
  mkdirSync(dirname(file), { recursive: true })
  execFileSync(ffmpegPath()!, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `${source}:rate=${fps}`, '-frames:v', String(frames), ...extra, '-pix_fmt', 'yuv420p', file])
}

/** The same clip re-encoded: another codec and size, heavier compression. */
export function reencode(from: string, to: string): void {
  execFileSync(ffmpegPath()!, ['-v', 'error', '-y', '-i', from, '-vf', 'scale=iw*3/4:ih*3/4', '-c:v', 'mpeg4', '-q:v', '12', to])
}
