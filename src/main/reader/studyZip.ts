/**
 * Reading a reader bundle (a zip of up to many hundreds of MB) without ever
 * holding it in memory: the central directory is listed and checked first,
 * then study.json is read (capped), then each clip is streamed to disk under
 * a temporary name while its bytes are counted and hashed, and renamed into
 * place only once its size and SHA-256 match the manifest.
 *
 * Refused (as BundleRefused; the caller names the file): entry names a
 * bundle never holds (absolute, `..`, backslashes, odd characters: the
 * catalog's bundle reader's checkEntryName), folders, symbolic links,
 * encrypted or unusually compressed entries, duplicate names, too many
 * entries, and entries that inflate past the limits (per entry, in all,
 * and by compression ratio: the clips are stored, so a clip that inflates
 * a hundredfold is a zip bomb), counted on the bytes that actually come out
 * rather than on what the headers claim (fs/inflateLimits.ts).
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { Transform, Writable, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import yauzl, { type Entry, type ZipFile } from 'yauzl'
import { produceFileAtomic } from '../fs/atomicWrite'
import { DEFAULT_RATIO, InflateBudget } from '../fs/inflateLimits'
import { checkEntryName, entryProblem } from '../ratings/bundle/zipReader'
import { BundleRefused } from './bundleRefused'

export interface StudyZipLimits {
  maxEntries: number
  /** Of study.json, which is read into memory. */
  maxManifestBytes: number
  /** Of one clip, inflated. */
  maxClipBytes: number
  /** Of every entry together, inflated. */
  maxTotalBytes: number
  /** Inflated bytes per compressed byte, past `ratioGraceBytes` of an entry (fs/inflateLimits.ts); DEFAULT_RATIO when not given. */
  maxRatio?: number
  ratioGraceBytes?: number
}

const MiB = 1024 * 1024
/** Generous for ultrasound clips (a few MB each), small enough that a zip bomb stops early. */
export const STUDY_ZIP_LIMITS: StudyZipLimits = {
  maxEntries: 20_001,
  maxManifestBytes: 64 * MiB,
  maxClipBytes: 1024 * MiB,
  maxTotalBytes: 32 * 1024 * MiB,
  ...DEFAULT_RATIO
}

export interface ExpectedContent {
  bytes: number
  sha256: string
}

/** One counter for every entry read from one study zip. */
function budgetOf(limits: StudyZipLimits): InflateBudget {
  return new InflateBudget(
    {
      maxEntryBytes: Math.max(limits.maxManifestBytes, limits.maxClipBytes),
      maxTotalBytes: limits.maxTotalBytes,
      maxRatio: limits.maxRatio ?? DEFAULT_RATIO.maxRatio,
      ratioGraceBytes: limits.ratioGraceBytes ?? DEFAULT_RATIO.ratioGraceBytes
    },
    'the bundle'
  )
}

export class StudyZip {
  private constructor(
    private readonly zip: ZipFile,
    /** Every entry, by its checked name. */
    readonly entries: ReadonlyMap<string, Entry>,
    private readonly limits: StudyZipLimits,
    private readonly budget: InflateBudget
  ) {}

