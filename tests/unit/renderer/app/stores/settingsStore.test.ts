/** Edits need the reviewer's name; these pin when the name dialog opens, what is saved, and that the edit held back runs once, and only once a name is set. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { FakeApi } from '../../helpers/fakeApi'
import { provideApi } from '../../../../../src/renderer/src/api'
import { useSettingsStore } from '../../../../../src/renderer/src/app/stores/settingsStore'

let fake: FakeApi

beforeEach(() => {
  setActivePinia(createPinia())
  fake = new FakeApi()
  provideApi(fake.api)
})

describe('settings store: the reviewer’s name', () => {
  it('does not ask for a name on first start before main has answered', () => {
    const settings = useSettingsStore()
    expect(settings.ensureName('first-start')).toBe(false)
    expect(settings.nameDialogOpen).toBe(false)
  })

  it('asks on first start when main holds no name, and not when it does', async () => {
    fake.ok('settings/get', { userName: null })
    const settings = useSettingsStore()
    await settings.load()
    expect(settings.ensureName('first-start')).toBe(false)
    expect(settings.nameDialogOpen).toBe(true)
    expect(settings.nameDialogReason).toBe('first-start')

    setActivePinia(createPinia())
    fake.ok('settings/get', { userName: 'Ada' })
    const named = useSettingsStore()
    await named.load()
    expect(named.ensureName('edit')).toBe(true)
    expect(named.nameDialogOpen).toBe(false)
  })

  it('treats a blank name as none', async () => {
    fake.ok('settings/get', { userName: '   ' })
    const settings = useSettingsStore()
    await settings.load()
    expect(settings.hasName).toBe(false)
  })

  it('saves the trimmed name, closes the dialog and makes the edit that waited for it', async () => {
    fake.ok('settings/get', { userName: null })
    fake.ok('settings/setUserName', ({ name }) => ({ userName: name }))
    const settings = useSettingsStore()
    await settings.load()
    let retried = 0
    settings.ensureName('edit', () => void retried++)
    expect(await settings.setUserName('  Ada Lovelace ')).toBe(true)
    expect(fake.sent('settings/setUserName')).toEqual([{ name: 'Ada Lovelace' }])
    expect(settings.userName).toBe('Ada Lovelace')
    expect(settings.nameDialogOpen).toBe(false)
    expect(retried).toBe(1)
  })

  it('keeps the dialog open on a refusal, and drops the waiting edit when it is closed', async () => {
    fake.ok('settings/get', { userName: null })
    fake.fail('settings/setUserName', 'bad_input', 'A name is at most 80 characters.')
    const settings = useSettingsStore()
    await settings.load()
    let retried = 0
    settings.ensureName('edit', () => void retried++)
    expect(await settings.setUserName('x'.repeat(81))).toBe(false)
    expect(settings.error).toBe('A name is at most 80 characters.')
    expect(settings.nameDialogOpen).toBe(true)
    settings.closeNameDialog()
    fake.ok('settings/setUserName', ({ name }) => ({ userName: name }))
    await settings.setUserName('Ada')
    expect(retried).toBe(0)
  })

  it('says why the settings could not be read', async () => {
    fake.fail('settings/get', 'internal', 'settings table missing')
    const settings = useSettingsStore()
    await settings.load()
    expect(settings.error).toBe('settings table missing')
    expect(settings.loaded).toBe(false)
  })
})
