/**
 * Reading and writing `dataset_metadata.csv` without losing a byte.
 *
 * Each record's source text is kept, so an export with no edits reproduces
 * the file exactly (CRLF records, LF inside quoted cells, no final newline,
 * the source's quoting, blank lines between records). Edited records are re-serialized with csv-stringify
 * in the same dialect; unedited ones are written from their source text.
 */
import { parse, CsvError } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { CSV_COLUMNS } from '../../shared/vocabulary'
import { UserError } from '../errors'

/** The metadata file of a dataset folder. */
export const CSV_FILE_NAME = 'dataset_metadata.csv'

export interface CsvDialect {
  recordDelimiter: '\r\n' | '\n' | '\r'
  finalNewline: boolean
  bom: boolean
}

/** The published dataset's own dialect: CRLF between records, no final newline, no BOM. Files the app creates use it. */
export const DATASET_DIALECT: Readonly<CsvDialect> = { recordDelimiter: '\r\n', finalNewline: false, bom: false }

export interface CsvRecord {
  /** 1-based line of the record's first line in the file (the header is line 1). */
  line: number
  cells: string[]
  /** Source text of the record without its record delimiter. */
  raw: string
}

/**
 * Blank lines between records (or at the end, before the final newline):
 * `[n, count]` is `count` blank lines just before record `n` (1-based);
 * `n` past the last record means at the end of the file.
 */
export type BlankLines = [beforeRecord: number, count: number][]

export interface ParsedCsv {
  dialect: CsvDialect
  headerRaw: string
  records: CsvRecord[]
  /** Kept so an export of the unedited import is the file byte for byte. */
  blankLines: BlankLines
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])

function lineOfOffset(buf: Buffer, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < buf.length; i++) if (buf[i] === 0x0a) line++
  return line
}

function assertUtf8(buf: Buffer, fileName: string): void {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf)
  } catch {
    // Find the first offending byte so the message can name its line.
    const decoder = new TextDecoder('utf-8', { fatal: true })
    let lo = 0
    let hi = buf.length
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1
      try {
        decoder.decode(buf.subarray(0, mid))
        lo = mid
      } catch {
        hi = mid
      }
    }
    throw new UserError(
      'bad_input',
      `${fileName} line ${lineOfOffset(buf, lo)}: the file is not valid UTF-8 (byte ${lo + 1}). Save it as UTF-8 and import again.`
    )
  }
}

/** Longest cell accepted: the dataset's longest is under 1 kB; 1 MB is already no metadata. */
export const MAX_CELL_CHARS = 1_000_000

/**
 * The record delimiter is the first line break outside quotes; every other
 * line break outside quotes must be the same, or the file's records are
 * ambiguous (a half-converted file) and it is refused rather than guessed.
 */
function detectRecordDelimiter(text: string, fileName: string): CsvDialect['recordDelimiter'] {
  let inQuotes = false
  let found: CsvDialect['recordDelimiter'] | null = null
  let line = 1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') inQuotes = !inQuotes
    else if (c === '\r' || c === '\n') {
      const here: CsvDialect['recordDelimiter'] = c === '\r' ? (text[i + 1] === '\n' ? '\r\n' : '\r') : '\n'
      if (!inQuotes) {
        if (found === null) found = here
        else if (here !== found)
          throw new UserError(
            'bad_input',
            `${fileName} line ${line}: mixed line endings (${name(here)} here, ${name(found)} before). Save the file with one kind of line ending.`
          )
      }
      if (here === '\r\n') i++
      line++
    }
  }
  return found ?? '\n'
}

const name = (d: string): string => (d === '\r\n' ? 'CRLF' : d === '\n' ? 'LF' : 'CR')

export interface WideEncoding {
  family: 'UTF-16' | 'UTF-32'
  endian: 'little-endian' | 'big-endian'
  bom: boolean
}

/** The byte-order marks of the encodings we refuse; UTF-32's first, since UTF-32LE's starts with UTF-16LE's. */
const WIDE_BOMS: [WideEncoding['family'], WideEncoding['endian'], number[]][] = [
  ['UTF-32', 'little-endian', [0xff, 0xfe, 0x00, 0x00]],
  ['UTF-32', 'big-endian', [0x00, 0x00, 0xfe, 0xff]],
  ['UTF-16', 'little-endian', [0xff, 0xfe]],
  ['UTF-16', 'big-endian', [0xfe, 0xff]]
]

