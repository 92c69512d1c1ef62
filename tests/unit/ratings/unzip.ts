/** Unpacks a zip with yauzl, as a reader's machine would, keeping each entry's header facts for the tests. */
import { createWriteStream, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import yauzl from 'yauzl'

export interface UnzippedEntry {
  name: string
  compressionMethod: number
  uncompressedSize: number
  /** Where it was written. */
  path: string
}

export async function unzipTo(zipPath: string, toDir: string): Promise<UnzippedEntry[]> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false })
  const out: UnzippedEntry[] = []
  try {
    for await (const entry of zip.eachEntry()) {
      const path = join(toDir, entry.fileName)
      mkdirSync(dirname(path), { recursive: true })
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(path))
      out.push({ name: entry.fileName, compressionMethod: entry.compressionMethod, uncompressedSize: entry.uncompressedSize, path })
    }
  } finally {
    zip.close()
  }
  return out
}
