import { describe, expect, it } from 'vitest'
import { FlagTally } from '../../../src/main/catalog/flagTally'

describe('FlagTally', () => {
  it('counts each state per label and flag, and an unstated or unknown value as the unknown state', () => {
    const t = new FlagTally(['Fever', 'Cough'] as const, ['yes', 'no', 'n/A'] as const, 'n/A')
    t.add('covid', { Fever: 'yes', Cough: 'no' })
    t.add('covid', { Fever: 'yes', Cough: 'maybe' })
    t.add('healthy', {})
    expect(t.rows()).toEqual([
      { label: 'covid', flag: 'Fever', counts: { yes: 2, no: 0, 'n/A': 0 } },
      { label: 'covid', flag: 'Cough', counts: { yes: 0, no: 1, 'n/A': 1 } },
      { label: 'healthy', flag: 'Fever', counts: { yes: 0, no: 0, 'n/A': 1 } },
      { label: 'healthy', flag: 'Cough', counts: { yes: 0, no: 0, 'n/A': 1 } }
    ])
  })
})
