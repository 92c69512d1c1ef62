/**
 * Reading a DICOM Part 10 file with dicom-parser, with every refusal worded
 * for the user: too big, not DICOM, an encoding we cannot decode, truncated
 * or damaged. The file is sized before it is read, so a multi-gigabyte file
 * is refused without being loaded.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { parseDicom, readPart10Header, type DataSet } from 'dicom-parser'
import { UserError } from '../errors'
import { SUPPORTED_TRANSFER_SYNTAXES, transferSyntax, type TransferSyntax } from './transferSyntaxes'

/** dicom-parser needs the whole file in memory; past 2 GiB that is no longer reasonable on a laptop. */
export const MAX_DICOM_BYTES = 2 * 1024 ** 3

export interface ParsedDicom {
  /** File name only: messages reach the UI, and a DICOM's path may itself name the patient. */
  name: string
  dataSet: DataSet
  transferSyntax: TransferSyntax
  sizeBytes: number
}

/** dicom-parser throws plain objects (`{ exception, dataSet }`) as well as Errors and strings. */
export function parserMessage(e: unknown): string {
  if (typeof e === 'string') return e
  if (e instanceof Error) return e.message
  if (e && typeof e === 'object' && 'exception' in e) return String((e as { exception: unknown }).exception)
  return String(e)
}

function describe(why: string): string {
  const plain = why.replace(/^dicomParser[.:]+\w*:?\s*/i, '')
  if (/buffer overrun|past the end|beyond|out of range|offset is outside/i.test(plain))
    return `it is truncated or damaged, or an attribute's length is wrong (${plain}: a value runs past the end of the file)`
  return `it is damaged (${plain})`
}

function formatSize(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`
}

/** The first bytes, enough for the preamble and the DICM marker, without reading the rest. */
function readHead(path: string, length: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(length)
    const n = readSync(fd, head, 0, length, 0)
    return head.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

export interface ReadOptions {
  maxBytes?: number
  /** Parse files in syntaxes the import cannot decode (for `dicom-info`); the pixel data is then not decoded. */
  allowUnsupported?: boolean
}

export function readDicomFile(path: string, options: ReadOptions = {}): ParsedDicom {
  const maxBytes = options.maxBytes ?? MAX_DICOM_BYTES
  const name = basename(path)
  let size: number
  try {
    const st = statSync(path)
    if (st.isDirectory()) throw new UserError('bad_input', `${name} is a folder, not a DICOM file.`)
    size = st.size
  } catch (e) {
    if (e instanceof UserError) throw e
    throw new UserError('bad_input', `Cannot read ${name}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (e as Error).message}.`)
  }
  if (size > maxBytes)
    throw new UserError(
      'bad_input',
      `${name} is ${formatSize(size)}; DICOM files over ${formatSize(maxBytes)} are refused because they would have to be read into memory whole. Export the cine in shorter parts.`
    )
  if (size < 132 || readHead(path, 132).toString('latin1', 128, 132) !== 'DICM')
    throw new UserError(
      'bad_input',
      `${name} is not a DICOM file: the "DICM" marker of a DICOM Part 10 file is missing at byte 128${size < 132 ? ' (the file is too short)' : ''}.`
    )
  const bytes = readFileSync(path)
  return parseDicomBytes(bytes, name, options.allowUnsupported ?? false)
}

/** Every value representation of PS3.5 (2024): the two bytes after an Explicit VR tag are one of these. */
const VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' ')
)

const DEFLATED = '1.2.840.10008.1.2.1.99'

/** (gggg,eeee) of the little-endian tag at `at`. */
function tagAt(bytes: Uint8Array, at: number): string {
  const word = (i: number): string => (bytes[i]! | (bytes[i + 1]! << 8)).toString(16).toUpperCase().padStart(4, '0')
  return `(${word(at)},${word(at + 2)})`
}

/**
 * The data set's first attribute, when the meta header names an Explicit VR
 * syntax but the data set is written in Implicit VR (a known fault of some
 * writers): where Explicit VR puts two letters, there is a 32-bit length
 * that fits the file. dicom-parser would read that length as a VR and run
 * off into the values, failing with a message about a damaged file.
 */
function implicitDespiteHeader(bytes: Uint8Array, meta: DataSet, ts: TransferSyntax): string | null {
  // Deflated data sets are compressed: their first bytes are no attribute.
  if (!ts.explicitVr || ts.uid === DEFLATED) return null
  // Where readPart10Header stopped: the first byte after the meta group (set at run time, missing from the typings).
  const at = (meta as DataSet & { position?: number }).position
  if (at === undefined) return null
  if (!Number.isInteger(at) || at + 8 > bytes.length) return null
  if (VRS.has(String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!))) return null
  const length = (bytes[at + 4]! | (bytes[at + 5]! << 8) | (bytes[at + 6]! << 16)) + bytes[at + 7]! * 0x1000000
  return length === 0xffffffff || at + 8 + length <= bytes.length ? tagAt(bytes, at) : null
}

export function parseDicomBytes(bytes: Uint8Array, name: string, allowUnsupported = false): ParsedDicom {
  let tsUid: string | undefined
  let meta: DataSet
  try {
    meta = readPart10Header(bytes)
    tsUid = meta.string('x00020010')
  } catch (e) {
    throw new UserError('bad_input', `${name} is not a readable DICOM file: its file meta header ${describe(parserMessage(e)).replace(/^it is /, 'is ')}.`)
  }
  if (!tsUid)
    throw new UserError('bad_input', `${name} is not a readable DICOM file: its file meta header names no transfer syntax (0002,0010).`)
  const ts = transferSyntax(tsUid)
  // Before the syntax is judged: the header's claim about it is what is wrong.
  const implicitAt = implicitDespiteHeader(bytes, meta, ts)
  if (implicitAt)
    throw new UserError(
      'bad_input',
      `${name} is not a readable DICOM file: its file meta header says ${ts.name} (${ts.uid}), but its data set is written in Implicit VR Little Endian ` +
        `(the first attribute, ${implicitAt}, has a length where Explicit VR puts its value representation). ` +
        `The software that wrote it labelled it wrongly. Nothing was imported; export the file again from the modality or PACS.`
    )
  if (ts.encoding === 'unsupported' && !allowUnsupported)
    throw new UserError(
      'unsupported',
      `${name} uses the transfer syntax ${ts.name} (${ts.uid}), which this version cannot decode. ` +
        `Supported: ${SUPPORTED_TRANSFER_SYNTAXES.map((t) => t.name).join(', ')}. ` +
        `Convert the file first (e.g. dcmtk's dcmdjpeg/dcmdjpls, or export it uncompressed from the modality).`
    )
  let dataSet: DataSet
  try {
    dataSet = parseDicom(bytes)
  } catch (e) {
    throw new UserError('bad_input', `${name} cannot be imported: ${describe(parserMessage(e))}.`)
  }
  return { name, dataSet, transferSyntax: ts, sizeBytes: bytes.length }
}
