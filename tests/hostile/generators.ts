/**
 * Generators for hostile inputs: every malformed file of the corpus is made
 * here by code, so the corpus documents how each was built.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { deflateSync } from 'node:zlib'
import { ZipFile } from 'yazl'
import { ffmpegPath } from '../../src/main/media/ffmpegPaths'
import { csvText, makeClip, row, type Row } from '../helpers/fixtures'

export const goodRows = (): Row[] => [row('clip-a'), row('clip-b', { Label: 'regular' })]

export function writeFile(file: string, data: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, data)
}

/** A real clip cut to a fraction of its bytes. */
export function truncatedMp4(file: string, fraction = 0.4): void {
  makeClip(file, { frames: 30 })
  const size = readFileSync(file).length
  truncateSync(file, Math.floor(size * fraction))
}

/** A real PNG image (one frame), to be saved under a video extension. */
export function pngImage(file: string): void {
  mkdirSync(dirname(file), { recursive: true })
  execFileSync(ffmpegPath()!, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', file])
}

function crc32(buf: Buffer): number {
  let c = ~0
  for (const byte of buf) {
    c ^= byte
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/**
 * A valid-looking PNG that claims huge dimensions: a few hundred bytes that
 * would need gigabytes once decoded.
 */
export function hugePng(file: string, side = 60_000): void {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(side, 0)
  ihdr.writeUInt32BE(side, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // greyscale
  writeFile(
    file,
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', deflateSync(Buffer.alloc(side + 1))),
      pngChunk('IEND', Buffer.alloc(0))
    ])
  )
}

export function csvWith(rows: Row[], options?: { delimiter?: string; finalNewline?: boolean }): string {
  return csvText(rows, options)
}

// --- DICOM -----------------------------------------------------------------
// Synthetic files come from tests/unit/dicom/dicomBuilder.ts; damaged real
// ones are made here from the shared samples (../shared/dicom, read by path
// and never copied into the repository).

/** A copy of `sample` at `file`, optionally altered byte-wise. */
export function alteredCopy(sample: string, file: string, alter?: (b: Buffer) => Buffer): string {
  mkdirSync(dirname(file), { recursive: true })
  copyFileSync(sample, file)
  if (alter) writeFileSync(file, alter(readFileSync(file)))
  return file
}

/** A copy of `sample` cut to its first `keep` bytes (a number, or a function of the size). */
export function truncatedCopy(sample: string, file: string, keep: (size: number) => number): string {
  alteredCopy(sample, file)
  truncateSync(file, Math.floor(keep(readFileSync(file).length)))
  return file
}

/** Offset of an explicit-VR element's header (after the 128-byte preamble), found by its tag bytes and VR. */
export function elementOffset(b: Buffer, group: number, element: number, vr: string): number {
  const needle = Buffer.alloc(6)
  needle.writeUInt16LE(group, 0)
  needle.writeUInt16LE(element, 2)
  needle.write(vr, 4, 'latin1')
  const at = b.indexOf(needle, 132)
  if (at < 0) throw new Error('element not found')
  return at
}

/** An explicit-VR element's 16-bit length field set to `length`, whatever the value holds. */
export function withElementLength(b: Buffer, group: number, element: number, vr: string, length: number): Buffer {
  b.writeUInt16LE(length, elementOffset(b, group, element, vr) + 6)
  return b
}

/** A sparse file of `bytes` zeros: as large as it claims, but taking no disk space. */
export function sparseFile(file: string, bytes: number): string {
  writeFile(file, '')
  truncateSync(file, bytes)
  return file
}

// --- Zips (review bundles) -----------------------------------------------------

export interface ZipEntrySpec {
  name: string
  bytes: Buffer
  /** Unix mode, e.g. 0o120777 for a symbolic link. */
  mode?: number
  /** false: stored, not deflated. */
  compress?: boolean
}

/** A zip of `entries` (and empty `dirs`), built by yazl as any zip tool would. */
export function zipWith(entries: ZipEntrySpec[], dirs: string[] = []): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile()
    const chunks: Buffer[] = []
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c))
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)))
    zip.outputStream.on('error', reject)
    for (const e of entries) {
      const options: { mode?: number; compress?: boolean } = {}
      if (e.mode !== undefined) options.mode = e.mode
      if (e.compress !== undefined) options.compress = e.compress
      zip.addBuffer(e.bytes, e.name, options)
    }
    for (const d of dirs) zip.addEmptyDirectory(d)
    zip.end()
  })
}

/**
 * `zip` with every occurrence of the entry name `placeholder` swapped for
 * `unsafe` (same length), in the local headers and the central directory:
 * yazl refuses to write unsafe names itself.
 */
export function renameEntry(zip: Buffer, placeholder: string, unsafe: string): Buffer {
  if (unsafe.length !== placeholder.length) throw new Error('the names must have the same length')
  const text = zip.toString('latin1')
  if (text.split(placeholder).length !== 3) throw new Error(`"${placeholder}" must occur exactly twice (local header, central directory)`)
  return Buffer.from(text.split(placeholder).join(unsafe), 'latin1')
}

const CENTRAL_FIELDS = {
  /** General purpose bit flag; bit 0: encrypted. */
  flags: { at: 8, bytes: 2 },
  /** 0 stored, 8 deflate, 12 bzip2, … */
  method: { at: 10, bytes: 2 },
  uncompressedSize: { at: 24, bytes: 4 }
} as const

/** Rewrites a field of an entry's central directory header, which is what readers trust. */
export function patchCentral(zip: Buffer, name: string, field: keyof typeof CENTRAL_FIELDS, value: number): Buffer {
  const out = Buffer.from(zip)
  const { at, bytes } = CENTRAL_FIELDS[field]
  for (let i = 0; i + 46 <= out.length; i++) {
    if (out.readUInt32LE(i) !== 0x02014b50) continue
    const nameLength = out.readUInt16LE(i + 28)
    if (out.subarray(i + 46, i + 46 + nameLength).toString() === name) {
      if (bytes === 2) out.writeUInt16LE(value, i + at)
      else out.writeUInt32LE(value, i + at)
      return out
    }
  }
  throw new Error(`no central directory entry ${name}`)
}
