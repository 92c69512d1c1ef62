/**
 * Decoded pixels against dcmtk's: the two shared real samples (RLE palette
 * ultrasound, JPEG Baseline angiography) and synthetic files covering the
 * other photometric interpretations and transfer syntaxes.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDicom } from 'dicom-parser'
import { decodeDicom } from '../../../src/main/dicom/decode'
import { imageInfo } from '../../../src/main/dicom/imageInfo'
import { readDicomFile } from '../../../src/main/dicom/readDicom'
import { decodeRleFrame } from '../../../src/main/dicom/rle'
import { SHARED_DICOM, tempDir } from '../../helpers/paths'
import { compare, dcmtkFrames, dcmtkTool } from './dcmtk'
import { pattern, pixelModule, rleFrame, TS, writeDicom, type El } from './dicomBuilder'

const US_PAL = join(SHARED_DICOM, 'US-PAL-8-10x-echo.dcm')
const XA_JPEG = join(SHARED_DICOM, 'xa-jpeg-baseline-96f.dcm')

let tmp: ReturnType<typeof tempDir>
let n = 0
const dir = (): string => {
  const d = join(tmp.path, `case-${++n}`)
  mkdirSync(d)
  return d
}
beforeAll(() => {
  tmp = tempDir('lus-dicom-')
})
afterAll(() => tmp.cleanup())

async function ourFrames(file: string): Promise<Buffer[]> {
  const out: Buffer[] = []
  for await (const f of decodeDicom(readDicomFile(file)).frames()) out.push(f)
  return out
}

async function expectMatchesDcmtk(file: string, tolerance = 0): Promise<{ maxAbs: number; differing: number; total: number }> {
  const ours = await ourFrames(file)
  const ref = dcmtkFrames(file, dir())
  expect(ours.length).toBe(ref.length)
  let maxAbs = 0
  let differing = 0
  let total = 0
  ours.forEach((f, i) => {
    const d = compare(f, ref[i]!.pixels)
    maxAbs = Math.max(maxAbs, d.maxAbs)
    differing += d.differing
    total += d.total
  })
  expect(maxAbs).toBeLessThanOrEqual(tolerance)
  return { maxAbs, differing, total }
}

describe('shared real samples against dcmtk', () => {
  it('US-PAL-8-10x-echo.dcm (RLE Lossless, PALETTE COLOR, 10 frames): RGB identical to dcmj2pnm', async () => {
    const parsed = readDicomFile(US_PAL)
    const info = imageInfo(parsed)
    expect(parsed.transferSyntax.name).toBe('RLE Lossless')
    expect(info).toMatchObject({ rows: 430, columns: 600, frames: 10, photometric: 'PALETTE COLOR', frameRateSource: 'Frame Time (0018,1063)' })
    expect(info.fpsRational).toBe('250/19')
    expect(info.fps).toBeCloseTo(1000 / 76, 6)
    const d = await expectMatchesDcmtk(US_PAL, 0)
    expect(d.total).toBe(10 * 430 * 600 * 3)
  })

  it('our RLE decoder gives the same palette indices as dcmtk dcmdrle', () => {
    const out = join(dir(), 'native.dcm')
    execFileSync(dcmtkTool('dcmdrle'), [US_PAL, out])
    const ref = parseDicom(readFileSync(out))
    const refPx = ref.elements.x7fe00010!
    const parsed = readDicomFile(US_PAL)
    const info = imageInfo(parsed)
    const fragments = info.pixelData.fragments!
    const frameBytes = 430 * 600
    for (let i = 0; i < info.frames; i++) {
      const f = fragments[i]!
      const bytes = parsed.dataSet.byteArray.subarray(f.position, f.position + f.length)
      const ours = decodeRleFrame(bytes, info, i)
      const theirs = ref.byteArray.subarray(refPx.dataOffset + i * frameBytes, refPx.dataOffset + (i + 1) * frameBytes)
      expect(Buffer.compare(Buffer.from(ours), Buffer.from(theirs))).toBe(0)
    }
  })

  it('xa-jpeg-baseline-96f.dcm (JPEG Baseline, 96 frames): within ±1 of dcmj2pnm (IDCT rounding)', async () => {
    const info = imageInfo(readDicomFile(XA_JPEG))
    expect(info).toMatchObject({ rows: 512, columns: 512, frames: 96, photometric: 'MONOCHROME2', fpsRational: '1000/33' })
    const d = await expectMatchesDcmtk(XA_JPEG, 1)
    // JPEG decoders may round the inverse DCT differently (ISO 10918-2 allows ±1); measured: about 1.4 % of samples differ by 1.
    expect(d.differing / d.total).toBeLessThan(0.02)
  })
})

describe('synthetic files against dcmtk', () => {
  const rows = 37
  const columns = 50
  const frames = 3

  it('MONOCHROME2 8-bit, implicit VR little endian', async () => {
    const f = writeDicom(join(dir(), 'm2.dcm'), {
      transferSyntax: TS.implicit,
      elements: [...pixelModule({ rows, columns, frames, photometric: 'MONOCHROME2' }), { tag: '00082144', vr: 'IS', value: '12' }],
      pixels: pattern(rows * columns * frames)
    })
    const info = imageInfo(readDicomFile(f))
    expect(info).toMatchObject({ fps: 12, frameRateSource: 'Recommended Display Frame Rate (0008,2144)' })
    await expectMatchesDcmtk(f, 0)
  })

  it('MONOCHROME1 8-bit (inverted), explicit VR little endian: ±1 of dcmtk', async () => {
    const f = writeDicom(join(dir(), 'm1.dcm'), {
      transferSyntax: TS.explicit,
      elements: [...pixelModule({ rows, columns, frames, photometric: 'MONOCHROME1' }), { tag: '00180040', vr: 'IS', value: '20' }],
      pixels: pattern(rows * columns * frames, 7)
    })
    expect(imageInfo(readDicomFile(f))).toMatchObject({ fps: 20, frameRateSource: 'Cine Rate (0018,0040)' })
    // We invert as 255 − v; dcmtk's rescaled inversion gives 256 − v for stored values ≥ 128 (measured: exactly those differ, by 1).
    const d = await expectMatchesDcmtk(f, 1)
    expect(d.differing).toBeGreaterThan(0)
    const ours = Buffer.concat(await ourFrames(f))
    const stored = pattern(rows * columns * frames, 7)
    for (let i = 0; i < stored.length; i++) expect(ours[i]).toBe(255 - stored[i]!)
  })

  it('RGB, pixel-interleaved and planar', async () => {
    for (const planar of [0, 1] as const) {
      const f = writeDicom(join(dir(), `rgb${planar}.dcm`), {
        transferSyntax: TS.explicit,
        elements: pixelModule({ rows, columns, frames, spp: 3, photometric: 'RGB', planar }),
        pixels: pattern(rows * columns * 3 * frames, 3)
      })
      await expectMatchesDcmtk(f, 0)
    }
  })

  it('YBR_FULL and YBR_FULL_422 converted to RGB (±2 of dcmtk, whose conversion uses integer tables)', async () => {
    const ybr = writeDicom(join(dir(), 'ybr.dcm'), {
      transferSyntax: TS.explicit,
      elements: pixelModule({ rows, columns, frames: 1, spp: 3, photometric: 'YBR_FULL' }),
      pixels: pattern(rows * columns * 3, 5)
    })
    expect((await expectMatchesDcmtk(ybr, 2)).differing / (rows * columns * 3)).toBeLessThan(0.5)
    const ybr422 = writeDicom(join(dir(), 'ybr422.dcm'), {
      transferSyntax: TS.explicit,
      elements: pixelModule({ rows, columns: 48, frames: 1, spp: 3, photometric: 'YBR_FULL_422' }),
      pixels: pattern(rows * 48 * 2, 9)
    })
    await expectMatchesDcmtk(ybr422, 2)
  })

  it('16-bit MONOCHROME2 with a VOI window (±1 of dcmtk with the same window)', async () => {
    const px = Buffer.alloc(rows * columns * 2)
    for (let i = 0; i < rows * columns; i++) px.writeUInt16LE((i * 37) % 4096, i * 2)
    const f = writeDicom(join(dir(), 'm16.dcm'), {
      transferSyntax: TS.explicit,
      elements: [
        ...pixelModule({ rows, columns, photometric: 'MONOCHROME2', bits: 16, stored: 12 }),
        { tag: '00281050', vr: 'DS', value: '2000' },
        { tag: '00281051', vr: 'DS', value: '3000' }
      ],
      pixels: px
    })
    const ours = await ourFrames(f)
    execFileSync(dcmtkTool('dcmj2pnm'), ['+Wi', '1', '+op', f, join(tmp.path, 'm16.pgm')])
    const { parsePnm } = await import('./dcmtk')
    const ref = parsePnm(readFileSync(join(tmp.path, 'm16.pgm')))
    expect(compare(ours[0]!, ref.pixels).maxAbs).toBeLessThanOrEqual(1)
  })

  it('RLE Lossless RGB and 16-bit grey (built by dcmtk dcmcrle from native files)', async () => {
    const rgb = writeDicom(join(dir(), 'rgb-native.dcm'), {
      transferSyntax: TS.explicit,
      elements: pixelModule({ rows, columns, frames, spp: 3, photometric: 'RGB' }),
      pixels: pattern(rows * columns * 3 * frames, 11)
    })
    const rgbRle = join(tmp.path, 'rgb-rle.dcm')
    execFileSync(dcmtkTool('dcmcrle'), [rgb, rgbRle])
    expect(readDicomFile(rgbRle).transferSyntax.encoding).toBe('rle')
    expect(Buffer.compare(Buffer.concat(await ourFrames(rgbRle)), Buffer.concat(await ourFrames(rgb)))).toBe(0)
    await expectMatchesDcmtk(rgbRle, 0)
  })

  it('RLE frames built by our own encoder decode to the planes that went in', () => {
    const r = pattern(rows * columns, 21)
    const g = Buffer.alloc(rows * columns, 200)
    const frame = rleFrame([r, g])
    const out = decodeRleFrame(frame, { rows, columns, samplesPerPixel: 1, bitsAllocated: 16 })
    for (let i = 0; i < rows * columns; i++) {
      expect(out[2 * i + 1]).toBe(r[i])
      expect(out[2 * i]).toBe(200)
    }
  })

  it('frame rate from Frame Time Vector, else 25 fps by default', () => {
    const base: El[] = pixelModule({ rows: 4, columns: 4, frames: 3, photometric: 'MONOCHROME2' })
    const ftv = writeDicom(join(dir(), 'ftv.dcm'), {
      transferSyntax: TS.explicit,
      elements: [...base, { tag: '00181065', vr: 'DS', value: '0\\50\\50' }],
      pixels: pattern(48)
    })
    expect(imageInfo(readDicomFile(ftv))).toMatchObject({ fps: 20, frameRateSource: 'Frame Time Vector (0018,1065)' })
    const none = writeDicom(join(dir(), 'none.dcm'), { transferSyntax: TS.explicit, elements: base, pixels: pattern(48) })
    expect(imageInfo(readDicomFile(none))).toMatchObject({ fps: 25, frameRateSource: 'default' })
  })
})
