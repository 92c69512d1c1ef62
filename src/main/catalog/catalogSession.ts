/**
 * The open catalog of a running app (Electron or serve mode): its connection,
 * the services over it (built by the composition root, app/services.ts) and the scheduled backups, and restoring a backup in
 * place. The transports hold `session.services`, a stable facade that always
 * forwards to the services of the catalog open now, so nothing keeps using a
 * connection a restore has closed.
 */
import { basename } from 'node:path'
import type { OpResult } from '../../shared/contract'
import { OPERATION_NAMES, type OperationName } from '../../shared/operations'
import type { Handlers } from '../api/handlers'
import { createServices, type ServiceContext, type Services } from '../app/services'
import { UserError } from '../errors'
import { JobRegistry } from '../jobs/jobRegistry'
import { BACKUP_INTERVAL_MS, backupOnline, restoreBackup } from './backup'
import { resolveBackupName } from './backupNames'
import { acquireCatalogLock, type CatalogLock } from './catalogLock'
import { openCatalog, type CatalogDb, type OpenOptions } from './database'

/** How long a restore waits for requests already running (a model load, a PACS query) to finish. */
const IDLE_TIMEOUT_MS = 30_000

export interface CatalogSessionOptions extends Omit<ServiceContext, 'db' | 'jobs'> {
  /** better-sqlite3 built for Electron, where it is not the default build. */
  nativeBinding?: string
  /** Scheduled backups; 0 turns them off (tests). Defaults to BACKUP_INTERVAL_MS. */
  backupIntervalMs?: number
  /** Queue playback proxies for clips Chromium cannot play after each open (the Electron app does). */
  enqueueProxies?: boolean
  /** Opens the catalog file under the session's lock; defaults to openCatalog (tests inject failures here). */
  open?: (catalogPath: string, options: OpenOptions) => CatalogDb
}

export type RestoreResult = OpResult<'backup/restore'>

export class CatalogSession {
  readonly catalogPath: string
  /** What the transports use: stable across restores. */
  readonly services: Services

  private readonly options: CatalogSessionOptions
  private readonly jobs = new JobRegistry()
  /** Held from the first open to close(), across restores: no other process may write or restore in between. */
  private readonly lock: CatalogLock
  private currentDb: CatalogDb
  private current: Services
  private stopBackups: () => void = () => {}
  private scheduledBackup: Promise<unknown> | null = null
  private restoring = false
  /** Bumped by every restore: pages loaded before it must not act on ids of the catalog it replaced. */
  private restores = 0
  private pendingRestore: Promise<void> | null = null
  private closed = false
  /** Why the catalog is not open after a failed restore (every request says so); null while all is well. */
  private broken: string | null = null
  private inFlight = 0
  private idleWaiters: (() => void)[] = []

  constructor(options: CatalogSessionOptions) {
    this.options = options
    this.catalogPath = options.catalogPath
    this.lock = acquireCatalogLock(this.catalogPath, this.nativeOptions())
    let opened: { db: CatalogDb; services: Services }
    try {
      opened = this.openServices()
    } catch (e) {
      this.lock.release()
      throw e
    }
    const { db, services } = opened
    this.currentDb = db
    this.current = services
    this.startBackground()
    this.services = this.facade()
  }

  /** The connection open now (tests, and the CLI's own shutdown). */
  get db(): CatalogDb {
    return this.currentDb
  }

  /**
   * Replaces the catalog with the backup named `name` (a file name from
   * `backup/list`). Refused while a job runs. The catalog it replaces is
   * saved first as a `before-restore` backup, whose name is returned. If the
   * restore fails, the catalog as it was is opened again and the error thrown.
   */
  async restore(name: string): Promise<RestoreResult> {
    if (this.closed) throw new UserError('unsupported', 'The catalog is closed.')
    if (this.restoring) throw new UserError('conflict', 'A backup is already being restored; wait for it to finish.')
    // Checked now to refuse a bad name at once, and again once idle: a backup made meanwhile may prune it.
    resolveBackupName(this.catalogPath, name)
    this.refuseWhileJobRuns()
    this.restoring = true
    const done = this.restoreSteps(name)
    this.pendingRestore = done.then(
      () => undefined,
      () => undefined
    )
    try {
      return await done
    } finally {
      this.restoring = false
      this.pendingRestore = null
    }
  }

  private async restoreSteps(name: string): Promise<RestoreResult> {
    await this.waitIdle()
    if (this.closed) throw new UserError('unsupported', 'The catalog was closed before the backup could be restored.')
    this.refuseWhileJobRuns()
    const backup = resolveBackupName(this.catalogPath, name)
    await this.shutDown()

    let safetyCopy: string | null
    try {
      safetyCopy = restoreBackup(this.catalogPath, backup.file, this.nativeOptions()).safetyCopy
    } catch (e) {
      // Nothing was replaced (the backup is checked before anything is written): carry on with the catalog as it was.
      this.reopenOrBreak(e)
      throw e
    }
    try {
      this.reopen()
    } catch (e) {
      // The restored file does not open (e.g. its migration failed): put the replaced catalog back.
      const reason = e instanceof Error ? e.message : String(e)
      try {
        if (safetyCopy) restoreBackup(this.catalogPath, safetyCopy, this.nativeOptions())
      } catch (putBack) {
        this.markBroken(putBack)
        throw new UserError('internal', `${this.broken} (restoring ${name} failed first: ${reason})`)
      }
      this.reopenOrBreak(e)
      throw new UserError('bad_input', `The backup ${name} was restored but does not open (${reason}); the catalog as it was is back in use.`)
    }
    this.restores++
    return { restored: basename(backup.file), safetyCopy: safetyCopy ? basename(safetyCopy) : null }
  }

