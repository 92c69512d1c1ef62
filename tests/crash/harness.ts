/**
 * Crash-safety harness: runs crashChild.ts, kills it with SIGKILL at a random
 * moment, reopens the catalog and checks it: integrity, every acknowledged
 * edit present (cell and audit row), and no half-done import.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import type { Readable } from 'node:stream'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { openCatalog } from '../../src/main/catalog/database'
import { importDataset } from '../../src/main/dataset/datasetImport'
import { columnIndex } from '../../src/main/dataset/normalize'
import type { CsvColumn } from '../../src/shared/vocabulary'
import { makeDataset, row } from '../helpers/fixtures'

export interface CrashReport {
  trials: number
  importTrials: number
  corruptions: number
  lostEdits: number
  halfImports: number
  acknowledgedEdits: number
  details: string[]
}

interface Ack {
  id: number
  field: CsvColumn
  value: string
}

const CHILD = resolve(__dirname, 'crashChild.ts')
const REPO = resolve(__dirname, '../..')

/** The child's protocol: one tab-separated line per event (ACK id field value, IMPORTED, READY, DONE). */
function onChildLines(child: ChildProcessByStdio<null, Readable, Readable>, onLine: (...parts: string[]) => void): void {
  let buffer = ''
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString('utf8')
    const lines = buffer.split('\n')
    buffer = lines.pop()!
    for (const line of lines) onLine(...line.split('\t'))
  })
}

/**
 * Import trials count the kill time from the start; edit trials from the
 * child's READY (catalog open, edits about to stream), so a slow start on a
 * loaded machine does not turn them into trials that kill nothing.
 */
function runAndKill(args: string[], killAfterMs: number, fromReady: boolean): Promise<{ acks: Ack[]; imported: boolean; finished: boolean }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    const acks: Ack[] = []
    let imported = false
    let finished = false
    onChildLines(child, (tag, id, field, value) => {
      if (tag === 'ACK') acks.push({ id: Number(id), field: field as CsvColumn, value: value! })
      else if (tag === 'IMPORTED') imported = true
      else if (tag === 'READY' && fromReady) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
      else if (tag === 'DONE') finished = true
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    let timer = fromReady ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal !== 'SIGKILL' && code !== 0) console.error(`crash child failed (${code}): ${stderr}`)
      done({ acks, imported, finished })
    })
  })
}

