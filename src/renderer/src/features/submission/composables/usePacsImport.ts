/**
 * Step 1 from a PACS instead of files: the server's address and credentials,
 * a study search, a study's series, and the pull, which imports like files do.
 */
import { reactive, ref, shallowRef } from 'vue'
import type { Result } from '../../../../../shared/result'
import type { SubmissionJob } from '../../../../../shared/submissionContract'
import { callSubmission, type SubResult } from '../submissionApi'
import type { ImportMetadata } from './useDicomImport'
import type { RunJob } from './useSubmissionJobs'

export type PacsConfig = SubResult<'pacs/config/get'>
export type PacsStudy = SubResult<'pacs/search'>['studies'][number]
export type PacsSeries = SubResult<'pacs/series'>['series'][number]

/** The form's dates are `YYYY-MM-DD` (date inputs); the operation takes `YYYYMMDD`. */
const compactDate = (d: string): string | undefined => (d === '' ? undefined : d.replaceAll('-', ''))

export function usePacsImport(deps: {
  runJob: RunJob
  importMetadata: () => ImportMetadata
  afterImport: (done: SubmissionJob | null) => Promise<void>
}) {
  const pacsConfig = shallowRef<PacsConfig | null>(null)
  const pacsForm = reactive({ url: '', username: '', password: '', forgetPassword: false })
  const pacsConfigError = ref<string | null>(null)
  const pacsConfigSaved = ref(false)
  const search = reactive({ patientId: '', patientName: '', dateFrom: '', dateTo: '', modality: 'US' })
  const studies = ref<PacsStudy[]>([])
  const searched = ref(false)
  const searching = ref(false)
  const searchError = ref<string | null>(null)
  const series = reactive(new Map<string, PacsSeries[]>())
  const seriesErrors = reactive(new Map<string, string>())

  /** Takes main's answer about the PACS settings (read or saved): the settings as stored, or null and why not. */
  function takeConfig(result: Result<PacsConfig>): PacsConfig | null {
    pacsConfigError.value = result.ok ? null : result.error.message
    if (!result.ok) return null
    pacsConfig.value = result.value
    return result.value
  }

  async function loadPacsConfig(): Promise<void> {
    const config = takeConfig(await callSubmission('pacs/config/get', {}))
    if (config === null) return
    pacsForm.url = config.url ?? ''
    pacsForm.username = config.username ?? ''
  }

  async function savePacsConfig(): Promise<void> {
    pacsConfigSaved.value = false
    const result = await callSubmission('pacs/config/set', {
      url: pacsForm.url.trim(),
      username: pacsForm.username.trim() === '' ? null : pacsForm.username.trim(),
      ...(pacsForm.forgetPassword ? { password: null } : pacsForm.password !== '' ? { password: pacsForm.password } : {})
    })
    if (takeConfig(result) === null) return
    pacsForm.password = ''
    pacsForm.forgetPassword = false
    pacsConfigSaved.value = true
  }

  async function searchPacs(): Promise<void> {
    searching.value = true
    searchError.value = null
    const dateFrom = compactDate(search.dateFrom)
    const dateTo = compactDate(search.dateTo)
    const result = await callSubmission('pacs/search', {
      ...(search.patientId.trim() !== '' ? { patientId: search.patientId.trim() } : {}),
      ...(search.patientName.trim() !== '' ? { patientName: search.patientName.trim() } : {}),
      ...(dateFrom !== undefined ? { dateFrom } : {}),
      ...(dateTo !== undefined ? { dateTo } : {}),
      ...(search.modality.trim() !== '' ? { modality: search.modality.trim() } : {}),
      limit: 200
    })
    searching.value = false
    searched.value = true
    if (!result.ok) {
      searchError.value = result.error.message
      studies.value = []
      return
    }
    studies.value = result.value.studies
  }

  async function loadSeries(studyUid: string): Promise<void> {
    const result = await callSubmission('pacs/series', { studyUid })
    if (result.ok) {
      series.set(studyUid, result.value.series)
      seriesErrors.delete(studyUid)
    } else seriesErrors.set(studyUid, result.error.message)
  }

  async function pullPacs(studyUid: string, seriesUid?: string): Promise<void> {
    await deps.afterImport(
      await deps.runJob('pacs', () =>
        callSubmission('pacs/pull', { studyUid, ...(seriesUid !== undefined ? { seriesUid } : {}), ...deps.importMetadata() })
      )
    )
  }

  return {
    pacsConfig,
    pacsForm,
    pacsConfigError,
    pacsConfigSaved,
    search,
    studies,
    searched,
    searching,
    searchError,
    series,
    seriesErrors,
    loadPacsConfig,
    savePacsConfig,
    searchPacs,
    loadSeries,
    pullPacs
  }
}
