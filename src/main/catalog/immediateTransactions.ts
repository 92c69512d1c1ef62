/**
 * Write transactions that take the write lock when they begin. A deferred
 * transaction (better-sqlite3's default) starts as a reader and upgrades on
 * its first write; if another connection writes meanwhile, SQLite answers
 * SQLITE_BUSY at once, without waiting for the busy timeout, because waiting
 * could deadlock two upgrading readers. Two writers (serve + a command, two
 * processes at the moment the lock is taken) then lost edits with "database
 * is locked". BEGIN IMMEDIATE asks for the write lock first, where the busy
 * timeout does apply.
 *
 * Done once, where a writing connection is opened, rather than at every call
 * site: `db.transaction(fn)` returns its `.immediate` variant, which carries
 * `.deferred`, `.immediate` and `.exclusive` like the original.
 */
import Database from 'better-sqlite3'

export function useImmediateTransactions<T extends Database.Database>(db: T): T {
  const original = Database.prototype.transaction
  const immediate: Database.Database['transaction'] = function (this: Database.Database, fn) {
    return original.call(this, fn).immediate as ReturnType<typeof original<typeof fn>>
  }
  Object.defineProperty(db, 'transaction', { value: immediate, configurable: true, writable: true })
  return db
}
