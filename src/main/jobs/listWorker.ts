/**
 * Worker thread that builds catalog/list for a large catalog on its own
 * read-only connection (catalogList.ts), so reading 100k rows and
 * serializing them never blocks the main thread. It answers with the JSON
 * bytes (serve mode: transferred, not copied), or with the summaries in
 * chunks the main thread pulls one at a time (IPC needs objects; one 100k
 * message would be decoded in one go).
 */
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import type { EntrySummary } from '../../shared/contract'
import { CatalogRepository } from '../catalog/catalogRepository'
import type { ListWorkerAnswer, ListWorkerData } from './catalogList'
import { toWorkerFailure } from './workerThread'

const data = workerData as ListWorkerData
const port = parentPort!
const answer = (m: ListWorkerAnswer, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer)

let entries: EntrySummary[] = []
let next = 0

try {
  const db = new Database(data.catalogPath, { readonly: true, fileMustExist: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) })
  try {
    entries = new CatalogRepository(db).list()
  } finally {
    db.close()
  }
  if (data.format === 'json') {
    const bytes = new TextEncoder().encode(JSON.stringify({ entries }))
    answer({ type: 'json', bytes }, [bytes.buffer as ArrayBuffer])
    port.close()
  } else {
    port.on('message', () => {
      const chunk = entries.slice(next, next + data.chunkSize)
      next += chunk.length
      answer({ type: 'entries', entries: chunk, last: next >= entries.length })
      if (next >= entries.length) port.close()
    })
    answer({ type: 'ready', total: entries.length })
  }
} catch (e) {
  port.postMessage(toWorkerFailure(e))
  port.close()
}
