import type { Migration } from './migration'
import { migration001 } from './001-initial-schema'
import { migration002 } from './002-review-audit'
import { migration003 } from './003-ratings'

/** Every migration, in order. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003]

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length
