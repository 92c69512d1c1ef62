/**
 * Exports the catalog back to the dataset's CSV layout. Without an output path
 * main returns the text, which the renderer saves through a download so the
 * same flow works under Electron and in a browser.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useApi } from '../api'
import { downloadText } from '../api/download'

export const EXPORT_FILENAME = 'dataset_metadata.csv'

export const useExportStore = defineStore('export', () => {
  const api = useApi()
  const exporting = ref(false)
  const error = ref<string | null>(null)
  const lastRows = ref<number | null>(null)

  async function exportCsv(): Promise<void> {
    if (exporting.value) return
    exporting.value = true
    error.value = null
    const result = await api['dataset/exportCsv']({})
    exporting.value = false
    if (!result.ok) {
      error.value = result.error.message
      return
    }
    if (result.value.csv === null) {
      error.value = 'The export produced no CSV text.'
      return
    }
    downloadText(EXPORT_FILENAME, result.value.csv, 'text/csv;charset=utf-8')
    lastRows.value = result.value.rows
  }

  function dismissError(): void {
    error.value = null
  }

  return { exporting, error, lastRows, exportCsv, dismissError }
})
