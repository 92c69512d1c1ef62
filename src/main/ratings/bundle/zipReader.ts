/**
 * Reads a bundle zip into memory, refusing anything a bundle written by this
 * app would never contain: names that are absolute, climb out with `..`,
 * use backslashes or odd characters (zip-slip), directories, symbolic links,
 * encrypted or unusually compressed entries, too many entries, and entries
 * that inflate past the limits (zip bombs). Sizes are checked on the bytes
 * actually inflated, not only on what the headers claim (the counters
 * every zip reader shares: fs/inflateLimits.ts). Nothing is ever written
 * to disk.
 */
import { readFileSync, statSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { fromBufferPromise, type Entry, type ZipFile } from 'yauzl'
import { UserError } from '../../errors'
import { InflateBudget } from '../../fs/inflateLimits'

export interface ZipLimits {
  maxEntries: number
  maxEntryBytes: number
  maxTotalBytes: number
  /** Of the zip file itself, before it is read. */
  maxFileBytes: number
  /**
   * Inflated bytes per compressed byte (fs/inflateLimits.ts). None by
   * default: a bundle is read into memory, so the byte caps above already
   * bound what a bomb can cost, and its JSON may deflate very well.
   */
  maxRatio?: number
}

const MiB = 1024 * 1024
export const BUNDLE_ZIP_LIMITS: ZipLimits = { maxEntries: 16, maxEntryBytes: 50 * MiB, maxTotalBytes: 50 * MiB, maxFileBytes: 64 * MiB }

/** A reason the zip is refused; the caller names the file. */
class Refused extends Error {}

const S_IFMT = 0o170000
const S_IFLNK = 0o120000
const S_IFDIR = 0o040000
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/

/** The entry's name if it is one a bundle could hold; Refused otherwise. */
export function checkEntryName(raw: Buffer): string {
  const name = raw.toString('utf8')
  const shown = JSON.stringify(name)
  if (name.includes('\\')) throw new Refused(`entry ${shown} uses backslashes in its path`)
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new Refused(`entry ${shown} has an absolute path`)
  if (name.split('/').some((s) => s === '..')) throw new Refused(`entry ${shown} points outside the bundle (..)`)
  if (name.endsWith('/')) throw new Refused(`entry ${shown} is a folder; bundles hold files only`)
  if (!SAFE_NAME.test(name)) throw new Refused(`entry ${shown} has an unexpected name`)
  return name
}

/** Why a bundle may not hold this entry (a link, a folder, encrypted, an unknown compression), or null. */
export function entryProblem(entry: Entry, name: string): string | null {
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT
  if (type === S_IFLNK) return `entry "${name}" is a symbolic link`
  if (type === S_IFDIR) return `entry "${name}" is a folder; bundles hold files only`
  if (entry.isEncrypted()) return `entry "${name}" is encrypted`
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    return `entry "${name}" uses compression method ${entry.compressionMethod}; bundles use deflate`
  return null
}

function checkEntry(entry: Entry, name: string): void {
  const problem = entryProblem(entry, name)
  if (problem !== null) throw new Refused(problem)
}

/** Inflates one entry, counting the bytes that actually come out and stopping at the limits. */
async function inflate(zip: ZipFile, entry: Entry, name: string, budget: InflateBudget): Promise<Buffer> {
  const stream: Readable = await zip.openReadStreamPromise(entry)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const meter = budget.meter(name, entry)
    let stopped = false
    stream.on('data', (chunk: Buffer) => {
      if (stopped) return
      const over = meter.add(chunk.length)
      if (over) {
        stopped = true
        stream.destroy()
        reject(new Refused(over))
      } else chunks.push(chunk)
    })
    stream.on('error', (e: Error) => reject(new Refused(`entry "${name}" cannot be read: ${e.message}`)))
    stream.on('end', () => {
      if (meter.bytes !== entry.uncompressedSize) reject(new Refused(`entry "${name}" is ${meter.bytes} bytes, but its header says ${entry.uncompressedSize}`))
      else resolve(Buffer.concat(chunks))
    })
  })
}

export async function readZip(path: string, limits: ZipLimits = BUNDLE_ZIP_LIMITS): Promise<Map<string, Buffer>> {
  const fail = (why: string): UserError => new UserError('bad_input', `Cannot import ${path}: ${why}.`)
  let size: number
  try {
    const st = statSync(path)
    if (!st.isFile()) throw fail('it is not a file')
    size = st.size
  } catch (e) {
    if (e instanceof UserError) throw e
    throw fail((e as Error).message)
  }
  if (size > limits.maxFileBytes) throw fail(`it is ${size} bytes; a review bundle is at most ${limits.maxFileBytes}`)
  let zip: ZipFile
  try {
    // decodeStrings off: names are checked here, as bytes, with our own messages; sizes likewise.
    zip = await fromBufferPromise(readFileSync(path), { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false })
  } catch (e) {
    throw fail(`it is not a zip file (${(e as Error).message})`)
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw new Refused(`it has ${zip.entryCount} entries; a review bundle has at most ${limits.maxEntries}`)
    const out = new Map<string, Buffer>()
    const budget = new InflateBudget(
      { maxEntryBytes: limits.maxEntryBytes, maxTotalBytes: limits.maxTotalBytes, maxRatio: limits.maxRatio ?? Infinity, ratioGraceBytes: 0 },
      'the bundle'
    )
    for await (const entry of zip.eachEntry()) {
      const name = checkEntryName(entry.fileNameRaw)
      if (out.has(name)) throw new Refused(`entry "${name}" appears twice`)
      checkEntry(entry, name)
      const declared = budget.declared(name, entry)
      if (declared) throw new Refused(declared)
      out.set(name, await inflate(zip, entry, name, budget))
    }
    return out
  } catch (e) {
    if (e instanceof Refused) throw fail(e.message)
    throw fail(`the zip is damaged (${(e as Error).message})`)
  } finally {
    zip.close()
  }
}
