import { describe, expect, it } from 'vitest'
import { preparedOnce } from '../../../src/main/catalog/preparedOnce'

describe('a statement prepared once', () => {
  it('is not prepared until first used, then reused', () => {
    let prepared = 0
    const statement = preparedOnce(() => ({ n: ++prepared }))
    expect(prepared).toBe(0)
    expect(statement()).toBe(statement())
    expect(prepared).toBe(1)
  })
})
