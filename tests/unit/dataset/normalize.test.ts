import { describe, expect, it } from 'vitest'
import { columnIndex, normalizeLabel, normalizeRecord, parseDatasetDate } from '../../../src/main/dataset/normalize'
import { CSV_COLUMNS } from '../../../src/shared/vocabulary'

const cellsWith = (values: Partial<Record<(typeof CSV_COLUMNS)[number], string>>): string[] => {
  const cells = CSV_COLUMNS.map(() => '')
  for (const [k, v] of Object.entries(values)) cells[columnIndex(k as (typeof CSV_COLUMNS)[number])] = v!
  return cells
}

describe('normalization of dataset cells', () => {
  it.each([
    ['COVID-19', 'covid', false],
    ['Bacterial pneumonia', 'bacterial_pneumonia', false],
    ['Viral pneumonia', 'viral_pneumonia', false],
    ['regular', 'healthy', false],
    ['Regular', 'healthy', true],
    ['Martian flu', 'other', true]
  ] as const)('label %s → %s (warning: %s)', (raw, label, warns) => {
    const r = normalizeLabel(raw)
    expect(r.label).toBe(label)
    expect(r.warning !== undefined).toBe(warns)
  })

  it('reads dd.mm.yy dates and refuses impossible ones', () => {
    expect(parseDatasetDate('20.04.20')).toBe('2020-04-20')
    expect(parseDatasetDate('08.08.2020')).toBe('2020-08-08')
    expect(parseDatasetDate('31.02.20')).toBeNull()
    expect(parseDatasetDate('0')).toBeNull()
  })

  it('maps pathologies (1/0/empty) and symptoms (1/0/n/A)', () => {
    const { fields, warnings } = normalizeRecord(
      cellsWith({ Label: 'COVID-19', Type: 'video', Probe: 'convex', 'B-lines': '1', Effusion: '0', Fever: '1', Cough: 'n/A', Headache: '0' })
    )
    expect(fields.pathologies['B-lines']).toBe('present')
    expect(fields.pathologies['Effusion']).toBe('absent')
    expect(fields.pathologies['Consolidations']).toBe('not_assessed')
    expect(fields.symptoms['Fever']).toBe('yes')
    expect(fields.symptoms['Cough']).toBe('n/A')
    expect(fields.symptoms['Headache']).toBe('no')
    expect(warnings).toEqual([])
  })

  it('normalizes Image/Regular/nd/n/A and reports what it changed', () => {
    const { fields, warnings } = normalizeRecord(
      cellsWith({ Label: 'Regular', Type: 'Image', Probe: 'linear', Gender: 'nd', Age: 'n/A', Framerate: 'n/a', 'Date added': '0' })
    )
    expect(fields).toMatchObject({ label: 'healthy', type: 'image', probe: 'linear', gender: null, age: null, framerate: null, dateAdded: null })
    expect(warnings.map((w) => w.column)).toEqual(['Label', 'Date added', 'Type'])
  })

  it('reads numbers and genders', () => {
    const { fields } = normalizeRecord(cellsWith({ Label: 'COVID-19', Type: 'video', Probe: 'convex', Age: '54', Gender: 'w', Framerate: '25', 'Length (frames)': '300' }))
    expect(fields).toMatchObject({ age: 54, gender: 'female', framerate: 25, lengthFrames: 300 })
  })

  it('warns on values it cannot read, without throwing', () => {
    const { fields, warnings } = normalizeRecord(cellsWith({ Label: 'COVID-19', Type: 'clip', Probe: 'phased', Effusion: 'maybe', Age: 'old' }))
    expect(fields.type).toBeNull()
    expect(fields.probe).toBeNull()
    expect(fields.pathologies['Effusion']).toBe('not_assessed')
    expect(warnings.map((w) => w.column).sort()).toEqual(['Age', 'Effusion', 'Probe', 'Type'])
  })
})
