/**
 * Hostile DICOM files: synthetic ones written by the DICOM builder
 * (tests/unit/dicom/dicomBuilder.ts), damaged real ones derived by code from
 * the shared samples (read from ../shared/dicom, never copied into the
 * repository). Each must be refused by the DICOM import with its message,
 * leaving the catalog and the contributions folder as they were
 * (dicom.test.ts runs them).
 */
import { join } from 'node:path'
import { expect } from 'vitest'
import { dicomInfo } from '../../src/main/dicom/dicomInfo'
import { decodeDicom } from '../../src/main/dicom/decode'
import { MAX_DICOM_BYTES, readDicomFile } from '../../src/main/dicom/readDicom'
import { UserError } from '../../src/main/errors'
import { SHARED_DICOM } from '../helpers/paths'
import { pattern, pixelModule, TS, writeDicom } from '../unit/dicom/dicomBuilder'
import type { HostileCase } from './corpus'
import { alteredCopy, sparseFile, truncatedCopy, withElementLength, writeFile } from './generators'

/** The RLE palette-colour echo, 10 frames. */
export const US_PAL = join(SHARED_DICOM, 'US-PAL-8-10x-echo.dcm')
/** The JPEG baseline angiography, 96 frames. */
export const XA_JPEG = join(SHARED_DICOM, 'xa-jpeg-baseline-96f.dcm')

export interface HostileDicomCase extends HostileCase {
  domain: 'dicom'
  /** Writes the file to import into the (existing, empty) folder `dir` and returns its path. */
  build(dir: string): string
  /** The refusal must come within this many milliseconds (it must not read the file first). */
  withinMs?: number
  /** Further checks on the built file, beyond the import's refusal. */
  alsoCheck?(file: string): void | Promise<void>
}

