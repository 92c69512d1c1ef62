/**
 * Writes small DICOM Part 10 files from code, for tests: every synthetic
 * and hostile DICOM of the suite is built here (or derived from the shared
 * samples by code), never checked in as a binary.
 */
import { writeFileSync } from 'node:fs'

export type Vr = 'AE' | 'AS' | 'AT' | 'CS' | 'DA' | 'DS' | 'DT' | 'IS' | 'LO' | 'LT' | 'OB' | 'OW' | 'PN' | 'SH' | 'SQ' | 'ST' | 'TM' | 'UI' | 'UL' | 'US' | 'UT'

export interface El {
  tag: string
  vr: Vr
  value: string | number[] | Buffer | El[][]
}

export const TS = {
  implicit: '1.2.840.10008.1.2',
  explicit: '1.2.840.10008.1.2.1',
  rle: '1.2.840.10008.1.2.5',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpeg2000: '1.2.840.10008.1.2.4.90',
  jpegLs: '1.2.840.10008.1.2.4.80',
  deflate: '1.2.840.10008.1.2.1.99',
  bigEndian: '1.2.840.10008.1.2.2'
} as const

const LONG_VRS = new Set(['OB', 'OW', 'SQ', 'UT', 'UN'])

function tagBytes(tag: string): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt16LE(parseInt(tag.slice(0, 4), 16), 0)
  b.writeUInt16LE(parseInt(tag.slice(4), 16), 2)
  return b
}

function valueBytes(el: El, explicit: boolean): Buffer {
  const v = el.value
  if (el.vr === 'SQ') {
    const items = (v as El[][]).map((item) => {
      const body = Buffer.concat(item.map((e) => encodeElement(e, explicit)))
      const head = Buffer.alloc(8)
      head.writeUInt16LE(0xfffe, 0)
      head.writeUInt16LE(0xe000, 2)
      head.writeUInt32LE(body.length, 4)
      return Buffer.concat([head, body])
    })
    return Buffer.concat(items)
  }
  if (Buffer.isBuffer(v)) return v.length % 2 ? Buffer.concat([v, Buffer.alloc(1)]) : v
  if (Array.isArray(v)) {
    const nums = v as number[]
    const size = el.vr === 'UL' ? 4 : 2
    const b = Buffer.alloc(nums.length * size)
    nums.forEach((n, i) => (size === 4 ? b.writeUInt32LE(n, i * 4) : b.writeUInt16LE(n, i * 2)))
    return b
  }
  const s = Buffer.from(v as string, 'latin1')
  return s.length % 2 ? Buffer.concat([s, Buffer.from(el.vr === 'UI' ? '\0' : ' ')]) : s
}

export function encodeElement(el: El, explicit: boolean): Buffer {
  const value = valueBytes(el, explicit)
  if (!explicit) {
    const len = Buffer.alloc(4)
    len.writeUInt32LE(value.length)
    return Buffer.concat([tagBytes(el.tag), len, value])
  }
  if (LONG_VRS.has(el.vr)) {
    const h = Buffer.alloc(8)
    h.write(el.vr, 0, 'latin1')
    h.writeUInt32LE(value.length, 4)
    return Buffer.concat([tagBytes(el.tag), h, value])
  }
  const h = Buffer.alloc(4)
  h.write(el.vr, 0, 'latin1')
  h.writeUInt16LE(value.length, 2)
  return Buffer.concat([tagBytes(el.tag), h, value])
}

/** Encapsulated pixel data: an empty offset table, then one fragment per frame. */
export function encapsulated(fragments: Buffer[]): Buffer {
  const item = (data: Buffer): Buffer => {
    const h = Buffer.alloc(8)
    h.writeUInt16LE(0xfffe, 0)
    h.writeUInt16LE(0xe000, 2)
    h.writeUInt32LE(data.length, 4)
    return Buffer.concat([h, data])
  }
  const head = Buffer.alloc(12)
  head.writeUInt16LE(0x7fe0, 0)
  head.writeUInt16LE(0x0010, 2)
  head.write('OB', 4, 'latin1')
  head.writeUInt32LE(0xffffffff, 8)
  const end = Buffer.alloc(8)
  end.writeUInt16LE(0xfffe, 0)
  end.writeUInt16LE(0xe0dd, 2)
  return Buffer.concat([head, item(Buffer.alloc(0)), ...fragments.map((f) => item(f.length % 2 ? Buffer.concat([f, Buffer.alloc(1)]) : f)), end])
}

