/**
 * Step 1, import: DICOM files by path with the metadata the contributor gives
 * them, and each imported entry's de-identification summary. A PACS pull
 * (usePacsImport) lands here too.
 */
import { computed, reactive, ref, type Ref } from 'vue'
import type { KnownLicense, SubmissionJob } from '../../../../../shared/submissionContract'
import type { Label, Probe } from '../../../../../shared/vocabulary'
import { callSubmission, type SubResult } from '../submissionApi'
import type { RunJob } from './useSubmissionJobs'

export type DeidSummary = SubResult<'submission/deidSummary'>
export type DicomImport = SubmissionJob['imports'][number]
export type ImportMetadata = { label?: Label; probe?: Probe; license?: KnownLicense; provenance?: string }

/** Paths typed one per line (or pasted with quotes), empty lines dropped. */
export function parsePaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^["']|["']$/g, ''))
    .filter((l) => l !== '')
}

export function useDicomImport(deps: {
  runJob: RunJob
  jobPurpose: Ref<string | null>
  jobError: Ref<string | null>
  reloadCatalog: () => Promise<void>
  selectEntry: (id: number) => Promise<void>
}) {
  const importForm = reactive<{ paths: string; label: Label | ''; probe: Probe | ''; license: KnownLicense | ''; provenance: string }>({
    paths: '',
    label: '',
    probe: '',
    license: '',
    provenance: ''
  })
  const imported = ref<DicomImport[]>([])
  const failures = ref<{ item: string; error: string }[]>([])
  const summaries = reactive(new Map<number, DeidSummary>())
  const summaryErrors = reactive(new Map<number, string>())
  const importedIds = computed(() => imported.value.map((i) => i.entryId))

  function importMetadata(): ImportMetadata {
    return {
      ...(importForm.label !== '' ? { label: importForm.label } : {}),
      ...(importForm.probe !== '' ? { probe: importForm.probe } : {}),
      ...(importForm.license !== '' ? { license: importForm.license } : {}),
      ...(importForm.provenance.trim() !== '' ? { provenance: importForm.provenance.trim() } : {})
    }
  }

  async function afterImport(done: SubmissionJob | null): Promise<void> {
    if (done === null) return
    failures.value = done.failures
    const known = new Set(imported.value.map((i) => i.entryId))
    imported.value = [...imported.value, ...done.imports.filter((i) => !known.has(i.entryId))]
    await deps.reloadCatalog()
    await Promise.all(done.imports.map((i) => loadSummary(i.entryId)))
    const first = done.imports[0]
    if (first !== undefined) await deps.selectEntry(first.entryId)
  }

  async function importDicom(): Promise<void> {
    const paths = parsePaths(importForm.paths)
    if (paths.length === 0) {
      deps.jobPurpose.value = 'import'
      deps.jobError.value = 'Enter the path of at least one DICOM file (one per line).'
      return
    }
    await afterImport(await deps.runJob('import', () => callSubmission('submission/importDicom', { paths, ...importMetadata() })))
  }

  async function loadSummary(entryId: number): Promise<void> {
    const result = await callSubmission('submission/deidSummary', { entryId })
    if (result.ok) {
      summaries.set(entryId, result.value)
      summaryErrors.delete(entryId)
    } else summaryErrors.set(entryId, result.error.message)
  }

  return { importForm, imported, importedIds, failures, summaries, summaryErrors, importMetadata, afterImport, importDicom, loadSummary }
}