/** The transfer syntaxes this version names but cannot decode. */
const UNSUPPORTED_SYNTAXES: { id: string; uid: string; name: string; describedByDicomInfo: boolean }[] = [
  { id: 'jpeg2000', uid: TS.jpeg2000, name: 'JPEG 2000 Lossless', describedByDicomInfo: true },
  { id: 'jpeg-ls', uid: TS.jpegLs, name: 'JPEG-LS Lossless', describedByDicomInfo: true },
  { id: 'deflate', uid: TS.deflate, name: 'Deflated Explicit VR Little Endian', describedByDicomInfo: false },
  { id: 'big-endian', uid: TS.bigEndian, name: 'Explicit VR Big Endian', describedByDicomInfo: false },
  { id: 'jpeg-lossless', uid: '1.2.840.10008.1.2.4.70', name: 'JPEG Lossless', describedByDicomInfo: true }
]

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export const dicomCases: HostileDicomCase[] = [
  {
    id: 'dicom-truncated-rle',
    domain: 'dicom',
    description: 'the RLE sample cut at 60 %',
    build: (d) => truncatedCopy(US_PAL, join(d, 'truncated.dcm'), (size) => size * 0.6),
    expect: /truncated\.dcm cannot be imported: it is truncated or damaged/
  },
  {
    id: 'dicom-truncated-jpeg',
    domain: 'dicom',
    description: 'the JPEG sample cut 4 kB short, inside its last frame',
    build: (d) => truncatedCopy(XA_JPEG, join(d, 'xa-cut.dcm'), (size) => size - 4096),
    expect: /xa-cut\.dcm cannot be imported: it is truncated or damaged/
  },
  {
    id: 'dicom-missing-pixel-data',
    domain: 'dicom',
    description: 'a structured report: a DICOM without pixel data',
    build: (d) =>
      writeDicom(join(d, 'nopixels.dcm'), {
        transferSyntax: TS.explicit,
        sopClassUid: '1.2.840.10008.5.1.4.1.1.88.11',
        elements: [{ tag: '00100010', vr: 'PN', value: 'Doe^Jane' }]
      }),
    expect: /nopixels\.dcm cannot be imported: it has no pixel data \(7FE0,0010\)/
  },
  {
    id: 'dicom-bad-vr-length',
    domain: 'dicom',
    description: 'Rows (US, 2 bytes) declared 4 bytes long',
    build: (d) => alteredCopy(US_PAL, join(d, 'badvr.dcm'), (b) => withElementLength(b, 0x0028, 0x0010, 'US', 4)),
    expect: /badvr\.dcm cannot be imported: .*an attribute's length is wrong/
  },
  {
    id: 'dicom-length-past-end',
    domain: 'dicom',
    description: "Patient Name's length running past the end of the file",
    build: (d) => alteredCopy(XA_JPEG, join(d, 'badlen.dcm'), (b) => withElementLength(b, 0x0010, 0x0010, 'PN', 0xfff0)),
    expect: /badlen\.dcm cannot be imported: .*an attribute's length is wrong/
  },
  {
    id: 'dicom-not-dicom',
    domain: 'dicom',
    description: 'a PDF named .dcm',
    build: (d) => {
      const f = join(d, 'notdicom.dcm')
      writeFile(f, Buffer.from('%PDF-1.4 this is not a DICOM file '.repeat(20)))
      return f
    },
    expect: /notdicom\.dcm is not a DICOM file: the "DICM" marker .* is missing at byte 128/
  },
  {
    id: 'dicom-empty',
    domain: 'dicom',
    description: 'an empty .dcm file',
    build: (d) => {
      const f = join(d, 'empty.dcm')
      writeFile(f, '')
      return f
    },
    expect: /empty\.dcm is not a DICOM file.*too short/
  },
  {
    id: 'dicom-over-2gb',
    domain: 'dicom',
    description: 'a (sparse) file over 2 GB, refused before anything is read',
    build: (d) => sparseFile(join(d, 'huge.dcm'), MAX_DICOM_BYTES + 1),
    withinMs: 2000,
    expect: /huge\.dcm is 2\.0 GB; DICOM files over 2\.0 GB are refused/
  },
  ...UNSUPPORTED_SYNTAXES.map(
    (s): HostileDicomCase => ({
      id: `dicom-syntax-${s.id}`,
      domain: 'dicom',
      description: `pixel data in ${s.name}, named with its UID`,
      build: (d) =>
        writeDicom(join(d, `ts-${s.uid}.dcm`), {
          transferSyntax: s.uid,
          elements: pixelModule({ rows: 4, columns: 4, photometric: 'MONOCHROME2' }),
          fragments: [Buffer.alloc(16)]
        }),
      expect: new RegExp(`uses the transfer syntax ${escape(s.name)}.*\\(${escape(s.uid)}\\), which this version cannot decode`),
      // dicom-info still describes what it can read.
      alsoCheck: s.describedByDicomInfo ? (f) => void expect(dicomInfo(f)).toMatchObject({ transferSyntaxUid: s.uid, importable: false }) : undefined
    })
  ),
  {
    id: 'dicom-photometric-hsv',
    domain: 'dicom',
    description: 'an unsupported photometric interpretation (HSV)',
    build: (d) =>
      writeDicom(join(d, 'hsv.dcm'), {
        transferSyntax: TS.explicit,
        elements: pixelModule({ rows: 4, columns: 4, spp: 3, photometric: 'HSV' }),
        pixels: pattern(48)
      }),
    expect: /hsv\.dcm.*photometric interpretation "HSV" is not supported/
  },
  {
    id: 'dicom-palette-without-tables',
    domain: 'dicom',
    description: 'PALETTE COLOR without its lookup tables',
    build: (d) =>
      writeDicom(join(d, 'pal.dcm'), {
        transferSyntax: TS.explicit,
        elements: pixelModule({ rows: 4, columns: 4, photometric: 'PALETTE COLOR' }),
        pixels: pattern(16)
      }),
    expect: /pal\.dcm.*PALETTE COLOR but the palette attribute \(0028,1101\) is missing/
  },
  {
    id: 'dicom-short-pixel-data',
    domain: 'dicom',
    description: 'native pixel data shorter than its frames need',
    build: (d) =>
      writeDicom(join(d, 'short.dcm'), {
        transferSyntax: TS.explicit,
        elements: pixelModule({ rows: 10, columns: 10, frames: 5, photometric: 'MONOCHROME2' }),
        pixels: pattern(300)
      }),
    expect: /short\.dcm.*pixel data holds 300 bytes but 5 frame\(s\) of 10×10 need 500/
  },
  {
    id: 'dicom-rle-bad-segments',
    domain: 'dicom',
    description: "the RLE sample's first frame header claiming 3 segments instead of 1",
    build: (d) =>
      alteredCopy(US_PAL, join(d, 'rle-bad.dcm'), (b) => {
        const frag = readDicomFile(US_PAL).dataSet.elements.x7fe00010!.fragments![0]!
        b.writeUInt32LE(3, frag.position)
        return b
      }),
    expect: /rle-bad\.dcm.*RLE frame 1 has 3 segments; 1 sample\(s\) of 8 bits need 1/
  },
  {
    id: 'dicom-corrupt-jpeg-frame',
    domain: 'dicom',
    description: "the JPEG sample's fourth frame with its markers (SOI, tables) zeroed",
    build: (d) =>
      alteredCopy(XA_JPEG, join(d, 'jpeg-bad.dcm'), (b) => {
        const frag = readDicomFile(XA_JPEG).dataSet.elements.x7fe00010!.fragments![3]!
        b.fill(0, frag.position, frag.position + 400)
        return b
      }),
    expect: /jpeg-bad\.dcm: \d+ of 96 JPEG frames could be decoded; the file is truncated or damaged/,
    // The decoder itself reports it, not only the import.
    alsoCheck: async (f) => {
      const outcome = await (async () => {
        let n = 0
        for await (const frame of decodeDicom(readDicomFile(f)).frames()) if (frame) n++
        return n
      })().catch((e: unknown) => e)
      expect(outcome).toBeInstanceOf(UserError)
      expect((outcome as Error).message).toMatch(/jpeg-bad\.dcm: \d+ of 96 JPEG frames could be decoded; the file is truncated or damaged/)
    }
  }
]
