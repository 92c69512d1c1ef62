/**
 * Generators for hostile inputs: every malformed file of the corpus is made
 * here by code, so the corpus documents how each was built.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { deflateSync } from 'node:zlib'
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
