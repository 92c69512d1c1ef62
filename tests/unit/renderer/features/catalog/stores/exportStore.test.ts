import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { LusApi } from '../../../../../../src/shared/contract'

const downloads: string[] = []
vi.mock('../../../../../../src/renderer/src/api/download', () => ({ downloadText: (name: string) => void downloads.push(name) }))

const { provideApi } = await import('../../../../../../src/renderer/src/api')
const { useExportStore } = await import('../../../../../../src/renderer/src/features/catalog/stores/exportStore')

type Choice = { outcome: 'chosen'; path: string } | { outcome: 'canceled' } | { outcome: 'browse' }

/** A fake API answering the save dialog with `choice` and recording each export's arguments. */
function fakeApi(choice: Choice): { exports: unknown[] } {
  const exports: unknown[] = []
  const api = {
    'files/chooseSave': async () => ({ ok: true, value: choice }),
    'dataset/exportCsv': async (args: { outPath?: string }) => {
      exports.push(args)
      return { ok: true, value: { rows: 375, bytes: 1000, neutralizedCells: 0, csv: args.outPath ? null : 'a,b\r\n' } }
    }
  }
  provideApi(api as unknown as LusApi)
  return { exports }
}

describe('useExportStore: Export CSV says where the file goes', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    downloads.length = 0
  })

  it('in the app, writes where the save dialog chose and names that path', async () => {
    const { exports } = fakeApi({ outcome: 'chosen', path: '/home/ada/exports/dataset_metadata.csv' })
    const store = useExportStore()
    await store.exportCsvChoosingPlace()
    expect(exports).toEqual([{ outPath: '/home/ada/exports/dataset_metadata.csv' }])
    expect(downloads).toEqual([])
    expect(store.lastSaved).toBe('Exported 375 rows to /home/ada/exports/dataset_metadata.csv')
  })

  it('writes nothing when the dialog is cancelled', async () => {
    const { exports } = fakeApi({ outcome: 'canceled' })
    const store = useExportStore()
    await store.exportCsvChoosingPlace()
    expect(exports).toEqual([])
    expect(store.lastSaved).toBeNull()
  })

  it('in serve mode, downloads and names the download', async () => {
    const { exports } = fakeApi({ outcome: 'browse' })
    const store = useExportStore()
    await store.exportCsvChoosingPlace()
    expect(exports).toEqual([{}])
    expect(downloads).toEqual(['dataset_metadata.csv'])
    expect(store.lastSaved).toMatch(/^Exported 375 rows as dataset_metadata\.csv, saved by the browser as a download/)
  })
})