/**
 * UTF-16 or UTF-32, with a byte-order mark or without one, told by where its
 * zero bytes fall. Such text that is mostly Latin (as a CSV with the
 * dataset's ASCII header is) has a zero in the high byte(s) of nearly every
 * character; UTF-8 text has no zero byte at all. Without this, a file with
 * no mark passes as "valid UTF-8" full of NULs and fails later with a
 * misleading message (mixed line endings).
 */
export function detectWideEncoding(buf: Uint8Array): WideEncoding | null {
  for (const [family, endian, mark] of WIDE_BOMS)
    if (buf.length >= mark.length && mark.every((b, i) => buf[i] === b)) return { family, endian, bom: true }
  const n = Math.min(buf.length, 4096)
  const zeros = [0, 0, 0, 0]
  const lanes = [0, 0, 0, 0]
  for (let i = 0; i < n; i++) {
    lanes[i % 4]!++
    if (buf[i] === 0) zeros[i % 4]!++
  }
  if (zeros.every((z) => z === 0)) return null
  const share = (...ks: number[]): number => ks.reduce((a, k) => a + zeros[k]!, 0) / Math.max(1, ks.reduce((a, k) => a + lanes[k]!, 0))
  const found = (family: WideEncoding['family'], endian: WideEncoding['endian']): WideEncoding => ({ family, endian, bom: false })
  // UTF-32: the top byte of every character is zero, and the next one too below U+10000.
  if (share(3) === 1 && share(2) >= 0.9 && share(0) < 0.5) return found('UTF-32', 'little-endian')
  if (share(0) === 1 && share(1) >= 0.9 && share(3) < 0.5) return found('UTF-32', 'big-endian')
  if (share(1, 3) >= 0.5 && share(0, 2) < 0.1) return found('UTF-16', 'little-endian')
  if (share(0, 2) >= 0.5 && share(1, 3) < 0.1) return found('UTF-16', 'big-endian')
  return null
}

export function parseDatasetCsv(input: Buffer, fileName = CSV_FILE_NAME): ParsedCsv {
  if (input.length === 0) throw new UserError('bad_input', `${fileName} is empty.`)
  const wide = detectWideEncoding(input)
  if (wide)
    throw new UserError(
      'bad_input',
      `${fileName} is ${wide.family} text; save it as UTF-8 and import again (in Excel: "CSV UTF-8"). ` +
        `This file is ${wide.family} ${wide.endian}${wide.bom ? '' : ' without a byte-order mark'}; nothing was imported.`
    )
  const bom = input.subarray(0, 3).equals(UTF8_BOM)
  const buf = bom ? input.subarray(3) : input
  assertUtf8(buf, fileName)
  const recordDelimiter = detectRecordDelimiter(buf.toString('utf8'), fileName)

  let parsed: { record: string[]; info: { bytes: number; lines: number } }[]
  try {
    parsed = parse(buf, {
      info: true,
      record_delimiter: recordDelimiter,
      relax_column_count: true,
      skip_empty_lines: false
    }) as unknown as { record: string[]; info: { bytes: number; lines: number } }[]
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines
      throw new UserError('bad_input', `${fileName}${line ? ` line ${line}` : ''}: ${e.message}`)
    }
    throw e
  }
  if (parsed.length === 0) throw new UserError('bad_input', `${fileName} has no header row.`)

  const [headerRec, ...body] = parsed
  const header = headerRec!.record
  const missing = CSV_COLUMNS.filter((c, i) => header[i] !== c)
  if (header.length !== CSV_COLUMNS.length || missing.length > 0) {
    const firstBad = CSV_COLUMNS.findIndex((c, i) => header[i] !== c)
    const detail =
      firstBad >= 0
        ? `column ${firstBad + 1} should be "${CSV_COLUMNS[firstBad]}" but is "${header[firstBad] ?? '(missing)'}"`
        : `expected ${CSV_COLUMNS.length} columns, found ${header.length}`
    throw new UserError(
      'bad_input',
      `${fileName} line 1: the header is not the dataset's (${detail}). Expected the ${CSV_COLUMNS.length} columns of dataset_metadata.csv.`
    )
  }

  const records: CsvRecord[] = []
  const blankLines: BlankLines = []
  let blanks = 0
  let start = headerRec!.info.bytes
  let nextLine = headerRec!.info.lines + 1
  const finalNewline = endsWith(buf, recordDelimiter)
  const headerRaw = stripDelimiter(buf.toString('utf8', 0, start), recordDelimiter)
  for (const rec of body) {
    const end = rec.info.bytes
    const raw = stripDelimiter(buf.toString('utf8', start, end), recordDelimiter)
    const line = nextLine
    nextLine = rec.info.lines + 1
    start = end
    // A blank line parses as one empty cell: no record, but kept in the layout so the export reproduces it.
    if (rec.record.length === 1 && rec.record[0] === '' && raw === '') {
      blanks++
      continue
    }
    if (blanks > 0) {
      blankLines.push([records.length + 1, blanks])
      blanks = 0
    }
    if (rec.record.length !== CSV_COLUMNS.length) {
      throw new UserError(
        'bad_input',
        `${fileName} line ${line}: expected ${CSV_COLUMNS.length} fields, found ${rec.record.length}.`
      )
    }
    const long = rec.record.findIndex((c) => c.length > MAX_CELL_CHARS)
    if (long >= 0)
      throw new UserError(
        'bad_input',
        `${fileName} line ${line}: the "${CSV_COLUMNS[long] || '(unnamed column)'}" cell holds ${rec.record[long]!.length} characters, over the ${MAX_CELL_CHARS} allowed.`
      )
    records.push({ line, cells: rec.record, raw })
  }
  if (blanks > 0) blankLines.push([records.length + 1, blanks])
  return { dialect: { recordDelimiter, finalNewline, bom }, headerRaw, records, blankLines }
}

