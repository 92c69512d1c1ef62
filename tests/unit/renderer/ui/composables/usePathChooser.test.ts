/**
 * The renderer's path chooser against a fake API: a choice or a cancel from
 * the app's dialog, serve mode's "browse" handing over to the folder browser
 * (whose answer settles the same promise), and the path helpers.
 */
import { describe, expect, it } from 'vitest'
import type { LusApi } from '../../../../../src/shared/contract'
import { provideApi } from '../../../../../src/renderer/src/api'
import { folderOf, joinPath, usePathChooser } from '../../../../../src/renderer/src/ui/composables/usePathChooser'

function fakeApi(answer: unknown) {
  const calls: [string, unknown][] = []
  const handler = (op: string) => async (args: unknown) => {
    calls.push([op, args])
    return answer
  }
  provideApi(new Proxy({}, { get: (_t, op: string) => handler(op) }) as LusApi)
  return calls
}

describe('usePathChooser', () => {
  it('answers the path the app’s dialog chose, asking the operation of the kind', async () => {
    const calls = fakeApi({ ok: true, value: { outcome: 'chosen', path: '/home/md/data' } })
    const chooser = usePathChooser()
    expect(await chooser.choose({ kind: 'folder', title: 'Dataset folder', defaultPath: '/home/md' })).toBe('/home/md/data')
    expect(calls).toEqual([['files/chooseFolder', { title: 'Dataset folder', defaultPath: '/home/md' }]])
    expect(chooser.browsing.value).toBeNull()
  })

  it('answers null for a cancel, and keeps the error of a failed call', async () => {
    fakeApi({ ok: true, value: { outcome: 'canceled' } })
    expect(await usePathChooser().choose({ kind: 'file', title: 'x' })).toBeNull()
    fakeApi({ ok: false, error: { code: 'forbidden', message: 'Not here.' } })
    const chooser = usePathChooser()
    expect(await chooser.choose({ kind: 'file', title: 'x' })).toBeNull()
    expect(chooser.error.value).toBe('Not here.')
  })

  it('suggests the save name in the folder of the current value', async () => {
    const calls = fakeApi({ ok: true, value: { outcome: 'canceled' } })
    const filters = [{ name: 'Zip archive', extensions: ['zip'] }]
    await usePathChooser().choose({ kind: 'save', title: 'Save', suggestedName: 'submission.zip', defaultPath: '/home/md/old.zip', filters })
    await usePathChooser().choose({ kind: 'save', title: 'Save', suggestedName: 'submission.zip' })
    expect(calls).toEqual([
      ['files/chooseSave', { title: 'Save', defaultPath: '/home/md/submission.zip', filters }],
      ['files/chooseSave', { title: 'Save', defaultPath: 'submission.zip' }]
    ])
  })

  it('opens the folder browser on "browse" and answers what it chose, or null when it was closed', async () => {
    fakeApi({ ok: true, value: { outcome: 'browse' } })
    const chooser = usePathChooser()
    const pending = chooser.choose({ kind: 'folder', title: 'Dataset folder' })
    await Promise.resolve()
    await Promise.resolve()
    expect(chooser.browsing.value).toEqual({ kind: 'folder', title: 'Dataset folder' })
    chooser.finish('/work/shared/lus-dataset')
    expect(await pending).toBe('/work/shared/lus-dataset')
    expect(chooser.browsing.value).toBeNull()

    const closed = chooser.choose({ kind: 'file', title: 'crop.json' })
    await Promise.resolve()
    await Promise.resolve()
    chooser.finish(null)
    expect(await closed).toBeNull()
  })
})

describe('path helpers', () => {
  it('take the folder of a path and join a name with the separator it uses', () => {
    expect(folderOf('/home/md/study.zip')).toBe('/home/md')
    expect(folderOf('/study.zip')).toBe('/')
    expect(folderOf('C:\\Users\\md\\study.zip')).toBe('C:\\Users\\md')
    expect(folderOf('study.zip')).toBeNull()
    expect(joinPath('/home/md', 'a.zip')).toBe('/home/md/a.zip')
    expect(joinPath('/', 'a.zip')).toBe('/a.zip')
    expect(joinPath('C:\\Users\\md', 'a.zip')).toBe('C:\\Users\\md\\a.zip')
  })
})
