/**
 * A second "machine" for the blinded-review specs: its own serve instance
 * over its own copy of the imported dataset's catalog.
 */
import { copyFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { makeTempDir, startServe, type ServeInstance } from './serveProcess'

export interface Machine {
  server: ServeInstance
  /** A scratch folder for bundles, removed with the machine. */
  dir: string
  stop: () => Promise<void>
}

export async function startMachine(templateCatalog: string): Promise<Machine> {
  const temp = await makeTempDir()
  const target = path.join(temp.dir, 'catalog.db')
  await copyFile(templateCatalog, target)
  for (const suffix of ['-wal', '-shm']) {
    const exists = await stat(templateCatalog + suffix).then(
      () => true,
      () => false
    )
    if (exists) await copyFile(templateCatalog + suffix, target + suffix)
  }
  const server = await startServe(target)
  return {
    server,
    dir: temp.dir,
    stop: async () => {
      await server.stop()
      await temp.remove()
    }
  }
}
