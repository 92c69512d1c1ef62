import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { rebuildSourceOf } from '../../../src/shared/rebuildSource'

describe('rebuildSourceOf', () => {
  it('names the Butterfly gallery by file name, URL or location', () => {
    expect(rebuildSourceOf({ filename: 'Cov-Butterfly-Skip Lesion', location: '', url: '' })).toBe('butterfly')
    expect(rebuildSourceOf({ filename: 'x', location: 'butterfly', url: '' })).toBe('butterfly')
    expect(rebuildSourceOf({ filename: 'x', location: '', url: 'https://www.butterflynetwork.com/covid19 (Normal Lung)' })).toBe('butterfly')
  })

  it('names web sources by an http(s) URL, and nothing for donations', () => {
    expect(rebuildSourceOf({ filename: 'Cov-Atlas-Day+1', location: 'pocus_videos/convex', url: 'https://www.thepocusatlas.com/covid19' })).toBe('web')
    expect(rebuildSourceOf({ filename: 'Pat1', location: 'pocus_videos/linear', url: 'donation from Bolzano AG ' })).toBeNull()
    expect(rebuildSourceOf({ filename: 'Pat1', location: '', url: '' })).toBeNull()
  })

  it('on the shared dataset: every Butterfly clip the rebuild knows is named Butterfly', () => {
    const root = '/work/shared/lus-dataset'
    let names: string[]
    let rows: Record<string, string>[]
    try {
      names = JSON.parse(readFileSync(`${root}/data_from_butterfly.json`, 'utf8')) as string[]
      rows = parse(readFileSync(`${root}/dataset_metadata.csv`), { columns: true, bom: true }) as Record<string, string>[]
    } catch {
      return // the dataset is not on this machine
    }
    // As rebuildButterfly matches them: the name's stem, or the stem without the "…Butterfly-" prefix.
    const stems = new Set(names.flatMap((n) => [n, n.split('Butterfly-').pop()!].map((s) => s.replace(/\.[^.]+$/, ''))))
    const butterflyRows = rows.filter((r) => stems.has(r['Filename']!))
    expect(butterflyRows.length).toBeGreaterThanOrEqual(names.length - 1)
    for (const r of butterflyRows)
      expect(rebuildSourceOf({ filename: r['Filename']!, location: r['Current location']!, url: r['URL (Video Name)']! })).toBe('butterfly')
  })
})
