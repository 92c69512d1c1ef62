import { describe, expect, it } from 'vitest'
import { useEntryDetail } from '../../../../../../src/renderer/src/features/catalog/composables/useEntryDetail'
import { FakeApi } from '../../../helpers/fakeApi'
import { detail } from '../../../helpers/fixtures'

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('useEntryDetail', () => {
  it('shows what main answered, or why it refused, never both', async () => {
    const fake = new FakeApi().ok('catalog/get', ({ id }) => detail(id))
    const opened = useEntryDetail(fake.api)
    expect((await opened.load(4))?.summary.id).toBe(4)
    expect(opened.detail.value?.summary.id).toBe(4)
    fake.fail('catalog/get', 'not_found', 'No entry 9')
    expect(await opened.load(9)).toBeNull()
    expect(opened.id.value).toBe(9)
    expect(opened.detail.value).toBeNull()
    expect(opened.error.value).toBe('No entry 9')
    expect(opened.loading.value).toBe(false)
  })

  it('drops an answer overtaken by a newer request or by show()', async () => {
    const slow = deferred<ReturnType<typeof detail>>()
    const fake = new FakeApi().on('catalog/get', async ({ id }) => ({ ok: true, value: id === 1 ? await slow.promise : detail(id) }))
    const opened = useEntryDetail(fake.api)
    const first = opened.load(1)
    opened.show(detail(2))
    slow.resolve(detail(1))
    expect(await first).toBeNull()
    expect(opened.id.value).toBe(2)
    expect(opened.detail.value?.summary.id).toBe(2)
    expect(opened.loading.value).toBe(false)
  })

  it('keeps what is on screen when a reload fails', async () => {
    const fake = new FakeApi().ok('catalog/get', ({ id }) => detail(id))
    const opened = useEntryDetail(fake.api)
    await opened.load(3)
    fake.fail('catalog/get', 'internal', 'catalog closed')
    await opened.reload()
    expect(opened.detail.value?.summary.id).toBe(3)
  })
})
