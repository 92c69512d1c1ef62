/**
 * Worker thread of an off-thread import (datasetImport.ts): runs the read
 * step at start (importRead.ts) and answers `prepared`, then on `write` runs
 * the write step (importWrite.ts) on its own connection, through the same
 * catalog tables as an in-thread import, and answers `written`.
 * The parsed records never cross back to the main thread: at 100k rows,
 * copying them would cost the main thread as much as parsing them did.
 */
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { toWorkerFailure } from '../jobs/workerThread'
import { useImmediateTransactions } from '../catalog/immediateTransactions'
import type { ImportWorkerAnswer, ImportWorkerData, ImportWorkerRequest } from './datasetImport'
import { readImport, type PreparedImport } from './importRead'
import { writeImport } from './importWrite'

const data = workerData as ImportWorkerData
const port = parentPort!
const answer = (m: ImportWorkerAnswer): void => port.postMessage(m)

let db: Database.Database | null = null
let prepared: PreparedImport | null = null

function finish(): void {
  db?.close()
  db = null
  port.close()
}

try {
  // The catalog exists and is migrated: the main thread opened it. Same settings as its writing connection.
  db = new Database(data.catalogPath, { fileMustExist: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) })
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('synchronous = FULL')
  // Its write must wait for the busy timeout like the main connection's, not fail on the first lock it meets.
  useImmediateTransactions(db)
  prepared = readImport(db, data.root)
  answer({ type: 'prepared', existingSourceId: prepared.existingSourceId, known: prepared.known })
} catch (e) {
  port.postMessage(toWorkerFailure(e))
  finish()
}

port.on('message', (m: ImportWorkerRequest) => {
  if (m.type !== 'write' || !db || !prepared) return
  try {
    const result = writeImport(db, prepared, m.probed, m.includeOrphans, (message) => answer({ type: 'progress', message }))
    answer({ type: 'written', result })
  } catch (e) {
    port.postMessage(toWorkerFailure(e))
  }
  finish()
})
