/**
 * Identifying values as keyed digests, and text scanned against them. The
 * catalog keeps only HMACs of the patient names, IDs, birth dates and
 * addresses a de-identification removed; the PHI scan digests every run of
 * words in a bundle the same way and looks them up. Matching works on
 * normalized words (case, accents and punctuation ignored), so "DOE^JOHN",
 * "John Doe" and "doe, john" are the same name.
 */
import { hmacHex, type DeidKeys } from './keys'

export type PhiKind = 'patient name' | 'patient ID' | 'birth date' | 'address' | 'telephone' | 'institution' | 'staff name' | 'accession number' | 'other identifier'

export interface PhiDigest {
  kind: PhiKind
  digest: string
}

/** Longest word sequence registered and scanned for. */
export const MAX_PHRASE_WORDS = 8

/** Values that name no one: not registered, or every bundle mentioning "anonymized" would be blocked. */
const PLACEHOLDERS = new Set(['anonymized', 'anonymised', 'anonymous', 'anon', 'unknown', 'none', 'na', 'n a', 'removed', 'deidentified', 'de identified', 'patient', 'no name', 'noname'])

export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
}

/** The word sequences that identify the value, by kind. */
export function phrasesOf(kind: PhiKind, value: string): string[][] {
  const all = words(value)
  if (all.length === 0 || PLACEHOLDERS.has(all.join(' '))) return []
  const out: string[][] = [all.slice(0, MAX_PHRASE_WORDS)]
  if (kind === 'patient name' || kind === 'staff name') {
    // "Family^Given" is written "Given Family" in prose; single name parts of 4+ letters count too.
    out.push([...all].reverse().slice(0, MAX_PHRASE_WORDS))
    for (const w of all) if (w.length >= 4 && !PLACEHOLDERS.has(w)) out.push([w])
  } else if (kind === 'patient ID' || kind === 'accession number' || kind === 'other identifier') {
    if (all.length > 1) out.push([all.join('')])
  } else if (kind === 'birth date') {
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(all.join(''))
    if (m) {
      const [, y, mo, d] = m as unknown as [string, string, string, string]
      out.push([y, mo, d], [d, mo, y], [d, mo, y.slice(2)], [mo, d, y], [`${y}${mo}${d}`], [`${d}${mo}${y}`])
    }
  }
  return out
}

const phraseKey = (phrase: readonly string[]): string => phrase.join(' ')

export function digestPhrase(keys: DeidKeys, phrase: readonly string[]): string {
  return hmacHex(keys, 'phi', phraseKey(phrase)).slice(0, 32)
}

export function phiDigests(keys: DeidKeys, kind: PhiKind, value: string): PhiDigest[] {
  return phrasesOf(kind, value).map((p) => ({ kind, digest: digestPhrase(keys, p) }))
}

export interface PhiHit {
  kind: PhiKind
  /** Index of the first matching word in the text's word list. */
  wordIndex: number
  /** How many words matched, and their letters: short single-word hits are weak evidence in binary data. */
  words: number
  chars: number
}

/** Looks up every run of up to MAX_PHRASE_WORDS words of a text among known digests. */
export class PhiMatcher {
  private readonly byDigest: Map<string, PhiKind>

  constructor(
    private readonly keys: DeidKeys,
    digests: Iterable<PhiDigest>
  ) {
    this.byDigest = new Map([...digests].map((d) => [d.digest, d.kind]))
  }

  get size(): number {
    return this.byDigest.size
  }

  /** The first match; `accept` can reject weak ones (and the search goes on). */
  find(text: string, accept: (hit: PhiHit) => boolean = () => true): PhiHit | null {
    if (this.byDigest.size === 0) return null
    const w = words(text)
    for (let i = 0; i < w.length; i++) {
      for (let n = 1; n <= MAX_PHRASE_WORDS && i + n <= w.length; n++) {
        const phrase = w.slice(i, i + n)
        const kind = this.byDigest.get(digestPhrase(this.keys, phrase))
        if (!kind) continue
        const hit = { kind, wordIndex: i, words: n, chars: phrase.reduce((a, p) => a + p.length, 0) }
        if (accept(hit)) return hit
      }
    }
    return null
  }
}
