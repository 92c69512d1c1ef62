/** Blinded multi-rater review over one catalog: the stores and the services built on them. */
import { CatalogIndex } from '../../shared/catalogQuery'
import type { CreateSetArgs, RaterRole, ReviewSet, SetAgreement } from '../../shared/ratingsContract'
import type { BootstrapOptions } from '../agreement/bootstrap'
import type { CatalogRepository } from '../catalog/catalogRepository'
import type { CatalogDb } from '../catalog/database'
import { UserError } from '../errors'
import type { PlaybackService } from '../media/playbackService'
import type { ReviewService } from '../review/reviewService'
import { Adjudication } from './adjudication'
import { exportBundle } from './bundle/bundleExport'
import { importBundle, type ImportOptions } from './bundle/bundleImport'
import { RaterKeyFrameStore } from './raterKeyFrameStore'
import { RaterMode } from './raterMode'
import { RaterStore } from './raterStore'
import { RatingStore } from './ratingStore'
import { exportReaderBundle } from './readerBundle/readerBundleExport'
import { ReviewSetStore } from './reviewSetStore'
import { setAgreement } from './setAgreement'

export interface RatingContext {
  db: CatalogDb
  repository: CatalogRepository
  /** Audited catalog edits: consensus and comments are written through editCells. */
  review: ReviewService
  /** The app version, recorded in bundles. */
  version: string
  /** Reader bundles hold each clip as the catalog plays it (the original, or its proxy). */
  playback: PlaybackService
}

export class RatingsService {
  readonly raters: RaterStore
  readonly sets: ReviewSetStore
  readonly ratings: RatingStore
  readonly keyFrames: RaterKeyFrameStore
  readonly raterMode: RaterMode
  readonly adjudication: Adjudication

  constructor(private readonly ctx: RatingContext) {
    this.raters = new RaterStore(ctx.db)
    this.sets = new ReviewSetStore(ctx.db)
    this.ratings = new RatingStore(ctx.db)
    this.keyFrames = new RaterKeyFrameStore(ctx.db)
    const deps = { db: ctx.db, sets: this.sets, ratings: this.ratings, raters: this.raters, keyFrames: this.keyFrames, repository: ctx.repository }
    this.raterMode = new RaterMode(deps)
    this.adjudication = new Adjudication({ ...deps, review: ctx.review })
  }

  createRater(name: string, role: RaterRole): ReturnType<RaterStore['create']> {
    return this.raters.create(name, role)
  }

  /**
   * The set's clips are the query run over the whole catalog, as the catalog
   * view runs it; with excludeWithoutMedia, less those whose media file is
   * not linked here (missing or unreadable).
   */
  createSet(args: CreateSetArgs): ReviewSet {
    const matched = new CatalogIndex(this.ctx.repository.list()).query(args.query)
    const entries = args.excludeWithoutMedia ? matched.filter((e) => e.mediaStatus === 'linked') : matched
    if (matched.length > 0 && entries.length === 0)
      throw new UserError('bad_input', `None of the ${matched.length} clips the filter matches has its media file here: a review set needs at least one clip to rate.`)
    return this.sets.get(this.sets.create(args, entries))
  }

  /**
   * A set for raters named rather than known by id (the command line):
   * those not known yet are created, role rater, in the same transaction as
   * the set, so a refused set leaves no new rater behind.
   */
  createSetForRaterNames(raterNames: readonly string[], args: Omit<CreateSetArgs, 'raterIds'>): { set: ReviewSet; ratersCreated: string[] } {
    return this.ctx.db.transaction(() => {
      const ratersCreated: string[] = []
      const raterIds = raterNames.map((name) => {
        const known = this.raters.byName(name)
        if (known) return known.id
        const made = this.raters.create(name, 'rater')
        ratersCreated.push(made.name)
        return made.id
      })
      return { set: this.createSet({ ...args, raterIds }), ratersCreated }
    })()
  }

  agreement(setId: string, options: Partial<BootstrapOptions> = {}): SetAgreement {
    return setAgreement(this.sets, this.ratings, setId, options)
  }

  exportBundle(setId: string, outPath: string, raterIds?: readonly string[]): ReturnType<typeof exportBundle> {
    return exportBundle(this.bundleDeps(), setId, outPath, raterIds)
  }

  /** Accepts review bundles and readers' ratings bundles alike. */
  importBundle(path: string, options: ImportOptions = {}): ReturnType<typeof importBundle> {
    return importBundle({ ...this.bundleDeps(), db: this.ctx.db, keyFrames: this.keyFrames }, path, options)
  }

  exportReaderBundle(setId: string, outPath: string, raterIds?: readonly string[]): ReturnType<typeof exportReaderBundle> {
    const { repository, playback, version } = this.ctx
    return exportReaderBundle({ sets: this.sets, repository, playback, version }, setId, outPath, raterIds)
  }

  private bundleDeps(): { sets: ReviewSetStore; ratings: RatingStore; raters: RaterStore; version: string } {
    return { sets: this.sets, ratings: this.ratings, raters: this.raters, version: this.ctx.version }
  }
}
