/**
 * What parseDatasetCsv keeps beyond the records (blank lines, so an export
 * can reproduce them) and the encodings it names rather than misreads
 * (UTF-16 and UTF-32, with or without a byte-order mark).
 */
import { describe, expect, it } from 'vitest'
import { detectWideEncoding, parseDatasetCsv } from '../../../src/main/dataset/csvCodec'
import { UserError } from '../../../src/main/errors'
import { csvText, row } from '../../helpers/fixtures'

const [header, recA, recB] = csvText([row('clip-a'), row('clip-b')]).split('\r\n') as [string, string, string]

function refusal(input: Buffer): string {
  try {
    parseDatasetCsv(input, 'data.csv')
  } catch (e) {
    expect(e).toBeInstanceOf(UserError)
    return (e as Error).message
  }
  throw new Error('expected a refusal')
}

describe('blank lines between records', () => {
  it('are kept by the record they precede, and at the end of the file', () => {
    const text = [header, '', recA, '', '', recB, ''].join('\r\n') + '\r\n'
    const parsed = parseDatasetCsv(Buffer.from(text))
    expect(parsed.records.map((r) => r.cells[2])).toEqual(['clip-a', 'clip-b'])
    // One blank line before record 1, two before record 2, one after the last (then the final newline).
    expect(parsed.blankLines).toEqual([
      [1, 1],
      [2, 2],
      [3, 1]
    ])
    expect(parsed.dialect.finalNewline).toBe(true)
    // Line numbers still count the blank lines.
    expect(parsed.records.map((r) => r.line)).toEqual([3, 6])
  })

  it('a file without blank lines has none, with or without a final newline', () => {
    expect(parseDatasetCsv(Buffer.from([header, recA, recB].join('\n'))).blankLines).toEqual([])
    expect(parseDatasetCsv(Buffer.from([header, recA, recB].join('\n') + '\n')).blankLines).toEqual([])
  })

  it('a line break inside a quoted cell is no blank line', () => {
    const cell = csvText([row('clip-c', { Title: 'one\r\n\r\ntwo' })]).split('\r\n').slice(1).join('\r\n')
    const parsed = parseDatasetCsv(Buffer.from([header, cell].join('\r\n')))
    expect(parsed.blankLines).toEqual([])
    expect(parsed.records[0]!.cells).toContain('one\r\n\r\ntwo')
  })
})

describe('UTF-16 and UTF-32 are named, not misread', () => {
  const text = [header, recA, recB].join('\r\n') + '\r\n'
  const utf16be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16()
  const utf32 = (s: string, endian: 'LE' | 'BE'): Buffer => {
    const cps = [...s].map((c) => c.codePointAt(0)!)
    const b = Buffer.alloc(cps.length * 4)
    cps.forEach((cp, i) => (endian === 'LE' ? b.writeUInt32LE(cp, i * 4) : b.writeUInt32BE(cp, i * 4)))
    return b
  }
  const cases: [string, Buffer, RegExp][] = [
    ['UTF-16LE without BOM', Buffer.from(text, 'utf16le'), /is UTF-16 text; save it as UTF-8 .*UTF-16 little-endian without a byte-order mark/],
    ['UTF-16BE without BOM', utf16be(text), /is UTF-16 text; save it as UTF-8 .*UTF-16 big-endian without a byte-order mark/],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), /is UTF-16 text; .*UTF-16 little-endian;/],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]), /is UTF-16 text; .*UTF-16 big-endian;/],
    ['UTF-32LE with BOM', utf32('\ufeff' + text, 'LE'), /is UTF-32 text; save it as UTF-8 .*UTF-32 little-endian;/],
    ['UTF-32BE with BOM', utf32('\ufeff' + text, 'BE'), /is UTF-32 text; .*UTF-32 big-endian;/],
    ['UTF-32LE without BOM', utf32(text, 'LE'), /is UTF-32 text; .*UTF-32 little-endian without a byte-order mark/],
    ['UTF-32BE without BOM', utf32(text, 'BE'), /is UTF-32 text; .*UTF-32 big-endian without a byte-order mark/]
  ]
  for (const [what, bytes, message] of cases) {
    it(what, () => {
      const m = refusal(bytes)
      expect(m).toMatch(/^data\.csv /)
      expect(m).toMatch(message)
      expect(m).not.toMatch(/line endings/)
    })
  }

  it('non-Latin UTF-16 is named too when its header is the dataset\'s', () => {
    const greek = [header, csvText([row('κλιπ-α', { Title: 'υπερηχογράφημα πνεύμονα' })]).split('\r\n')[1]].join('\r\n')
    expect(refusal(Buffer.from(greek, 'utf16le'))).toMatch(/UTF-16 little-endian/)
  })

  it('UTF-8, with or without BOM, and with accents, is no wide encoding', () => {
    expect(detectWideEncoding(Buffer.from(text))).toBeNull()
    expect(detectWideEncoding(Buffer.from('\ufeffé, ü, 肺\r\n'))).toBeNull()
    expect(parseDatasetCsv(Buffer.from('\ufeff' + text)).records).toHaveLength(2)
  })
})
