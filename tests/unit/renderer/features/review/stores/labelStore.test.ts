/** Labels are saved as they are clicked, one audited edit each, in order; these pin the cells sent (in the CSV's own spellings), the optimistic display and the name gate. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { deferred, FakeApi } from '../../../helpers/fakeApi'
import { stubWindow } from '../../../helpers/fakeWindow'
import { detail, historyStatus, summary } from '../../../helpers/fixtures'
import { provideApi } from '../../../../../../src/renderer/src/api'
import { useCatalogStore } from '../../../../../../src/renderer/src/features/catalog/stores/catalogStore'
import { nextPathologyState, nextSymptomState, useLabelStore } from '../../../../../../src/renderer/src/features/review/stores/labelStore'
import { useReviewStore } from '../../../../../../src/renderer/src/features/review/stores/reviewStore'
import { useSettingsStore } from '../../../../../../src/renderer/src/app/stores/settingsStore'
import type { EntryDetail } from '../../../../../../src/shared/contract'
import type { Result } from '../../../../../../src/shared/result'

let fake: FakeApi

/** Catalog loaded, clip 5 open for review, reviewer named (or not). */
async function openClip(userName: string | null = 'Ada'): Promise<ReturnType<typeof useLabelStore>> {
  fake.ok('app/info', { version: '0.1.0', transport: 'ipc', catalogPath: '/c.db', schemaVersion: 9, sources: [] })
  fake.ok('catalog/list', { entries: [summary(5)] })
  fake.ok('catalog/get', ({ id }) => detail(id, { Label: 'COVID-19', 'A-lines': '0' }))
  fake.ok('settings/get', { userName })
  fake.ok('history/status', historyStatus(null))
  await useCatalogStore().load()
  await useSettingsStore().load()
  await useReviewStore().open(5)
  fake.calls.length = 0
  return useLabelStore()
}

/** main's answer to an update: the clip with the new cells. */
const updated = (id: number, cells: Record<string, string>): EntryDetail => detail(id, { Label: 'COVID-19', 'A-lines': '0', ...cells })

beforeEach(() => {
  setActivePinia(createPinia())
  stubWindow('#/review/5')
  fake = new FakeApi()
  provideApi(fake.api)
})

describe('label store', () => {
  it('writes a label in the dataset’s own spelling, once, and shows it while the save is in flight', async () => {
    const labels = await openClip()
    const answer = deferred<Result<EntryDetail>>()
    fake.on('catalog/update', () => answer.promise)
    expect(labels.label).toBe('covid')
    labels.setLabel('healthy')
    expect(labels.saveState).toBe('saving')
    expect(labels.label).toBe('healthy')
    expect(labels.cell('Label')).toBe('regular')
    labels.setLabel('healthy')
    answer.resolve({ ok: true, value: updated(5, { Label: 'regular' }) })
    await labels.flushed()
    expect(fake.sent('catalog/update')).toEqual([{ id: 5, cells: { Label: 'regular' } }])
    expect(labels.saveState).toBe('saved')
    expect(useReviewStore().detail?.cells).toContain('regular')
    // The edit is on the undo stack now: the history store hears of it.
    expect(fake.ops()).toContain('history/status')
  })

  it('sends nothing when the cell already holds the value', async () => {
    const labels = await openClip()
    labels.setPathology('A-lines', 'absent')
    await labels.flushed()
    expect(fake.sent('catalog/update')).toEqual([])
    expect(labels.saveState).toBe('idle')
  })

  it('saves in the order the changes were made', async () => {
    const labels = await openClip()
    const order: string[] = []
    fake.on('catalog/update', async ({ cells }) => {
      order.push(JSON.stringify(cells))
      return { ok: true, value: updated(5, cells as Record<string, string>) }
    })
    labels.cyclePathology('B-lines')
    labels.setText('Age', '54')
    labels.setGender('female')
    await labels.flushed()
    expect(order).toEqual(['{"B-lines":"1"}', '{"Age":"54"}', '{"Gender":"w"}'])
  })

  it('shows main’s refusal and falls back to the stored value', async () => {
    const labels = await openClip()
    fake.fail('catalog/update', 'bad_input', 'Age must be a number.')
    labels.setText('Age', 'old')
    await labels.flushed()
    expect(labels.saveState).toBe('error')
    expect(labels.error).toBe('Age must be a number.')
    expect(labels.cell('Age')).toBe('')
    labels.dismissError()
    expect(labels.saveState).toBe('idle')
    expect(labels.error).toBeNull()
  })

  it('holds an edit back until the reviewer has a name, then makes it', async () => {
    const labels = await openClip(null)
    const settings = useSettingsStore()
    fake.ok('catalog/update', ({ id, cells }) => updated(id, cells as Record<string, string>))
    fake.ok('settings/setUserName', ({ name }) => ({ userName: name }))
    labels.setLabel('viral_pneumonia')
    await labels.flushed()
    expect(fake.sent('catalog/update')).toEqual([])
    expect(settings.nameDialogOpen).toBe(true)
    expect(settings.nameDialogReason).toBe('edit')
    await settings.setUserName('  Ada  ')
    expect(fake.sent('settings/setUserName')).toEqual([{ name: 'Ada' }])
    await labels.flushed()
    expect(fake.sent('catalog/update')).toEqual([{ id: 5, cells: { Label: 'Viral pneumonia' } }])
  })

  it('cycles findings and symptoms in the order the keys walk them', () => {
    expect(nextPathologyState('not_assessed')).toBe('present')
    expect(nextPathologyState('present')).toBe('absent')
    expect(nextPathologyState('absent')).toBe('not_assessed')
    expect(nextSymptomState('n/A')).toBe('yes')
    expect(nextSymptomState('yes')).toBe('no')
    expect(nextSymptomState('no')).toBe('n/A')
  })
})
