/**
 * Exports the catalog back to the dataset's CSV layout. Without an output path
 * main returns the text, which the renderer saves through a download so the
 * same flow works under Electron and in a browser.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useApi } from '../../../api'
import { downloadText } from '../../../api/download'

export const EXPORT_FILENAME = 'dataset_metadata.csv'

export const useExportStore = defineStore('export', () => {
  const api = useApi()
  const exporting = ref(false)
  const error = ref<string | null>(null)
  const lastRows = ref<number | null>(null)
  /** Where the last export went, in words for the status bar: a silent download left people looking for the file. */
  const lastSaved = ref<string | null>(null)

  /** With `outPath` (a path the user chose) main writes the file; without, the text comes back and is downloaded. */
  async function exportCsv(outPath?: string): Promise<void> {
    if (exporting.value) return
    exporting.value = true
    error.value = null
    lastSaved.value = null
    const result = await api['dataset/exportCsv'](outPath ? { outPath } : {})
    exporting.value = false
    if (!result.ok) {
      error.value = result.error.message
      return
    }
    const rows = result.value.rows
    const quoted = result.value.neutralizedCells > 0 ? `; ${result.value.neutralizedCells} formula-like cells written with a leading quote` : ''
    if (outPath) {
      lastRows.value = rows
      lastSaved.value = `Exported ${rows} rows to ${outPath}${quoted}`
      return
    }
    if (result.value.csv === null) {
      error.value = 'The export produced no CSV text.'
      return
    }
    downloadText(EXPORT_FILENAME, result.value.csv, 'text/csv;charset=utf-8')
    lastRows.value = rows
    lastSaved.value = `Exported ${rows} rows as ${EXPORT_FILENAME}, saved by the browser as a download (usually your Downloads folder)${quoted}`
  }

  /**
   * The header's and the menu's Export CSV: in the app, the system's save
   * dialog says where the file goes and main writes it there; in serve mode
   * (main answers `browse`: no dialog can open where the browser runs) the
   * browser's own download does, and the status bar names the file.
   */
  async function exportCsvChoosingPlace(): Promise<void> {
    if (exporting.value) return
    error.value = null
    const place = await api['files/chooseSave']({ title: 'Export the catalog as CSV', defaultPath: EXPORT_FILENAME, filters: [{ name: 'CSV', extensions: ['csv'] }] })
    if (!place.ok) {
      error.value = place.error.message
      return
    }
    if (place.value.outcome === 'canceled') return
    await exportCsv(place.value.outcome === 'chosen' ? place.value.path : undefined)
  }

  function dismissSaved(): void {
    lastSaved.value = null
  }

  function dismissError(): void {
    error.value = null
  }

  return { exporting, error, lastRows, lastSaved, exportCsv, exportCsvChoosingPlace, dismissError, dismissSaved }
})
