import type { Migration } from './migration'
import { migration001 } from './001-initial-schema'
import { migration002 } from './002-review-audit'
import { migration003 } from './003-ratings'
import { migration004 } from './004-predictions'
import { migration005 } from './005-submissions'
import { migration006 } from './006-rater-key-frames'
import { migration007 } from './007-csv-blank-lines'
import { migration008 } from './008-prediction-frames'
import { migration009 } from './009-prediction-findings'

/** Every migration, in order. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009]

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length
