import { describe, expect, it } from 'vitest'
import { parseMediaPath } from '../../../src/main/media/mediaRoutes'

describe('parseMediaPath', () => {
  it.each([
    ['7', { id: 7, variant: 'original' }],
    ['7/playback', { id: 7, variant: 'playback' }],
    ['123/thumb', { id: 123, variant: 'thumb' }]
  ])('reads %s', (path, expected) => {
    expect(parseMediaPath(path)).toEqual(expected)
  })

  it.each(['', '0', '07', '-1', '1.5', '1e3', '7/', '7/playback/', '7/thumb/x', '7/../8', '7/Playback', 'x/thumb', '99999999999999999', '%37'])(
    'refuses %j',
    (path) => {
      expect(parseMediaPath(path)).toBeNull()
    }
  )
})
