import { describe, expect, it } from 'vitest'
import { utf8OrNull } from '../../../src/main/fs/utf8Name'

describe('utf8OrNull', () => {
  it('reads valid UTF-8 and refuses anything else', () => {
    expect(utf8OrNull(Buffer.from('Lunge ü.mp4', 'utf8'))).toBe('Lunge ü.mp4')
    expect(utf8OrNull(Buffer.from([0x61, 0xff, 0x62]))).toBeNull()
    expect(utf8OrNull(Buffer.from([0xc3]))).toBeNull()
  })
})
