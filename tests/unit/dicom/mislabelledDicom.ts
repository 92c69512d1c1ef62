/**
 * A DICOM whose file meta header names one transfer syntax while its data
 * set is written in Implicit VR Little Endian, for the tests of that fault
 * (unit and hostile): built from two builder files, never checked in.
 */
import { buildDicom, TS, type El } from './dicomBuilder'

/** Preamble, DICM, then the meta group: (0002,0000) is its first element, its length at byte 140. */
const metaEnd = (b: Buffer): number => 132 + 12 + b.readUInt32LE(140)

export function mislabelledDicom(claimed: string, elements: El[], pixels?: Buffer): Buffer {
  const implicit = buildDicom({ transferSyntax: TS.implicit, elements, pixels })
  const labelled = buildDicom({ transferSyntax: claimed, elements: [] })
  return Buffer.concat([labelled.subarray(0, metaEnd(labelled)), implicit.subarray(metaEnd(implicit))])
}