export async function runCrashTrials(options: { trials: number; dataset: string; seed?: number; log?: (s: string) => void }): Promise<CrashReport> {
  const work = mkdtempSync(join(tmpdir(), 'lus-crash-'))
  const log = options.log ?? (() => {})
  const report: CrashReport = { trials: 0, importTrials: 0, corruptions: 0, lostEdits: 0, halfImports: 0, acknowledgedEdits: 0, details: [] }
  let s = (options.seed ?? 1) >>> 0
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  try {
    // One imported catalog to start the edit trials from.
    const template = join(work, 'template.db')
    const t = openCatalog(template)
    await importDataset(t, options.dataset)
    t.pragma('wal_checkpoint(TRUNCATE)')
    t.close()

    for (let trial = 0; trial < options.trials; trial++) {
      const catalog = join(work, `trial-${trial}.db`)
      const importTrial = trial % 5 === 0
      let killAfter: number
      if (importTrial) {
        report.importTrials++
        // From early in the import to well into the edits that follow it.
        killAfter = 800 + rand() * 14000
      } else {
        copyFileSync(template, catalog)
        killAfter = 50 + rand() * 1500
      }
      const { acks, imported, finished } = await runAndKill([catalog, options.dataset, importTrial ? 'import' : 'edit', String(trial + 1)], killAfter, !importTrial)
      report.trials++
      report.acknowledgedEdits += acks.length
      const problems = checkCatalog(catalog, acks, importTrial)
      report.corruptions += problems.corrupt ? 1 : 0
      report.lostEdits += problems.lost
      report.halfImports += problems.halfImport ? 1 : 0
      const line = `trial ${trial + 1}: ${importTrial ? 'import+edits' : 'edits'}, killed at ${Math.round(killAfter)} ms${finished ? ' (after it finished)' : ''}, ${imported ? 'import done, ' : ''}${acks.length} acknowledged edits, ${problems.lost} lost${problems.corrupt ? ', CORRUPT' : ''}${problems.halfImport ? ', HALF IMPORT' : ''}`
      report.details.push(line)
      log(line)
      for (const f of [catalog, `${catalog}-wal`, `${catalog}-shm`]) rmSync(f, { force: true })
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return report
}

export interface OwnerTrialReport {
  trials: number
  acknowledgedEdits: number
  lostEdits: number
  corruptions: number
  /** Refusals seen while the owner ran, one per attempt: the writing open and the CLI restore. */
  refusals: string[]
  /** Attempts that were not refused with the lock message (must stay empty). */
  notRefused: string[]
}

/**
 * Two processes on one catalog: a running owner (crashChild in `own` mode,
 * acknowledging audited edits as they commit) while this process (a) opens
 * the catalog for writing and (b) runs `lus-review restore` on it. Both must
 * be refused with the lock message; then the owner is killed with SIGKILL and
 * every acknowledged edit must be in the catalog (a restore that had gone
 * through would have renamed the file under it and lost them).
 */
export async function runOwnerTrials(options: { trials: number }): Promise<OwnerTrialReport> {
  const work = mkdtempSync(join(tmpdir(), 'lus-owner-'))
  const report: OwnerTrialReport = { trials: 0, acknowledgedEdits: 0, lostEdits: 0, corruptions: 0, refusals: [], notRefused: [] }
  try {
    // A small CSV-only dataset: the trial is about who may write, not about media, and must stay quick.
    const dataset = join(work, 'dataset')
    makeDataset(dataset, Array.from({ length: 60 }, (_, i) => row(`Cov_owner_${i}`)), {})
    const template = join(work, 'template.db')
    const t = openCatalog(template)
    await importDataset(t, dataset)
    t.pragma('wal_checkpoint(TRUNCATE)')
    t.close()
    for (let trial = 0; trial < options.trials; trial++) {
      const catalog = join(work, `owner-${trial}.db`)
      copyFileSync(template, catalog)
      const acks: Ack[] = []
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, catalog, dataset, 'own', String(trial + 100)], { stdio: ['ignore', 'pipe', 'pipe'] })
      let acked: () => void = () => {}
      const firstAck = new Promise<void>((r) => (acked = r))
      onChildLines(child, (tag, id, field, value) => {
        if (tag === 'ACK') {
          acks.push({ id: Number(id), field: field as CsvColumn, value: value! })
          acked()
        }
      })
      const exited = new Promise<void>((r) => child.once('exit', () => r()))
      await Promise.race([firstAck, exited])

      // (a) A second writer in another process.
      try {
        openCatalog(catalog).close()
        report.notRefused.push(`trial ${trial + 1}: a writing open went through`)
      } catch (e) {
        const m = (e as Error).message
        if (/is open in .*\(pid \d+, since/.test(m)) report.refusals.push(m)
        else report.notRefused.push(`trial ${trial + 1}: writing open: ${m}`)
      }
      // (b) The command line's restore of the template (a valid catalog) over the owned catalog.
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'main', 'cli.ts'), 'restore', template, '--catalog', catalog], {
        encoding: 'utf8',
        timeout: 120_000
      })
      if (r.status === 1 && /is open in .*\(pid \d+, since .*Close it first, or restore the backup from inside it/.test(r.stderr)) report.refusals.push(r.stderr.trim())
      else report.notRefused.push(`trial ${trial + 1}: restore exited ${r.status}: ${r.stderr.trim() || r.stdout.trim()}`)

      child.kill('SIGKILL')
      await exited
      report.trials++
      report.acknowledgedEdits += acks.length
      const problems = checkCatalog(catalog, acks, false)
      report.lostEdits += problems.lost
      report.corruptions += problems.corrupt ? 1 : 0
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return report
}

function checkCatalog(file: string, acks: Ack[], importTrial: boolean): { corrupt: boolean; lost: number; halfImport: boolean } {
  // Opened raw, as SQLite recovers a killed writer's WAL: no migrations, no backups.
  const db = new Database(file)
  try {
    const integrity = db.pragma('integrity_check', { simple: true })
    const fk = db.pragma('foreign_key_check') as unknown[]
    const corrupt = integrity !== 'ok' || fk.length > 0
    let halfImport = false
    if (importTrial) {
      const hasTables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sources'").get() as { n: number }
      if (hasTables.n === 1) {
        const sources = (db.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n
        const entries = (db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n
        const media = (db.prepare('SELECT count(*) AS n FROM media').get() as { n: number }).n
        halfImport = !((sources === 0 && entries === 0 && media === 0) || (sources === 1 && entries === 375 && media === 125))
      }
    }
    let lost = 0
    const hasEntries = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'entries'").get() as { n: number }).n === 1
    // Killed before the schema existed: nothing can have been acknowledged.
    if (!hasEntries) return { corrupt, lost: acks.length, halfImport }
    const cellsOf = db.prepare<[number], { cells: string }>('SELECT cells FROM entries WHERE id = ?')
    const audited = db.prepare<[number, string, string], { n: number }>(
      'SELECT count(*) AS n FROM changes WHERE entry_id = ? AND field = ? AND new_value = ?'
    )
    for (const a of acks) {
      const row = cellsOf.get(a.id)
      const value = row ? (JSON.parse(row.cells) as string[])[columnIndex(a.field)] : undefined
      if (value !== a.value || audited.get(a.id, a.field, a.value)!.n !== 1) lost++
    }
    return { corrupt, lost, halfImport }
  } finally {
    db.close()
  }
}
