/**
 * Reading entries out of a zip (the Butterfly gallery download) without
 * loading it into memory. The gallery comes from outside: entry names are
 * checked when the zip is opened (no absolute paths, `..`, control
 * characters, symbolic links, encrypted or unusually compressed entries),
 * and every extraction is capped per entry, in all and by compression ratio
 * on the bytes actually inflated (fs/inflateLimits.ts), so a small zip
 * cannot fill the disk; what a refused extraction wrote is removed.
 */
import { closeSync, createWriteStream, openSync, rmSync } from 'node:fs'
import { basename } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import yauzl, { type Entry, type ZipFile } from 'yauzl'
import { UserError } from '../errors'
import { unsafeRelativePath } from '../fs/containment'
import { DEFAULT_RATIO, InflateBudget, type InflateLimits } from '../fs/inflateLimits'

export interface ZipReadLimits extends InflateLimits {
  maxEntries: number
}

const MiB = 1024 * 1024
/** Gallery clips are a few MB each; a clip of a GiB, or a gallery of 16, is not one. */
export const GALLERY_ZIP_LIMITS: ZipReadLimits = { maxEntries: 20_000, maxEntryBytes: 1024 * MiB, maxTotalBytes: 16 * 1024 * MiB, ...DEFAULT_RATIO }

export interface ZipItem {
  /** The checked name, forward slashes. */
  name: string
  entry: Entry
  /** A folder entry (name ending in "/"). */
  folder: boolean
}

export interface OpenZip {
  zip: ZipFile
  entries: ZipItem[]
  /** Counts every extraction from this zip against its limits. */
  budget: InflateBudget
  /** The zip's file name, for messages. */
  file: string
}

const S_IFMT = 0o170000
const S_IFLNK = 0o120000

/** The whole zip refused when it is opened, before anything is extracted. */
function refused(file: string, why: string): UserError {
  return new UserError('bad_input', `${file} was refused: ${why}. Nothing was extracted from it; download the gallery again from its source.`)
}

/** One extraction refused: what it had written is gone. */
function entryRefused(file: string, why: string): UserError {
  return new UserError('bad_input', `${file}: ${why}. That clip was not extracted (what had been written of it is removed); download the gallery again from its source.`)
}

function checkedItem(file: string, entry: Entry): ZipItem {
  // Names decoded here (decodeStrings off) so that a bad one gets our message, not "the zip is damaged".
  const raw = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false)
  const folder = raw.endsWith('/')
  const name = folder ? raw.slice(0, -1) : raw
  const shown = JSON.stringify(raw)
  const why = unsafeRelativePath(name)
  if (why) throw refused(file, `entry ${shown} ${why}`)
  if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw refused(file, `entry ${shown} is a symbolic link`)
  if (entry.isEncrypted()) throw refused(file, `entry ${shown} is encrypted`)
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw refused(file, `entry ${shown} uses compression method ${entry.compressionMethod}`)
  return { name: raw, entry, folder }
}

export async function openZip(path: string, limits: ZipReadLimits = GALLERY_ZIP_LIMITS): Promise<OpenZip> {
  const file = basename(path)
  let zip: ZipFile
  try {
    // lazyEntries: entries are read on demand, one at a time; sizes are counted in extractEntry, with our messages.
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false })
  } catch (e) {
    throw new UserError('bad_input', `${file} is not a readable zip archive: ${(e as Error).message}`)
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw refused(file, `it has ${zip.entryCount} entries; a gallery has at most ${limits.maxEntries}`)
    const entries: ZipItem[] = []
    try {
      for await (const entry of zip.eachEntry()) entries.push(checkedItem(file, entry))
    } catch (e) {
      if (e instanceof UserError) throw e
      throw new UserError('bad_input', `${file} is damaged: ${(e as Error).message}`)
    }
    return { zip, entries, budget: new InflateBudget(limits, 'the zip'), file }
  } catch (e) {
    zip.close()
    throw e
  }
}

/**
 * Streams one entry to `dest` (created, never overwritten), counting the
 * inflated bytes against the limits; on any failure `dest` is removed.
 */
export async function extractEntry(z: OpenZip, item: ZipItem, dest: string): Promise<void> {
  const { entry, name } = item
  const before = z.budget.declared(name, entry)
  if (before) throw entryRefused(z.file, before)
  const meter = z.budget.meter(name, entry)
  const stop: { why: string | null } = { why: null }
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      stop.why = meter.add(chunk.length)
      // Stopping here ends the inflater too: no more than one chunk past the cap reaches the disk.
      if (stop.why) return done(new Error(stop.why))
      done(null, chunk)
    }
  })
  // Created here, exclusively: a file already at `dest` (or a link) is an error and stays as it was; only what this call made is removed.
  const fd = openSync(dest, 'wx')
  let fdOwned = true
  try {
    const source = await z.zip.openReadStreamPromise(entry)
    // From here the write stream closes the descriptor, however the pipeline ends.
    fdOwned = false
    await pipeline(source, counter, createWriteStream(dest, { fd }))
    if (meter.bytes !== entry.uncompressedSize) throw entryRefused(z.file, `entry "${name}" is ${meter.bytes} bytes, but its header says ${entry.uncompressedSize}`)
  } catch (e) {
    if (fdOwned) closeSync(fd)
    rmSync(dest, { force: true })
    if (stop.why) throw entryRefused(z.file, stop.why)
    if (e instanceof UserError) throw e
    const err = e as NodeJS.ErrnoException
    // A full disk or a read-only folder is this machine's problem, not the zip's.
    if (err.syscall !== undefined) throw err
    throw new UserError('bad_input', `${z.file}: entry "${name}" is damaged (${err.message}); nothing was extracted from it.`)
  }
}