  /** Stops the schedule and background work and closes the catalog, after a restore under way and requests running now. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.pendingRestore) await this.pendingRestore
    await this.waitIdle().catch(() => undefined)
    try {
      if (!this.broken) await this.shutDown()
    } finally {
      this.lock.release()
    }
  }

  // ---------------------------------------------------------------------------

  private nativeOptions(): { nativeBinding?: string } {
    return this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}
  }

  private openServices(): { db: CatalogDb; services: Services } {
    const o = this.options
    const openOptions: OpenOptions = { ...this.nativeOptions(), lock: this.lock }
    const db = (o.open ?? openCatalog)(this.catalogPath, openOptions)
    const ctx: ServiceContext = {
      db,
      catalogPath: this.catalogPath,
      transport: o.transport,
      version: o.version,
      jobs: this.jobs,
      // Worker threads (import, large lists) load the same better-sqlite3 build as this connection.
      ...this.nativeOptions(),
      ...(o.cacheDir !== undefined ? { cacheDir: o.cacheDir } : {}),
      ...(o.stateDir !== undefined ? { stateDir: o.stateDir } : {})
    }
    try {
      return { db, services: createServices(ctx) }
    } catch (e) {
      db.close()
      throw e
    }
  }

  private reopen(): void {
    const { db, services } = this.openServices()
    this.currentDb = db
    this.current = services
    this.startBackground()
  }

  /** Reopens the catalog in place after a failed restore; if even that fails, says so on every request. */
  private reopenOrBreak(first: unknown): void {
    try {
      this.reopen()
    } catch (e) {
      this.markBroken(e)
      const reason = first instanceof Error ? first.message : String(first)
      throw new UserError('internal', `${this.broken} (the restore failed first: ${reason})`)
    }
  }

  private markBroken(e: unknown): void {
    const reason = e instanceof Error ? e.message : String(e)
    this.broken = `The catalog ${this.catalogPath} could not be opened again after a failed restore (${reason}). Close LUS Review, then restore a backup with \`lus-review restore\`.`
  }

  /** Scheduled backups, with the one in progress known, so the catalog is never closed under it. */
  private startBackground(): void {
    const interval = this.options.backupIntervalMs ?? BACKUP_INTERVAL_MS
    if (interval > 0) {
      const db = this.currentDb
      const timer = setInterval(() => {
        if (this.scheduledBackup || this.restoring || this.closed) return
        this.scheduledBackup = backupOnline(db, this.catalogPath, 'scheduled')
          .catch((e: unknown) => console.error('[lus-review] scheduled backup failed:', e))
          .finally(() => (this.scheduledBackup = null))
      }, interval)
      timer.unref()
      this.stopBackups = () => clearInterval(timer)
    } else this.stopBackups = () => {}
    if (this.options.enqueueProxies) this.current.playback.enqueueAll()
  }

  /** Stops the schedule, lets a backup in progress finish, stops background work and closes the connection. */
  private async shutDown(): Promise<void> {
    this.stopBackups()
    await this.scheduledBackup
    await this.current.close()
    this.currentDb.close()
  }

  private refuseWhileJobRuns(): void {
    const job = this.current.runningJob()
    if (job) throw new UserError('conflict', `${job} is running; wait for it to finish (or cancel it) before restoring a backup.`)
  }

  /** Resolves once no forwarded request is running; refuses the restore if they take too long. */
  private waitIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done)
        reject(new UserError('conflict', 'Other requests are still running; try restoring again in a moment.'))
      }, IDLE_TIMEOUT_MS)
      const done = (): void => {
        clearTimeout(timer)
        resolve()
      }
      this.idleWaiters.push(done)
    })
  }

  private settled(): void {
    this.inFlight--
    if (this.inFlight > 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }

  /** Runs an operation on the services open now; refused while a restore has the catalog closed. */
  private call(op: OperationName, args: unknown): unknown {
    if (this.restoring) throw new UserError('conflict', 'A backup is being restored; try again in a moment.')
    if (this.closed) throw new UserError('unsupported', 'The catalog is closed.')
    if (this.broken) throw new UserError('internal', this.broken)
    const answer = (this.current.handlers[op] as (a: unknown) => unknown)(args)
    if (!(answer instanceof Promise)) return answer
    this.inFlight++
    return answer.finally(() => this.settled())
  }

  private facade(): Services {
    const forwarded = Object.fromEntries(OPERATION_NAMES.map((op) => [op, (args: unknown) => this.call(op, args)])) as unknown as Handlers
    const handlers: Handlers = { ...forwarded, 'backup/restore': ({ name }) => this.restore(name) }
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below need the session, not the facade
    const session = this
    return {
      handlers,
      get repository() {
        return session.current.repository
      },
      get jobs() {
        return session.current.jobs
      },
      get review() {
        return session.current.review
      },
      get playback() {
        return session.current.playback
      },
      get generation() {
        return session.restores
      },
      runningJob: () => session.current.runningJob(),
      close: () => session.close()
    }
  }
}
