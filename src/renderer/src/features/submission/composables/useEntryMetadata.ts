/**
 * Step 3, licence and provenance: the contributed clip's licence (with its
 * link), where it came from and its media type, written into its CSV cells
 * as one audited edit by the reviewer named in the settings.
 */
import { reactive, ref, type Ref } from 'vue'
import type { EntryDetail } from '../../../../../shared/contract'
import { KNOWN_LICENSES, LICENSE_LINKS, type KnownLicense } from '../../../../../shared/submissionContract'
import { CSV_COLUMNS, type MediaType } from '../../../../../shared/vocabulary'
import { useApi } from '../../../api'

const CSV_INDEX = new Map<string, number>(CSV_COLUMNS.map((c, i) => [c, i]))

const cellOf = (d: EntryDetail, column: string): string => {
  const i = CSV_INDEX.get(column)
  return i === undefined ? '' : (d.cells[i] ?? '')
}

export function useEntryMetadata(deps: {
  entryId: Ref<number | null>
  /** Asks for the reviewer's name first when none is set (the settings store's ensureName). */
  ensureName: (retry: () => void) => boolean
  /** Shows the saved entry in the review and the catalog. */
  applyDetail: (detail: EntryDetail) => void
}) {
  const api = useApi()
  const metaForm = reactive<{ license: KnownLicense | ''; provenance: string; type: MediaType | '' }>({ license: '', provenance: '', type: '' })
  const metaError = ref<string | null>(null)
  const metaSaved = ref(false)
  const savingMeta = ref(false)

  function fillMetaForm(d: EntryDetail): void {
    const license = cellOf(d, 'License')
    metaForm.license = (KNOWN_LICENSES as readonly string[]).includes(license) ? (license as KnownLicense) : ''
    metaForm.provenance = cellOf(d, 'URL (Video Name)')
    const type = cellOf(d, 'Type').toLowerCase()
    metaForm.type = type === 'video' || type === 'image' ? type : ''
    metaSaved.value = false
  }

  async function saveMeta(): Promise<void> {
    const id = deps.entryId.value
    if (id === null) return
    if (!deps.ensureName(() => void saveMeta())) return
    savingMeta.value = true
    metaError.value = null
    metaSaved.value = false
    const cells: Partial<Record<'License' | 'LinkToLicense' | 'URL (Video Name)' | 'Type', string>> = {
      'URL (Video Name)': metaForm.provenance.trim()
    }
    if (metaForm.license !== '') {
      cells.License = metaForm.license
      cells.LinkToLicense = LICENSE_LINKS[metaForm.license]
    }
    if (metaForm.type !== '') cells.Type = metaForm.type
    const result = await api['catalog/update']({ id, cells })
    savingMeta.value = false
    if (!result.ok) {
      metaError.value = result.error.message
      return
    }
    deps.applyDetail(result.value)
    metaSaved.value = true
  }

  return { metaForm, metaError, metaSaved, savingMeta, fillMetaForm, saveMeta }
}
