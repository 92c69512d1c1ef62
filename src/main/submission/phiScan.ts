/**
 * The last check before a bundle is written: everything in it is scanned,
 * and any finding blocks the export.
 *
 * - Media: a DICOM header (the "DICM" marker at byte 128, or a "DICM"
 *   followed by a file-meta group tag anywhere) — media are re-encoded, so
 *   there must be none — and every printable string in the bytes.
 * - File names, CSV cells and the text files (summary, crop.json, the
 *   de-identification summaries).
 * Strings are matched against the identifying values removed by every
 * de-identification of this catalog (patient names and IDs, birth dates,
 * addresses, staff and institution names), which the catalog holds only as
 * keyed digests (phiTokens.ts). Burned-in text in the pixels cannot be read
 * this way: cropping and masks are the tools for it (docs/submission.md).
 */
import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { parse } from 'csv-parse/sync'
import { CSV_COLUMNS } from '../../shared/vocabulary'
import type { CatalogDb } from '../catalog/database'
import type { DeidKeys } from '../deid/keys'
import { PhiMatcher, type PhiDigest } from '../deid/phiTokens'
import { UserError } from '../errors'

export interface PhiFinding {
  file: string
  where: string
  what: string
}

/** Every digest of this catalog's de-identification records; refuses records made with another secret. */
export function catalogPhiMatcher(db: CatalogDb, keys: DeidKeys): PhiMatcher {
  const rows = db.prepare<[], { phi_digests: string; secret_fingerprint: string }>('SELECT phi_digests, secret_fingerprint FROM deid_records').all()
  const foreign = rows.filter((r) => r.secret_fingerprint !== keys.fingerprint).length
  if (foreign > 0)
    throw new UserError(
      'conflict',
      `${foreign} de-identification record(s) of this catalog were made with another installation's secret, so the PHI scan cannot check for their patients' names and IDs. Copy that installation's deid-secret.key into this user-data folder, or bundle on the machine that imported them.`
    )
  return new PhiMatcher(keys, rows.flatMap((r) => JSON.parse(r.phi_digests) as PhiDigest[]))
}

const DICM = Buffer.from('DICM', 'latin1')

/** A DICOM Part 10 header: the marker at 128, or "DICM" followed by a (0002,xxxx) tag anywhere. */
export function findDicomHeader(bytes: Buffer): string | null {
  if (bytes.length >= 132 && bytes.subarray(128, 132).equals(DICM)) return 'a DICOM file header ("DICM" at byte 128)'
  let i = bytes.indexOf(DICM)
  while (i >= 0) {
    if (bytes[i + 4] === 0x02 && bytes[i + 5] === 0x00) return `a DICOM file-meta header ("DICM" and group 0002 at byte ${i})`
    i = bytes.indexOf(DICM, i + 1)
  }
  return null
}

/** Printable runs of 4+ characters, as `strings` finds them: container tags, comments, encoder notes. */
export function printableStrings(bytes: Buffer, min = 4): string[] {
  const out: string[] = []
  let start = -1
  for (let i = 0; i <= bytes.length; i++) {
    const b = i < bytes.length ? bytes[i]! : 0
    const printable = b >= 0x20 && b < 0x7f
    if (printable && start < 0) start = i
    else if (!printable && start >= 0) {
      if (i - start >= min) out.push(bytes.toString('latin1', start, i))
      start = -1
    }
  }
  return out
}

const TEXT_EXTENSIONS = new Set(['.csv', '.json', '.md', '.txt'])

/**
 * The parts of a media file that can hold text: everything but the coded
 * pixels (MP4 `mdat` boxes, PNG `IDAT` chunks), which are only noise to a
 * string search and most of the bytes. Unknown or malformed files are
 * searched whole.
 */
export function textRegions(bytes: Buffer, ext: string): Buffer[] {
  const out: Buffer[] = []
  if (ext === '.mp4' || ext === '.mov' || ext === '.m4v') {
    let pos = 0
    while (pos + 8 <= bytes.length) {
      let size = bytes.readUInt32BE(pos)
      const type = bytes.toString('latin1', pos + 4, pos + 8)
      let header = 8
      if (size === 1 && pos + 16 <= bytes.length) {
        size = Number(bytes.readBigUInt64BE(pos + 8))
        header = 16
      } else if (size === 0) size = bytes.length - pos
      if (size < header || pos + size > bytes.length) return [bytes]
      if (type !== 'mdat') out.push(bytes.subarray(pos, pos + size))
      else out.push(bytes.subarray(pos, pos + header))
      pos += size
    }
    return pos === bytes.length ? out : [bytes]
  }
  if (ext === '.png' && bytes.length >= 8) {
    out.push(bytes.subarray(0, 8))
    let pos = 8
    while (pos + 12 <= bytes.length) {
      const len = bytes.readUInt32BE(pos)
      const type = bytes.toString('latin1', pos + 4, pos + 8)
      if (pos + 12 + len > bytes.length) return [bytes]
      out.push(type === 'IDAT' ? bytes.subarray(pos, pos + 8) : bytes.subarray(pos, pos + 12 + len))
      pos += 12 + len
    }
    return pos === bytes.length ? out : [bytes]
  }
  return [bytes]
}

/** Scans one file of the bundle; `path` is its path inside the bundle. */
export function scanFile(path: string, abs: string, matcher: PhiMatcher): PhiFinding[] {
  const findings: PhiFinding[] = []
  const nameHit = matcher.find(path)
  if (nameHit) findings.push({ file: path, where: 'file name', what: `a ${nameHit.kind} from a de-identified DICOM` })
  const bytes = readFileSync(abs)
  const dicom = findDicomHeader(bytes)
  if (dicom) findings.push({ file: path, where: 'bytes', what: dicom })
  const ext = extname(path).toLowerCase()
  if (ext === '.csv') {
    const rows = parse(bytes, { relax_column_count: true, bom: true }) as string[][]
    rows.forEach((cells, r) =>
      cells.forEach((cell, c) => {
        const hit = matcher.find(cell)
        if (hit) findings.push({ file: path, where: r === 0 ? `header, column ${c + 1}` : `row ${r}, column "${CSV_COLUMNS[c] ?? c + 1}"`, what: `a ${hit.kind} from a de-identified DICOM` })
      })
    )
  } else if (TEXT_EXTENSIONS.has(ext)) {
    bytes
      .toString('utf8')
      .split(/\r?\n/)
      .forEach((line, i) => {
        const hit = matcher.find(line)
        if (hit) findings.push({ file: path, where: `line ${i + 1}`, what: `a ${hit.kind} from a de-identified DICOM` })
      })
  } else {
    // Compressed data is full of short printable runs by chance: look at runs of 6+ characters, and count
    // a hit only for several words or a long single one (a 4-letter name part turns up in ~20 MB of noise).
    const strings = textRegions(bytes, ext).flatMap((r) => printableStrings(r, 6))
    for (const s of strings) {
      const hit = matcher.find(s, (h) => h.words >= 2 || h.chars >= 6)
      if (hit) {
        findings.push({ file: path, where: 'text inside the media file', what: `a ${hit.kind} from a de-identified DICOM` })
        break
      }
    }
  }
  return findings
}