function endsWith(buf: Buffer, s: string): boolean {
  const tail = Buffer.from(s)
  return buf.length >= tail.length && buf.subarray(buf.length - tail.length).equals(tail)
}

function stripDelimiter(s: string, d: string): string {
  return s.endsWith(d) ? s.slice(0, -d.length) : s
}

/** One record in the dataset's dialect: comma-separated, quoted only where needed. */
export function serializeRecord(cells: readonly string[]): string {
  // A lone CR or LF inside a cell is quoted too, whatever the file's record delimiter.
  return stringify([cells as string[]], { record_delimiter: '\n', eof: false, quoted_match: /[\r\n]/ })
}

/** The dataset's header line, as the app writes it in the files it creates. */
export const DATASET_HEADER = serializeRecord(CSV_COLUMNS)

/** The cells of one record's source text (as kept at import), in its file's record delimiter. */
export function parseRecord(raw: string, recordDelimiter: string): string[] {
  const [record] = parse(raw, { record_delimiter: recordDelimiter, relax_column_count: true }) as string[][]
  return record ?? []
}

export interface CsvWriteInput {
  dialect: CsvDialect
  headerRaw: string
  /** Each record's text without delimiter, in output order. */
  records: Iterable<string>
}

export function writeDatasetCsv({ dialect, headerRaw, records }: CsvWriteInput): Buffer {
  // Encoded a thousand records at a time: one 40 MB string for 100k records costs more (and more GC) than its pieces.
  const chunks: Buffer[] = dialect.bom ? [UTF8_BOM] : []
  const d = dialect.recordDelimiter
  let batch: string[] = [headerRaw]
  // Records are separated by the delimiter; every batch after the first starts with one.
  const flush = (lead: string): void => {
    chunks.push(Buffer.from(lead + batch.join(d), 'utf8'))
    batch = []
  }
  let lead = ''
  for (const r of records) {
    batch.push(r)
    if (batch.length === 1000) {
      flush(lead)
      lead = d
    }
  }
  if (batch.length > 0) flush(lead)
  // The file ends with a delimiter only if the source did.
  if (dialect.finalNewline) chunks.push(Buffer.from(d, 'utf8'))
  return Buffer.concat(chunks)
}