  static async open(path: string, limits: StudyZipLimits = STUDY_ZIP_LIMITS): Promise<StudyZip> {
    let zip: ZipFile
    try {
      // decodeStrings and size validation off: names are checked here as bytes and sizes counted here, with our own messages.
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false })
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOENT') throw new BundleRefused('the file does not exist')
      if (code === 'EISDIR') throw new BundleRefused('it is a folder, not a zip file')
      throw new BundleRefused(`it is not a zip file, or it is damaged (${(e as Error).message})`)
    }
    try {
      if (zip.entryCount > limits.maxEntries)
        throw new BundleRefused(`it has ${zip.entryCount} entries; a reader study has at most ${limits.maxEntries}`)
      const entries = new Map<string, Entry>()
      const budget = budgetOf(limits)
      for await (const entry of zip.eachEntry()) {
        let name: string
        try {
          name = checkEntryName(entry.fileNameRaw)
        } catch (e) {
          throw new BundleRefused((e as Error).message)
        }
        if (entries.has(name)) throw new BundleRefused(`entry "${name}" appears twice`)
        checkEntry(entry, name)
        const declared = budget.declared(name, entry)
        if (declared) throw new BundleRefused(declared)
        entries.set(name, entry)
      }
      return new StudyZip(zip, entries, limits, budget)
    } catch (e) {
      zip.close()
      if (e instanceof BundleRefused) throw e
      throw new BundleRefused(`the zip is damaged (${(e as Error).message})`)
    }
  }

  /** A small entry (the manifest) in memory, stopping at `max` bytes. */
  async read(name: string, max: number): Promise<Buffer> {
    const entry = this.entry(name)
    const chunks: Buffer[] = []
    const meter = this.budget.meter(name, entry, max)
    const collect = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        const over = meter.add(chunk.length)
        if (over) return done(new BundleRefused(over))
        chunks.push(chunk)
        done()
      }
    })
    await this.pump(name, entry, (source) => pipeline(source, collect))
    if (meter.bytes !== entry.uncompressedSize) throw new BundleRefused(`entry "${name}" is ${meter.bytes} bytes, but its header says ${entry.uncompressedSize}`)
    return Buffer.concat(chunks)
  }

  /**
   * Streams an entry to `dest` through `dest.partial`, counting and hashing
   * as it goes; renamed into place only when size and SHA-256 are as expected.
   * Whatever fails, no partial file is left behind.
   */
  async extractVerified(name: string, dest: string, expected: ExpectedContent): Promise<void> {
    const entry = this.entry(name)
    if (entry.uncompressedSize !== expected.bytes)
      throw new BundleRefused(`entry "${name}" is ${entry.uncompressedSize} bytes, but study.json says ${expected.bytes}`)
    const hash = createHash('sha256')
    const meter = this.budget.meter(name, entry, Math.min(expected.bytes, this.limits.maxClipBytes))
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        const over = meter.add(chunk.length)
        if (over) return done(new BundleRefused(over))
        hash.update(chunk)
        done(null, chunk)
      }
    })
    await produceFileAtomic(
      dest,
      async (partial) => {
        // 'wx': anything at the temporary name (a link included) is an error, never written through.
        await this.pump(name, entry, (source) => pipeline(source, counter, createWriteStream(partial, { flags: 'wx' })))
        if (meter.bytes !== expected.bytes) throw new BundleRefused(`entry "${name}" is ${meter.bytes} bytes, but study.json says ${expected.bytes}`)
        if (hash.digest('hex') !== expected.sha256)
          throw new BundleRefused(`entry "${name}" does not match its SHA-256 in study.json: the bundle was changed or damaged after it was made`)
      },
      `${dest}.partial`
    )
  }

  close(): void {
    this.zip.close()
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name)
    if (!entry) throw new BundleRefused(`it has no ${name}`)
    return entry
  }

  private async pump(name: string, entry: Entry, run: (source: Readable) => Promise<void>): Promise<void> {
    let source: Readable
    try {
      source = await this.zip.openReadStreamPromise(entry)
    } catch (e) {
      throw new BundleRefused(`entry "${name}" cannot be read: ${(e as Error).message}`)
    }
    try {
      await run(source)
    } catch (e) {
      if (e instanceof BundleRefused) throw e
      const err = e as NodeJS.ErrnoException
      // A full disk or a read-only folder is this machine's problem, not the bundle's.
      if (err.syscall !== undefined) throw err
      throw new BundleRefused(`entry "${name}" is damaged (${err.message})`)
    }
  }
}

function checkEntry(entry: Entry, name: string): void {
  const problem = entryProblem(entry, name)
  if (problem !== null) throw new BundleRefused(problem)
}
