/** Blinded multi-rater review over one catalog: the stores and the services built on them. */
import { CatalogIndex } from '../../shared/catalogQuery'
import type { CreateSetArgs, RaterRole, ReviewSet, SetAgreement } from '../../shared/ratingsContract'
import type { BootstrapOptions } from '../agreement/bootstrap'
import type { CatalogRepository } from '../catalog/catalogRepository'
import type { CatalogDb } from '../catalog/database'
import type { ReviewService } from '../review/reviewService'
import { Adjudication } from './adjudication'
import { exportBundle } from './bundle/bundleExport'
import { importBundle, type ImportOptions } from './bundle/bundleImport'
import { RaterMode } from './raterMode'
import { RaterStore } from './raterStore'
import { RatingStore } from './ratingStore'
import { ReviewSetStore } from './reviewSetStore'
import { setAgreement } from './setAgreement'

export interface RatingContext {
  db: CatalogDb
  repository: CatalogRepository
  /** Audited catalog edits: consensus and comments are written through editCells. */
  review: ReviewService
  /** The app version, recorded in bundles. */
  version: string
}

export class RatingsService {
  readonly raters: RaterStore
  readonly sets: ReviewSetStore
  readonly ratings: RatingStore
  readonly raterMode: RaterMode
  readonly adjudication: Adjudication

  constructor(private readonly ctx: RatingContext) {
    this.raters = new RaterStore(ctx.db)
    this.sets = new ReviewSetStore(ctx.db)
    this.ratings = new RatingStore(ctx.db)
    const deps = { db: ctx.db, sets: this.sets, ratings: this.ratings, raters: this.raters, repository: ctx.repository }
    this.raterMode = new RaterMode(deps)
    this.adjudication = new Adjudication({ ...deps, review: ctx.review })
  }

  createRater(name: string, role: RaterRole): ReturnType<RaterStore['create']> {
    return this.raters.create(name, role)
  }

  /** The set's clips are the query run over the whole catalog, as the catalog view runs it. */
  createSet(args: CreateSetArgs): ReviewSet {
    const entries = new CatalogIndex(this.ctx.repository.list()).query(args.query)
    return this.sets.get(this.sets.create(args, entries))
  }

  agreement(setId: string, options: Partial<BootstrapOptions> = {}): SetAgreement {
    return setAgreement(this.sets, this.ratings, setId, options)
  }

  exportBundle(setId: string, outPath: string, raterIds?: readonly string[]): ReturnType<typeof exportBundle> {
    return exportBundle(this.bundleDeps(), setId, outPath, raterIds)
  }

  importBundle(path: string, options: ImportOptions = {}): ReturnType<typeof importBundle> {
    return importBundle({ ...this.bundleDeps(), db: this.ctx.db }, path, options)
  }

  private bundleDeps(): { sets: ReviewSetStore; ratings: RatingStore; raters: RaterStore; version: string } {
    return { sets: this.sets, ratings: this.ratings, raters: this.raters, version: this.ctx.version }
  }
}
