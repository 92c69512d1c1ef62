import type { Migration } from '../../catalog/migrations/migration'
import { migration001 } from './001-study-store'

/** The study store's migrations, in order; numbered apart from the catalog's. Append only. */
export const STUDY_STORE_MIGRATIONS: readonly Migration[] = [migration001]

export const LATEST_STUDY_STORE_VERSION = STUDY_STORE_MIGRATIONS.length