export interface BuildOptions {
  transferSyntax: string
  sopClassUid?: string
  sopInstanceUid?: string
  elements: El[]
  /** Native pixel data (written as OW/OB), or compressed fragments. */
  pixels?: Buffer
  fragments?: Buffer[]
}

export function buildDicom(o: BuildOptions): Buffer {
  const sop = o.sopClassUid ?? '1.2.840.10008.5.1.4.1.1.3.1'
  const inst = o.sopInstanceUid ?? '1.2.826.0.1.3680043.2.1143.99.1'
  const metaBody = Buffer.concat(
    [
      { tag: '00020001', vr: 'OB', value: Buffer.from([0, 1]) },
      { tag: '00020002', vr: 'UI', value: sop },
      { tag: '00020003', vr: 'UI', value: inst },
      { tag: '00020010', vr: 'UI', value: o.transferSyntax },
      { tag: '00020012', vr: 'UI', value: '1.2.826.0.1.3680043.2.1143.99' }
    ].map((e) => encodeElement(e as El, true))
  )
  const meta = Buffer.concat([encodeElement({ tag: '00020000', vr: 'UL', value: [metaBody.length] }, true), metaBody])
  const explicit = o.transferSyntax !== TS.implicit
  const elements = [
    { tag: '00080016', vr: 'UI', value: sop } as El,
    { tag: '00080018', vr: 'UI', value: inst } as El,
    ...o.elements
  ].sort((a, b) => a.tag.localeCompare(b.tag))
  const body = Buffer.concat(elements.map((e) => encodeElement(e, explicit)))
  let pixels: Buffer = Buffer.alloc(0)
  if (o.fragments) pixels = encapsulated(o.fragments)
  else if (o.pixels) pixels = encodeElement({ tag: '7FE00010', vr: 'OW', value: o.pixels }, explicit)
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), meta, body, pixels])
}

export function writeDicom(file: string, o: BuildOptions): string {
  writeFileSync(file, buildDicom(o))
  return file
}

/** Image Pixel module attributes for a native image. */
export function pixelModule(p: { rows: number; columns: number; frames?: number; spp?: number; photometric: string; bits?: 8 | 16; stored?: number; signed?: boolean; planar?: 0 | 1 }): El[] {
  const bits = p.bits ?? 8
  const els: El[] = [
    { tag: '00280002', vr: 'US', value: [p.spp ?? 1] },
    { tag: '00280004', vr: 'CS', value: p.photometric },
    { tag: '00280010', vr: 'US', value: [p.rows] },
    { tag: '00280011', vr: 'US', value: [p.columns] },
    { tag: '00280100', vr: 'US', value: [bits] },
    { tag: '00280101', vr: 'US', value: [p.stored ?? bits] },
    { tag: '00280102', vr: 'US', value: [(p.stored ?? bits) - 1] },
    { tag: '00280103', vr: 'US', value: [p.signed ? 1 : 0] }
  ]
  if ((p.spp ?? 1) === 3) els.push({ tag: '00280006', vr: 'US', value: [p.planar ?? 0] })
  if (p.frames !== undefined) els.push({ tag: '00280008', vr: 'IS', value: String(p.frames) })
  return els
}

/** A deterministic pattern with every byte value present, so conversions are exercised across the range. */
export function pattern(bytes: number, seed = 1): Buffer {
  const b = Buffer.alloc(bytes)
  let x = seed
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    b[i] = (i * 7 + (x >> 16)) & 0xff
  }
  return b
}

/** PackBits encoding of one byte plane (PS3.5 G.3.1), for building RLE files. */
export function packBits(plane: Uint8Array): Buffer {
  const out: number[] = []
  let i = 0
  while (i < plane.length) {
    let run = 1
    while (i + run < plane.length && run < 128 && plane[i + run] === plane[i]) run++
    if (run >= 2) {
      out.push(257 - run, plane[i]!)
      i += run
      continue
    }
    let lit = 1
    while (i + lit < plane.length && lit < 128 && !(i + lit + 1 < plane.length && plane[i + lit] === plane[i + lit + 1])) lit++
    out.push(lit - 1, ...plane.subarray(i, i + lit))
    i += lit
  }
  if (out.length % 2 === 1) out.push(128)
  return Buffer.from(out)
}

/** One RLE frame from byte planes (most significant byte of each sample first). */
export function rleFrame(planes: Uint8Array[]): Buffer {
  const segs = planes.map(packBits)
  const header = Buffer.alloc(64)
  header.writeUInt32LE(segs.length, 0)
  let offset = 64
  segs.forEach((s, i) => {
    header.writeUInt32LE(offset, 4 + 4 * i)
    offset += s.length
  })
  return Buffer.concat([header, ...segs])
}
