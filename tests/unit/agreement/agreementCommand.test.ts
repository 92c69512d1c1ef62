import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { agreementOptions, runAgreementCommand } from '../../../src/main/cli/agreementCommand'
import { UserError } from '../../../src/main/errors'
import { tempDir } from '../../helpers/paths'

let dir: ReturnType<typeof tempDir>
beforeEach(() => (dir = tempDir()))
afterEach(() => dir.cleanup())

function file(name: string, text: string): string {
  const path = join(dir.path, name)
  writeFileSync(path, text)
  return path
}

/** Wikipedia's 50-item Cohen example in long format. */
function cohenCsv(): string {
  const lines = ['item,rater,value']
  let i = 0
  for (const [a, b, n] of [['yes', 'yes', 20], ['yes', 'no', 5], ['no', 'yes', 10], ['no', 'no', 15]] as const) {
    for (let k = 0; k < n; k++) {
      i++
      lines.push(`clip${i},Dr A,${a}`, `clip${i},Dr B,${b}`)
    }
  }
  return lines.join('\n') + '\n'
}

interface Out {
  file: string
  percentAgreement: { value: number; ci95: [number, number] }
  fleissKappa: { value: number; ci95: [number, number] }
  cohenKappa: { raters: [string, string]; value: number; ci95: [number, number] }[]
  bootstrap: { replicates: number; seed: number }
}

describe('lus-review agreement FILE.csv', () => {
  it('prints percent agreement, Fleiss and pairwise Cohen κ with 95% CIs as JSON', () => {
    const out = JSON.parse(runAgreementCommand(file('r.csv', cohenCsv()), { replicates: 400, seed: 3 })) as Out
    expect(out.percentAgreement.value).toBeCloseTo(0.7, 12)
    expect(out.cohenKappa).toHaveLength(1)
    expect(out.cohenKappa[0]!.raters).toEqual(['Dr A', 'Dr B'])
    expect(out.cohenKappa[0]!.value).toBeCloseTo(0.4, 12)
    for (const e of [out.percentAgreement, out.fleissKappa, out.cohenKappa[0]!]) {
      expect(e.ci95).toHaveLength(2)
      expect(e.ci95[0]).toBeLessThanOrEqual(e.value)
      expect(e.ci95[1]).toBeGreaterThanOrEqual(e.value)
    }
    expect(out.bootstrap).toMatchObject({ replicates: 400, seed: 3 })
  })

  it('defaults to 2000 replicates, seed 1, and is reproducible', () => {
    const path = file('r.csv', cohenCsv())
    const a = runAgreementCommand(path)
    expect((JSON.parse(a) as Out).bootstrap).toMatchObject({ replicates: 2000, seed: 1 })
    expect(runAgreementCommand(path)).toBe(a)
  })

  it('accepts extra columns, any column order, a BOM, CRLF, quoted values and empty values (not rated)', () => {
    const text = '\uFEFFvalue,Comment,Rater,Item\r\n"yes, sure",x,A,1\r\nno,,B,1\r\n,,C,1\r\nno,,A,2\r\nno,,B,2\r\n'
    const out = JSON.parse(runAgreementCommand(file('r.csv', text), { replicates: 0 })) as Out & { raters: string[]; ratings: number }
    expect(out.raters).toEqual(['A', 'B'])
    expect(out.ratings).toBe(4)
  })

  it('ignores a rating repeated with the same value', () => {
    const out = JSON.parse(runAgreementCommand(file('r.csv', 'item,rater,value\n1,A,x\n1,A,x\n1,B,x\n'), { replicates: 0 })) as { ratings: number }
    expect(out.ratings).toBe(2)
  })

  const bad: [string, string, RegExp][] = [
    ['an empty file', '', /r\.csv is empty/],
    ['a header only', 'item,rater,value\n', /r\.csv has a header but no ratings/],
    ['a missing column', 'item,rater,score\n1,A,x\n', /r\.csv line 1: missing column value/],
    ['two missing columns', 'id,score\n1,x\n', /r\.csv line 1: missing columns item, rater, value/],
    ['a conflicting double rating', 'item,rater,value\n1,A,x\n1,B,x\n2,A,y\n1,A,z\n', /r\.csv line 5: rater "A" rated item "1" twice with different values \("x" on line 2, "z" here\)/],
    ['a short row', 'item,rater,value\n1,A,x\n1,B\n', /r\.csv line 3: 2 fields, but the header has 3/],
    ['an empty item', 'item,rater,value\n,A,x\n', /r\.csv line 2: the item is empty/],
    ['an unclosed quote', 'item,rater,value\n1,A,"x\n', /r\.csv line \d+: .*quote/i],
    ['one rater only', 'item,rater,value\n1,A,x\n2,A,y\n', /one rater only \(A\)/],
    ['no values at all', 'item,rater,value\n1,A,\n', /no ratings: every value is empty/]
  ]
  for (const [what, text, message] of bad) {
    it(`refuses ${what} with a message naming the file${/line/.test(message.source) ? ' and line' : ''}`, () => {
      const path = file('r.csv', text)
      expect(() => runAgreementCommand(path, { replicates: 0 })).toThrow(UserError)
      expect(() => runAgreementCommand(path, { replicates: 0 })).toThrow(message)
    })
  }

  it('refuses a file that does not exist', () => {
    expect(() => runAgreementCommand(join(dir.path, 'nope.csv'))).toThrow(/Cannot read .*nope\.csv/)
  })

  it('parses and checks --seed and --replicates', () => {
    expect(agreementOptions('5', '100')).toEqual({ seed: 5, replicates: 100 })
    expect(agreementOptions(undefined, undefined)).toEqual({})
    expect(() => agreementOptions('x', undefined)).toThrow(/--seed must be a whole number/)
    expect(() => runAgreementCommand(file('r.csv', cohenCsv()), { replicates: 1e6 })).toThrow(/--replicates/)
  })
})
