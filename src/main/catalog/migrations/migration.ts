import type { Database } from 'better-sqlite3'

export interface Migration {
  /** Becomes `user_version` once applied; versions are consecutive from 1. */
  version: number
  name: string
  up(db: Database): void
}
