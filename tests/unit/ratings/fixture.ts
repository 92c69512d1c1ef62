/**
 * Catalogs for the rating tests: small datasets whose file names carry the
 * label prefix (Cov_, Pneu_, Reg_, Vir_) as the real one does, with media
 * files of distinct content (content hashes must differ; ffmpeg's test clips
 * would all be identical), imported with a stub probe.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { CatalogRepository } from '../../../src/main/catalog/catalogRepository'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { UserError } from '../../../src/main/errors'
import { PlaybackService } from '../../../src/main/media/playbackService'
import { CATALOG_READER_OPERATIONS, createRatingHandlers, type RatingHandlers } from '../../../src/main/ratings/handlers'
import { RatingsService } from '../../../src/main/ratings/ratingsService'
import { ReviewService } from '../../../src/main/review/reviewService'
import { ratingsContract, type RatingsContract } from '../../../src/shared/ratingsContract'
import { readerContract, type ReaderContract } from '../../../src/shared/readerContract'
import { fail, ok, type Result } from '../../../src/shared/result'
import type { z } from 'zod'
import { csvText, row, type Row } from '../../helpers/fixtures'

export const stubProbe = async (): Promise<{ frames: number; fps: null; width: number; height: number; durationS: null; codec: string }> => ({
  frames: 1,
  fps: null,
  width: 1,
  height: 1,
  durationS: null,
  codec: 'stub'
})

export interface Clip {
  name: string
  label: string
  extra?: Row
  /** Media file folder under the dataset; default pocus_videos/convex. */
  folder?: string
  /** No media file for this row. */
  noMedia?: boolean
}

/** Eight clips, two of each label, with secrets in every cell that reveals the label. */
export const CLIPS: Clip[] = [
  ['Cov_Atlas_1', 'COVID-19'],
  ['Pneu_Liver_2', 'Bacterial pneumonia'],
  ['Reg_Normal_3', 'regular'],
  ['Vir_Flu_4', 'Viral pneumonia'],
  ['Cov_Butterfly_5', 'COVID-19'],
  ['Pneu_Grepmed_6', 'Bacterial pneumonia'],
  ['Reg_Healthy_7', 'regular'],
  ['Vir_H1N1_8', 'Viral pneumonia']
].map(([name, label], i) => ({
  name: name!,
  label: label!,
  extra: {
    Title: `TITLE-SECRET-${i + 1}`,
    'URL (Video Name)': `https://secret.example/video-${i + 1}`,
    'Comments first medical doctor (MD1)': i === 0 ? '' : `MD1-SECRET-${i + 1}`,
    MD2: i === 0 ? '' : `MD2-SECRET-${i + 1}`,
    MD3: `MD3-SECRET-${i + 1}`,
    'Comments from web site': `WEB-SECRET-${i + 1}`,
    'Source ID': `SOURCE-SECRET-${i + 1}`,
    'B-lines': i % 2 === 0 ? '1' : '0',
    Fever: i % 3 === 0 ? '1' : 'n/A',
    'Patient ID / Name': `PATIENT-SECRET-${i + 1}`
  }
}))

export function writeDataset(root: string, clips: readonly Clip[] = CLIPS, salt = ''): void {
  mkdirSync(root, { recursive: true })
  writeFileSync(join(root, 'dataset_metadata.csv'), csvText(clips.map((c) => row(c.name, { Label: c.label, ...c.extra }))))
  for (const c of clips) {
    if (c.noMedia) continue
    const file = join(root, c.folder ?? 'pocus_videos/convex', `${c.name}.mp4`)
    mkdirSync(dirname(file), { recursive: true })
    // Content depends on the name only (plus an optional salt), so copies on "another machine" hash the same.
    writeFileSync(file, `not really a video: ${c.name}${salt}\n`.repeat(4))
  }
}

type CatalogReaderOperation = (typeof CATALOG_READER_OPERATIONS)[number]
/** The operations createRatingHandlers answers: the rating ones and the coordinator's reader-study ones. */
type FixtureContract = RatingsContract & Pick<ReaderContract, CatalogReaderOperation>
const FIXTURE_CONTRACT: FixtureContract = {
  ...ratingsContract,
  ...(Object.fromEntries(CATALOG_READER_OPERATIONS.map((op) => [op, readerContract[op]])) as Pick<ReaderContract, CatalogReaderOperation>)
}

export type Call = <K extends keyof FixtureContract>(
  op: K,
  args: z.input<FixtureContract[K]['args']>
) => Promise<Result<z.output<FixtureContract[K]['result']>>>

export interface Env {
  db: CatalogDb
  repository: CatalogRepository
  review: ReviewService
  playback: PlaybackService
  service: RatingsService
  handlers: RatingHandlers
  /** As dispatch does: validate the arguments, run the handler, map UserErrors; also validates the result. */
  call: Call
  close(): void
}

/** `probe`: the stub by default (fast, fake media); null for the real ffprobe (real media). */
export async function openEnv(dir: string, root: string, name = 'catalog', probe: typeof stubProbe | null = stubProbe): Promise<Env> {
  const db = openCatalog(join(dir, `${name}.db`))
  await importDataset(db, root, probe ? { probe } : {})
  const repository = new CatalogRepository(db)
  const review = new ReviewService(db, repository)
  review.settings.setUserName('Coordinator')
  const playback = new PlaybackService({ db, repository, cacheDir: join(dir, `${name}-media-cache`), concurrency: 2 })
  const ctx = { db, repository, review, version: 'test', playback }
  const service = new RatingsService(ctx)
  const handlers = createRatingHandlers(ctx, service)
  const call: Call = async (op, args) => {
    const parsed = FIXTURE_CONTRACT[op].args.safeParse(args)
    if (!parsed.success) return fail('invalid_request', parsed.error.message)
    try {
      const handler = handlers[op] as (a: unknown) => unknown
      const value = await handler(parsed.data)
      // Strict result schemas: a rater-mode result with anything beyond its allow-list fails here.
      return ok(FIXTURE_CONTRACT[op].result.parse(value)) as Result<never>
    } catch (e) {
      if (e instanceof UserError) return fail(e.code, e.message)
      throw e
    }
  }
  const close = (): void => {
    // Stops any ffmpeg job still running; nothing waits on it, as nothing is left to write.
    void playback.close()
    db.close()
  }
  return { db, repository, review, playback, service, handlers, call, close }
}

export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.value
}

export function error<T>(r: Result<T>, code?: string): { code: string; message: string } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value).slice(0, 300)}`)
  if (code !== undefined && r.error.code !== code) throw new Error(`expected ${code}, got ${r.error.code}: ${r.error.message}`)
  return r.error
}
