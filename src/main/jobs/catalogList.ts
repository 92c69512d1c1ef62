/**
 * catalog/list for a large catalog, built in a worker thread (listWorker.ts)
 * on a read-only connection. It reads the last committed catalog, as the main
 * connection does (WAL), so an import being written is never half-listed.
 */
import type { EntrySummary } from '../../shared/contract'
import { PreparedJson } from './preparedJson'
import { WorkerConversation, startWorker } from './workerThread'

/** From this many entries the list is built off the main thread; below, building it costs less than starting a worker. */
export const OFF_THREAD_LIST_ROWS = 5000

/** Summaries per message in the `objects` format: decoding one takes a few milliseconds of the main thread. */
const CHUNK_SIZE = 2000

export interface ListWorkerData {
  catalogPath: string
  nativeBinding?: string
  /** json: the serialized result for serve mode; objects: the summaries for IPC. */
  format: 'json' | 'objects'
  chunkSize: number
}

export type ListWorkerAnswer =
  | { type: 'json'; bytes: Uint8Array }
  | { type: 'ready'; total: number }
  | { type: 'entries'; entries: EntrySummary[]; last: boolean }

export async function listCatalogOffThread(catalogPath: string, format: 'json', nativeBinding?: string): Promise<PreparedJson>
export async function listCatalogOffThread(catalogPath: string, format: 'objects', nativeBinding?: string): Promise<{ entries: EntrySummary[] }>
export async function listCatalogOffThread(
  catalogPath: string,
  format: ListWorkerData['format'],
  nativeBinding?: string
): Promise<PreparedJson | { entries: EntrySummary[] }> {
  const data: ListWorkerData = { catalogPath, format, chunkSize: CHUNK_SIZE, ...(nativeBinding ? { nativeBinding } : {}) }
  const worker = new WorkerConversation<ListWorkerAnswer>(startWorker('listWorker', data))
  try {
    if (format === 'json') return new PreparedJson((await worker.next('json')).bytes)
    const entries: EntrySummary[] = []
    const { total } = await worker.next('ready')
    while (entries.length < total) {
      // One chunk per turn of the event loop, so other requests are answered between them.
      await new Promise((ok) => setImmediate(ok))
      worker.send({ type: 'more' })
      const m = await worker.next('entries')
      for (const e of m.entries) entries.push(e)
      if (m.last) break
    }
    return { entries }
  } finally {
    await worker.close()
  }
}
