import { describe, expect, it } from 'vitest'
import { emptyQuery } from '../../../../../src/shared/catalogQuery'
import type { EntrySummary } from '../../../../../src/shared/contract'
import { LABEL_UNCERTAIN_SEARCH, previewSet, setQuery } from '../../../../../src/renderer/src/features/ratings/setQuery'

const entry = (mediaStatus: string, searchText: string): EntrySummary => ({ mediaStatus, searchText }) as unknown as EntrySummary

describe('setQuery', () => {
  it('copies the catalog view’s filter for a set from the filter', () => {
    const q = { ...emptyQuery(), labels: ['covid'], search: 'pleural', sortKey: 'filename' as const, sortDescending: true }
    const made = setQuery(q, 'filter')
    expect(made).toEqual(q)
    expect(made.labels).not.toBe(q.labels)
  })

  it('asks for the label-uncertain clips alone, in catalog order', () => {
    const q = { ...emptyQuery(), labels: ['covid'] }
    expect(setQuery(q, 'uncertain')).toEqual({ ...emptyQuery(), search: LABEL_UNCERTAIN_SEARCH, sortKey: 'row', sortDescending: false })
  })
})

describe('previewSet', () => {
  it('counts a filter set by media status, within the chosen statuses only', () => {
    const catalog = {
      query: { ...emptyQuery(), mediaStatuses: ['linked', 'Missing'] },
      entries: [],
      facetCounts: () =>
        new Map([
          ['linked', 5],
          ['missing', 2],
          ['unreadable', 4]
        ])
    }
    expect(previewSet(catalog, 'filter')).toEqual({ clips: 7, withoutMedia: 2 })
  })

  it('counts the label-uncertain clips from their search text', () => {
    const catalog = {
      query: emptyQuery(),
      entries: [entry('linked', `x ${LABEL_UNCERTAIN_SEARCH} y`), entry('missing', LABEL_UNCERTAIN_SEARCH), entry('linked', 'other')],
      facetCounts: () => new Map<string, number>()
    }
    expect(previewSet(catalog, 'uncertain')).toEqual({ clips: 2, withoutMedia: 1 })
  })
})
