/**
 * dcmtk as the reference decoder: `dcmj2pnm +Fa` writes every frame as a
 * binary PGM/PPM (palette applied, YCbCr converted), which the tests compare
 * with our frames pixel by pixel. dcmtk is a test dependency (Debian `dcmtk`).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'

export function dcmtkTool(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name)
    if (dir && existsSync(p)) return p
  }
  throw new Error(`dcmtk's ${name} is required by the DICOM tests and was not found on PATH (Debian: apt-get install dcmtk).`)
}

export interface Pnm {
  width: number
  height: number
  channels: 1 | 3
  pixels: Buffer
}

export function parsePnm(bytes: Buffer): Pnm {
  // Header: magic, width, height, maxval, each separated by whitespace, then one whitespace byte.
  const fields: string[] = []
  let i = 0
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(bytes[i]!))) i++
    if (bytes[i] === 0x23) {
      while (bytes[i] !== 0x0a) i++
      continue
    }
    let s = ''
    while (!/\s/.test(String.fromCharCode(bytes[i]!))) s += String.fromCharCode(bytes[i++]!)
    fields.push(s)
  }
  i++
  const [magic, w, h, max] = fields
  if ((magic !== 'P5' && magic !== 'P6') || max !== '255') throw new Error(`unexpected PNM header ${fields.join(' ')}`)
  return { width: Number(w), height: Number(h), channels: magic === 'P5' ? 1 : 3, pixels: bytes.subarray(i) }
}

/** Every frame of `file` as dcmtk renders it. */
export function dcmtkFrames(file: string, outDir: string): Pnm[] {
  execFileSync(dcmtkTool('dcmj2pnm'), ['+Fa', '+op', file, join(outDir, 'ref')], { stdio: ['ignore', 'ignore', 'pipe'] })
  const names = readdirSync(outDir)
    .filter((n) => /^ref\.\d+\.p[gp]m$/.test(n))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
  if (names.length === 0) {
    // A single frame is written without a frame number.
    const single = readdirSync(outDir).filter((n) => /^ref(\.p[gp]m)?$/.test(n))
    return single.map((n) => parsePnm(readFileSync(join(outDir, n))))
  }
  return names.map((n) => parsePnm(readFileSync(join(outDir, n))))
}

export interface Diff {
  maxAbs: number
  differing: number
  total: number
}

export function compare(a: Buffer, b: Buffer): Diff {
  if (a.length !== b.length) throw new Error(`frame sizes differ: ${a.length} vs ${b.length} bytes`)
  let maxAbs = 0
  let differing = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!)
    if (d > 0) differing++
    if (d > maxAbs) maxAbs = d
  }
  return { maxAbs, differing, total: a.length }
}
