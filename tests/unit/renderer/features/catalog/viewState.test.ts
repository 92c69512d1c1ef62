import { describe, expect, it } from 'vitest'
import { emptyQuery } from '../../../../../src/shared/catalogQuery'
import { parseViewState, readViewState, reviewableFirst, viewStateKey, writeViewState, type ViewState } from '../../../../../src/renderer/src/features/catalog/viewState'

const state: ViewState = {
  query: { ...emptyQuery(), labels: ['covid'], probes: ['linear'], types: [], mediaStatuses: [], licenses: [], search: 'pleural', sortKey: 'filename', sortDescending: true },
  predictions: { predicted: 'covid', maxConfidence: 0.6, disagreement: 'disagrees', sort: 'entropy-desc' },
  selectedId: 42
}

function memoryStorage(): Storage {
  const m = new Map<string, string>()
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    clear: () => m.clear(),
    key: (i: number) => [...m.keys()][i] ?? null,
    get length() {
      return m.size
    }
  }
}

describe('catalog view state', () => {
  it('round-trips through storage, one key per catalog', () => {
    const storage = memoryStorage()
    writeViewState(storage, '/a/catalog.db', state)
    expect(readViewState(storage, '/a/catalog.db')).toEqual(state)
    expect(readViewState(storage, '/b/catalog.db')).toBeNull()
    expect(viewStateKey('/a/catalog.db')).not.toBe(viewStateKey('/b/catalog.db'))
  })

  it('drops what it cannot trust', () => {
    expect(parseViewState('not json')).toBeNull()
    expect(parseViewState(JSON.stringify({ ...state, query: { ...state.query, sortKey: 'nonsense' } }))).toBeNull()
    expect(parseViewState(JSON.stringify({ ...state, predictions: { ...state.predictions, maxConfidence: 9 } }))).toBeNull()
    expect(parseViewState(JSON.stringify({ ...state, selectedId: -1 }))).toBeNull()
    expect(parseViewState(null)).toBeNull()
  })

  it('survives a storage that throws', () => {
    const broken = { getItem: () => { throw new Error('denied') }, setItem: () => { throw new Error('full') } }
    expect(readViewState(broken, '/a')).toBeNull()
    expect(() => writeViewState(broken, '/a', state)).not.toThrow()
  })
})

describe('default order', () => {
  it('puts reviewable clips first and keeps the order within each part', () => {
    const rows = [
      { id: 1, mediaStatus: 'missing' },
      { id: 2, mediaStatus: 'linked' },
      { id: 3, mediaStatus: 'unreadable' },
      { id: 4, mediaStatus: 'linked' },
      { id: 5, mediaStatus: 'missing' }
    ]
    expect(reviewableFirst(rows).map((r) => r.id)).toEqual([2, 4, 1, 3, 5])
    expect(reviewableFirst([])).toEqual([])
  })
})
