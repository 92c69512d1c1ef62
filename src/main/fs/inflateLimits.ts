/**
 * Caps on what a zip may inflate to, shared by every zip reader: per entry,
 * over the whole archive, and the ratio of inflated to compressed bytes,
 * which gives a zip bomb away long before the byte caps are reached. Each
 * is checked twice: on what the central directory declares (before a byte
 * is written) and on the bytes that actually come out of the inflater
 * (headers can lie). The messages are phrases; each reader wraps them in
 * its own error, naming the file.
 */

export interface InflateLimits {
  /** Inflated bytes of one entry. */
  maxEntryBytes: number
  /** Inflated bytes of every entry read, together. */
  maxTotalBytes: number
  /** Inflated bytes per compressed byte; Infinity for none. */
  maxRatio: number
  /** An entry may inflate this much whatever its ratio: small text files deflate far better than media. */
  ratioGraceBytes: number
}

/** The part of a yauzl Entry the checks read. */
export interface SizedEntry {
  compressedSize: number
  uncompressedSize: number
}

const MiB = 1024 * 1024
export const DEFAULT_RATIO = { maxRatio: 100, ratioGraceBytes: MiB } as const

/** The counters of one archive: an entry's meter counts into the archive's total. */
export class InflateBudget {
  private total = 0

  constructor(
    readonly limits: InflateLimits,
    /** How the messages name the archive: "the bundle", "the zip". */
    private readonly archive = 'the zip'
  ) {}

  /** Inflated bytes so far, over every entry. */
  get inflated(): number {
    return this.total
  }

  /** What the central directory declares, checked before reading: the reason to refuse, or null. */
  declared(name: string, entry: SizedEntry, maxBytes = this.limits.maxEntryBytes): string | null {
    if (entry.uncompressedSize > maxBytes) return `entry "${name}" is ${entry.uncompressedSize} bytes uncompressed; the limit is ${maxBytes}`
    if (entry.uncompressedSize > this.ratioAllowance(entry))
      return `entry "${name}" would inflate from ${entry.compressedSize} to ${entry.uncompressedSize} bytes, more than ${this.limits.maxRatio} times (a zip bomb)`
    return null
  }

  /**
   * A counter for one entry's inflated bytes: `add` returns the reason to
   * stop (and then the caller must stop reading and remove what it wrote),
   * or null. `maxBytes` can be lower than the entry cap (a size promised elsewhere).
   */
  meter(name: string, entry: SizedEntry, maxBytes = this.limits.maxEntryBytes): { readonly bytes: number; add(chunk: number): string | null } {
    let n = 0
    const ratioCap = this.ratioAllowance(entry)
    return {
      get bytes() {
        return n
      },
      add: (chunk: number): string | null => {
        n += chunk
        this.total += chunk
        if (n > entry.uncompressedSize) return `entry "${name}" inflates to more than the ${entry.uncompressedSize} bytes its header claims`
        if (n > maxBytes) return `entry "${name}" inflates past ${maxBytes} bytes`
        if (n > ratioCap) return `entry "${name}" inflates to more than ${this.limits.maxRatio} times its ${entry.compressedSize} compressed bytes (a zip bomb)`
        if (this.total > this.limits.maxTotalBytes) return `${this.archive} inflates past ${this.limits.maxTotalBytes} bytes in all`
        return null
      }
    }
  }

  private ratioAllowance(entry: SizedEntry): number {
    // Infinity × 0 (an empty entry) is NaN, which every comparison would let through silently: no ratio is said outright.
    if (this.limits.maxRatio === Infinity) return Infinity
    return Math.max(this.limits.ratioGraceBytes, entry.compressedSize * this.limits.maxRatio)
  }
}
