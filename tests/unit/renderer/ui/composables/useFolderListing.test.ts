/**
 * The folder browser's listing against a fake API: what it asks files/list,
 * and that a folder which cannot be listed leaves the last listing in place.
 */
import { describe, expect, it } from 'vitest'
import type { LusApi } from '../../../../../src/shared/contract'
import { provideApi } from '../../../../../src/renderer/src/api'
import { useFolderListing } from '../../../../../src/renderer/src/ui/composables/useFolderListing'

const HOME = { folder: '/home/md', parent: null, roots: [{ name: 'Home', path: '/home/md' }], entries: [], truncated: false }

function fakeApi(answers: unknown[]) {
  const calls: [string, unknown][] = []
  const handler = (op: string) => async (args: unknown) => {
    calls.push([op, args])
    return answers.shift()
  }
  provideApi(new Proxy({}, { get: (_t, op: string) => handler(op) }) as LusApi)
  return calls
}

describe('useFolderListing', () => {
  it('asks for the folder with the files wanted, and hidden names only when they are shown', async () => {
    const calls = fakeApi([
      { ok: true, value: HOME },
      { ok: true, value: HOME }
    ])
    let hidden = false
    const folder = useFolderListing(
      () => ['zip'],
      () => hidden
    )
    expect(await folder.list('/home/md')).toBe(true)
    hidden = true
    await folder.list(null)
    expect(calls).toEqual([
      ['files/list', { path: '/home/md', files: ['zip'] }],
      ['files/list', { files: ['zip'], showHidden: true }]
    ])
    expect(folder.listing.value).toEqual(HOME)
    expect(folder.loading.value).toBe(false)
  })

  it('keeps the listing shown when the next folder cannot be listed, with the error, until one can', async () => {
    fakeApi([
      { ok: true, value: HOME },
      { ok: false, error: { code: 'forbidden', message: 'Outside the places you may browse.' } },
      { ok: true, value: HOME }
    ])
    const folder = useFolderListing(
      () => 'none',
      () => false
    )
    await folder.list(null)
    expect(await folder.list('/etc')).toBe(false)
    expect(folder.listing.value).toEqual(HOME)
    expect(folder.error.value).toBe('Outside the places you may browse.')
    await folder.list('/home/md')
    expect(folder.error.value).toBeNull()
  })
})
