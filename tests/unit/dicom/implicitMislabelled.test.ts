/**
 * A DICOM whose file meta header names an Explicit VR syntax but whose data
 * set is written in Implicit VR (a fault of some writers): `dicom-info` and
 * the import name the mismatch instead of calling the file damaged.
 */
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dicomInfoCommand } from '../../../src/main/cli/dicomCommands'
import { dicomInfo } from '../../../src/main/dicom/dicomInfo'
import { readDicomFile } from '../../../src/main/dicom/readDicom'
import { UserError } from '../../../src/main/errors'
import { tempDir } from '../../helpers/paths'
import { buildDicom, encodeElement, pattern, pixelModule, TS, type El } from './dicomBuilder'
import { mislabelledDicom } from './mislabelledDicom'

let tmp: ReturnType<typeof tempDir>
beforeAll(() => (tmp = tempDir('lus-dicom-implicit-')))
afterAll(() => tmp.cleanup())

function write(name: string, bytes: Buffer): string {
  const f = join(tmp.path, name)
  writeFileSync(f, bytes)
  return f
}

const image = pixelModule({ rows: 4, columns: 4, frames: 2, photometric: 'MONOCHROME2' })
const patient: El = { tag: '00100010', vr: 'PN', value: 'Doe^Jane' }

describe('implicit VR data under an Explicit VR header', () => {
  for (const [claimed, name] of [
    [TS.explicit, 'Explicit VR Little Endian'],
    [TS.rle, 'RLE Lossless'],
    [TS.jpeg2000, 'JPEG 2000 Lossless']
  ] as const) {
    it(`says so, for ${name}, from dicom-info and the reader the import uses`, () => {
      const file = write(`liar-${claimed}.dcm`, mislabelledDicom(claimed, [patient, ...image], pattern(32)))
      const expected = new RegExp(
        `^liar-${claimed.replace(/\./g, '\\.')}\\.dcm is not a readable DICOM file: its file meta header says ${name} \\(${claimed.replace(/\./g, '\\.')}\\), ` +
          `but its data set is written in Implicit VR Little Endian \\(the first attribute, \\(0008,0016\\), .*Nothing was imported`
      )
      for (const read of [() => dicomInfo(file), () => dicomInfoCommand(file), () => readDicomFile(file)]) {
        const outcome = (() => {
          try {
            read()
          } catch (e) {
            return e
          }
          return null
        })()
        expect(outcome).toBeInstanceOf(UserError)
        expect((outcome as Error).message).toMatch(expected)
        // The patient's name is never quoted.
        expect((outcome as Error).message).not.toMatch(/Doe/)
      }
    })
  }

  it('the same data, labelled Implicit VR, and an Explicit VR file, are read as before', () => {
    const implicit = write('implicit.dcm', buildDicom({ transferSyntax: TS.implicit, elements: [patient, ...image], pixels: pattern(32) }))
    const explicit = write('explicit.dcm', buildDicom({ transferSyntax: TS.explicit, elements: [patient, ...image], pixels: pattern(32) }))
    for (const f of [implicit, explicit]) expect(dicomInfo(f)).toMatchObject({ rows: 4, columns: 4, frames: 2, importable: true })
  })

  it('a damaged Explicit VR file is still called damaged, not mislabelled', () => {
    const good = buildDicom({ transferSyntax: TS.explicit, elements: image, pixels: pattern(32) })
    const metaEnd = 132 + 12 + good.readUInt32LE(140)
    // The first attribute's VR and length overwritten: no VR, and read as an implicit length it runs far past the end.
    const bad = Buffer.from(good)
    bad.write('zz', metaEnd + 4, 'latin1')
    bad.writeUInt16LE(0xffff, metaEnd + 6)
    expect(() => readDicomFile(write('damaged.dcm', bad))).toThrow(/^damaged\.dcm cannot be imported: it is truncated or damaged/)
  })

  it('the mismatch is told apart only by real VR letters: an element the builder encodes explicitly starts with one', () => {
    expect(encodeElement({ tag: '00080016', vr: 'UI', value: '1.2' }, true).toString('latin1', 4, 6)).toBe('UI')
  })
})
