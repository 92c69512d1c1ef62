import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DATASET_DIALECT, DATASET_HEADER, parseDatasetCsv, parseRecord, serializeRecord, writeDatasetCsv } from '../../../src/main/dataset/csvCodec'
import { UserError } from '../../../src/main/errors'
import { CSV_COLUMNS } from '../../../src/shared/vocabulary'
import { csvText, row } from '../../helpers/fixtures'
import { SHARED_CSV } from '../../helpers/paths'

const roundTrip = (buf: Buffer): Buffer => {
  const p = parseDatasetCsv(buf)
  return writeDatasetCsv({ dialect: p.dialect, headerRaw: p.headerRaw, records: p.records.map((r) => r.raw) })
}

describe('dataset CSV codec on the real dataset_metadata.csv', () => {
  const buf = readFileSync(SHARED_CSV)
  const parsed = parseDatasetCsv(buf)

  it('reads 375 records of 44 cells and the dialect (CRLF, no final newline, no BOM)', () => {
    expect(parsed.records).toHaveLength(375)
    expect(parsed.records.every((r) => r.cells.length === CSV_COLUMNS.length)).toBe(true)
    expect(parsed.dialect).toEqual({ recordDelimiter: '\r\n', finalNewline: false, bom: false })
    expect(parsed.headerRaw.split(',')).toHaveLength(44)
  })

  it('keeps cells with embedded newlines intact and counts lines from the header', () => {
    const multi = parsed.records.filter((r) => r.cells.some((c) => c.includes('\n')))
    expect(multi.length).toBeGreaterThan(0)
    expect(parsed.records[0]!.line).toBe(2)
    // A record after a multi-line cell starts further down the file than its index says.
    expect(parsed.records.at(-1)!.line).toBeGreaterThan(376)
  })

  it('writes the file back byte for byte', () => {
    expect(roundTrip(buf).equals(buf)).toBe(true)
  })

  it('re-serializes every record exactly as the dataset quotes it', () => {
    for (const r of parsed.records) expect(serializeRecord(r.cells)).toBe(r.raw)
  })
})

describe('dataset CSV codec dialects', () => {
  const rows = [row('a', { Title: 'has, comma' }), row('b', { Title: 'two\nlines' }), row('c')]

  it.each([
    ['LF with final newline', { delimiter: '\n', finalNewline: true }],
    ['CRLF without final newline', { delimiter: '\r\n', finalNewline: false }],
    ['CRLF with final newline', { delimiter: '\r\n', finalNewline: true }]
  ])('round-trips %s', (_name, opts) => {
    const buf = Buffer.from(csvText(rows, opts))
    const p = parseDatasetCsv(buf)
    expect(p.records).toHaveLength(3)
    expect(p.dialect.recordDelimiter).toBe(opts.delimiter)
    expect(p.dialect.finalNewline).toBe(opts.finalNewline)
    expect(roundTrip(buf).equals(buf)).toBe(true)
  })

  it('keeps a UTF-8 byte order mark', () => {
    const buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText(rows))])
    const p = parseDatasetCsv(buf)
    expect(p.dialect.bom).toBe(true)
    expect(p.records[0]!.cells[0]).toBe('20.04.20')
    expect(roundTrip(buf).equals(buf)).toBe(true)
  })

  it('quotes cells with a comma, quote, CR or LF, and nothing else', () => {
    const cells = CSV_COLUMNS.map(() => '')
    cells[0] = 'plain'
    cells[1] = 'a,b'
    cells[2] = 'say "hi"'
    cells[3] = 'cr\ronly'
    expect(serializeRecord(cells)).toBe('plain,"a,b","say ""hi""","cr\ronly"' + ','.repeat(40))
  })
})

describe('dataset CSV codec refuses bad files with the line', () => {
  const expectError = (buf: Buffer, pattern: RegExp): void => {
    let error: unknown
    try {
      parseDatasetCsv(buf, 'x/dataset_metadata.csv')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(pattern)
  }

  it('an empty file', () => expectError(Buffer.alloc(0), /dataset_metadata\.csv is empty/))

  it('a wrong header', () => {
    const text = csvText([row('a')]).replace('Current location', 'Location')
    expectError(Buffer.from(text), /line 1: .*column 2 should be "Current location" but is "Location"/)
  })

  it('a missing column', () => {
    const text = csvText([row('a')]).replace(',Other', '')
    expectError(Buffer.from(text), /line 1: the header is not the dataset's/)
  })

  it('a ragged row', () => {
    const text = csvText([row('a'), row('b')]).replace(/\r\n(.*)$/, '\r\n$1,extra')
    expectError(Buffer.from(text), /line 3: expected 44 fields, found 45/)
  })

  it('bytes that are not UTF-8', () => {
    const good = Buffer.from(csvText([row('a'), row('b')]))
    const bad = Buffer.concat([good, Buffer.from('\r\n'), Buffer.from(csvText([row('c')]).split('\r\n')[1]!.replace('c', 'XX'))])
    const at = bad.lastIndexOf('XX')
    bad[at] = 0xff
    expectError(bad, /line 4: the file is not valid UTF-8/)
  })

  it('an unterminated quote', () => {
    const text = csvText([row('a')]) + '\r\n20.04.20,"never closed'
    expectError(Buffer.from(text), /dataset_metadata\.csv.*(quote|Quote)/)
  })
})

describe('writeDatasetCsv in batches', () => {
  it('writes exactly header + records joined by the delimiter, at every batch boundary, with and without BOM and final newline', () => {
    for (const n of [0, 1, 998, 999, 1000, 1001, 1999, 2000, 2001]) {
      const records = Array.from({ length: n }, (_, i) => `r${i},é`)
      for (const recordDelimiter of ['\r\n', '\n'] as const)
        for (const finalNewline of [false, true])
          for (const bom of [false, true]) {
            const text = ['h,é', ...records].join(recordDelimiter) + (finalNewline ? recordDelimiter : '')
            const expected = Buffer.concat([Buffer.from(bom ? '\uFEFF' : ''), Buffer.from(text, 'utf8')])
            const got = writeDatasetCsv({ dialect: { recordDelimiter, finalNewline, bom }, headerRaw: 'h,é', records })
            expect(got.equals(expected), `${n} records, ${JSON.stringify(recordDelimiter)}, final ${finalNewline}, bom ${bom}`).toBe(true)
          }
    }
  })
})

describe('the dataset dialect', () => {
  it('is the published file’s: its header parses back as the dataset’s and the layout matches its CSV', () => {
    const shared = parseDatasetCsv(readFileSync(SHARED_CSV))
    expect(DATASET_DIALECT).toEqual(shared.dialect)
    expect(DATASET_HEADER).toBe(shared.headerRaw)
    expect(parseDatasetCsv(Buffer.from(DATASET_HEADER)).records).toEqual([])
  })

  it('parses one record’s source text back into its cells, line breaks in quotes included', () => {
    const cells = ['a', 'two\r\nlines', 'x,y', '"q"']
    expect(parseRecord(serializeRecord(cells), '\r\n')).toEqual(cells)
    expect(parseRecord('', '\n')).toEqual([])
  })
})
