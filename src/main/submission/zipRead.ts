/** Reading entries out of a zip (the Butterfly gallery download) without loading it into memory. */
import { createWriteStream } from 'node:fs'
import { basename } from 'node:path'
import { pipeline } from 'node:stream/promises'
import yauzl, { type Entry, type ZipFile } from 'yauzl'
import { UserError } from '../errors'

export interface OpenZip {
  zip: ZipFile
  entries: Entry[]
}

export async function openZip(path: string): Promise<OpenZip> {
  let zip: ZipFile
  try {
    // lazyEntries: entries are read on demand, one at a time.
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true })
  } catch (e) {
    throw new UserError('bad_input', `${basename(path)} is not a readable zip archive: ${(e as Error).message}`)
  }
  const entries: Entry[] = []
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      entries.push(entry)
      zip.readEntry()
    })
    zip.on('end', () => resolve())
    zip.on('error', (e: Error) => reject(new UserError('bad_input', `${basename(path)} is damaged: ${e.message}`)))
    zip.readEntry()
  })
  return { zip, entries }
}

/** Streams one entry to `dest`; the size is checked against the central directory as it goes. */
export async function extractEntry(z: OpenZip, entry: Entry, dest: string): Promise<void> {
  const stream = await z.zip.openReadStreamPromise(entry)
  await pipeline(stream, createWriteStream(dest))
}
