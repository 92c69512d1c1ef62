import { describe, expect, it } from 'vitest'
import {
  cellValueText,
  csvSpellingText,
  facetValueText,
  isCaseOnlyEntryWarning,
  isCaseOnlyNormalisation,
  missingMediaText,
  percentText,
  percentWidth,
  vocabularyText
} from '../../../../src/renderer/src/ui/format'

describe("physicians' words for CSV cells", () => {
  it('findings read Present / Absent / Not assessed', () => {
    expect(cellValueText('B-lines', '1')).toBe('Present')
    expect(cellValueText('B-lines', '0')).toBe('Absent')
    expect(cellValueText('Effusion', '')).toBe('Not assessed')
  })

  it('symptoms read Yes / No / Not applicable, n/A and empty alike', () => {
    expect(cellValueText('Fever', '1')).toBe('Yes')
    expect(cellValueText('Fever', '0')).toBe('No')
    expect(cellValueText('Cough', 'n/A')).toBe('Not applicable')
    expect(cellValueText('Cough', '')).toBe('Not applicable')
  })

  it('labels, type, probe and gender read as words; unknown values as written', () => {
    expect(cellValueText('Label', 'regular')).toBe('Healthy')
    expect(cellValueText('Label', 'COVID-19')).toBe('COVID-19')
    expect(cellValueText('Type', 'Image')).toBe('Image')
    expect(cellValueText('Type', 'video')).toBe('Video')
    expect(cellValueText('Probe', 'convex')).toBe('Convex')
    expect(cellValueText('Gender', 'w')).toBe('Female')
    expect(cellValueText('B-lines', '2')).toBe('2')
    expect(cellValueText('Comments from web site', '')).toBe('(empty)')
    expect(cellValueText('MD2', null)).toBe('(none)')
  })

  it('keeps the CSV spelling for titles', () => {
    expect(csvSpellingText('n/A')).toBe('CSV: n/A')
    expect(csvSpellingText('')).toBe('CSV: empty cell')
  })

  it('type and probe facets read capitalised, blanks as (blank)', () => {
    expect(vocabularyText('image')).toBe('Image')
    expect(vocabularyText('LINEAR')).toBe('Linear')
    expect(vocabularyText('phased')).toBe('phased')
    expect(facetValueText('')).toBe('(blank)')
    expect(facetValueText('video')).toBe('Video')
  })
})

describe('case-only normalisations', () => {
  it('are told apart from real ones', () => {
    expect(isCaseOnlyNormalisation('"Image" read as "image"')).toBe(true)
    expect(isCaseOnlyNormalisation('"Convex" read as "convex"')).toBe(true)
    expect(isCaseOnlyNormalisation('" image" read as "image"')).toBe(false)
    expect(isCaseOnlyNormalisation('"2" is not 1, 0 or empty; read as not assessed')).toBe(false)
    expect(isCaseOnlyNormalisation('label "covid" read as covid')).toBe(false)
    expect(isCaseOnlyEntryWarning('Type: "Image" read as "image"')).toBe(true)
    expect(isCaseOnlyEntryWarning('Type: unknown type "gif"')).toBe(false)
  })
})

/** What a browser accepts as a percentage width. */
const CSS_LENGTH = /^\d+(\.\d+)?%$/

describe('model and media wording', () => {
  it('reads confidence as a rounded percentage', () => {
    expect(percentText(0.6249)).toBe('62 %')
    expect(percentText(1)).toBe('100 %')
    expect(percentText(null)).toBe('—')
  })

  it('gives a bar a CSS length, without the space of the text', () => {
    expect(percentWidth(0.052)).toBe('5.2%')
    expect(percentWidth(1)).toBe('100.0%')
    expect(CSS_LENGTH.test(percentWidth(0.8519))).toBe(true)
  })

  it('says where a row without media can be rebuilt from', () => {
    expect(missingMediaText('butterfly')).toBe('Not in the repository — rebuild from Butterfly')
    expect(missingMediaText('web')).toBe('Not in the repository — rebuild from web sources')
    expect(missingMediaText(null)).toBe('Not in the repository — no public source to rebuild from')
  })
})
