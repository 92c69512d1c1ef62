/**
 * Labeling of the clip under review, saved as it happens: every choice is
 * written at once into the entry's CSV cells (in the dataset's own spellings,
 * see csvConventions) through `catalog/update`, one audited, undoable action
 * per change. Saves run one after another in the order they were made, and
 * the panel shows the chosen value at once while its save is in flight.
 */
import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import type { EntryDetail } from '../../../../../shared/contract'
import { genderToCsv, labelToCsv, pathologyToCsv, symptomToCsv } from '../../../../../shared/csvConventions'
import {
  CSV_COLUMNS,
  LABEL_INFO,
  LABELS,
  PATHOLOGY_STATES,
  SYMPTOM_STATES,
  type CsvColumn,
  type Label,
  type Pathology,
  type PathologyState,
  type Symptom,
  type SymptomState
} from '../../../../../shared/vocabulary'
import { useApi } from '../../../api'
import { useCatalogStore } from '../../catalog'
import { useHistoryStore } from './historyStore'
import { useReviewStore } from './reviewStore'
import { useSettingsStore } from '../../../app/stores/settingsStore'

export type SaveState = 'idle' | 'saving' | 'saved' | 'error'
export type Gender = 'male' | 'female' | null

/** The free-text cells the panel edits, by the CSV's own column names. */
export const TEXT_FIELDS = {
  age: 'Age',
  patientId: 'Patient ID / Name',
  area: 'Area according to DEGUM',
  probe: 'Probe',
  comments: 'Comments first medical doctor (MD1)'
} as const satisfies Record<string, CsvColumn>

const columnIndex = (column: CsvColumn): number => CSV_COLUMNS.indexOf(column)

const pathologyFromCsv = (cell: string): PathologyState =>
  cell.trim() === '1' ? 'present' : cell.trim() === '0' ? 'absent' : 'not_assessed'
const symptomFromCsv = (cell: string): SymptomState => (cell.trim() === '1' ? 'yes' : cell.trim() === '0' ? 'no' : 'n/A')
const labelFromCsv = (cell: string): Label | null => LABELS.find((l) => LABEL_INFO[l].csv === cell) ?? null

/** The state a key press moves to: not assessed → present → absent → not assessed. */
export const nextPathologyState = (state: PathologyState): PathologyState =>
  PATHOLOGY_STATES[(PATHOLOGY_STATES.indexOf(state) + 1) % PATHOLOGY_STATES.length] ?? 'not_assessed'
/** n/A → yes → no → n/A. */
export const nextSymptomState = (state: SymptomState): SymptomState => {
  const order: SymptomState[] = ['n/A', 'yes', 'no']
  return order[(order.indexOf(state) + 1) % order.length] ?? 'n/A'
}

export const useLabelStore = defineStore('labels', () => {
  const api = useApi()
  const review = useReviewStore()
  const catalog = useCatalogStore()
  const settings = useSettingsStore()

  /** Cells whose save is in flight, by entry then column: shown instead of the stored value. */
  const pending = reactive(new Map<number, Map<CsvColumn, string>>())
  const saveState = ref<SaveState>('idle')
  const savedAt = ref<Date | null>(null)
  const error = ref<string | null>(null)
  const inFlight = ref(0)
  let queue: Promise<void> = Promise.resolve()

  const detail = computed<EntryDetail | null>(() => review.detail)

  function storedCell(column: CsvColumn): string {
    return detail.value?.cells[columnIndex(column)] ?? ''
  }

  /** The cell as the reviewer last set it: a pending value, else what main holds. */
  function cell(column: CsvColumn): string {
    const id = detail.value?.summary.id
    const overlay = id === undefined ? undefined : pending.get(id)?.get(column)
    return overlay ?? storedCell(column)
  }

  function isPending(column: CsvColumn): boolean {
    const id = detail.value?.summary.id
    return id !== undefined && (pending.get(id)?.has(column) ?? false)
  }

  const label = computed<Label | null>(() => {
    const d = detail.value
    if (d === null) return null
    if (isPending('Label')) return labelFromCsv(cell('Label')) ?? d.normalized.label
    return d.normalized.label
  })

  function pathology(name: Pathology): PathologyState {
    const d = detail.value
    if (d === null) return 'not_assessed'
    if (isPending(name)) return pathologyFromCsv(cell(name))
    return d.normalized.pathologies[name] ?? pathologyFromCsv(storedCell(name))
  }

  function symptom(name: Symptom): SymptomState {
    const d = detail.value
    if (d === null) return 'n/A'
    if (isPending(name)) return symptomFromCsv(cell(name))
    const state = d.normalized.symptoms[name]
    return state !== undefined && (SYMPTOM_STATES as readonly string[]).includes(state) ? state : symptomFromCsv(storedCell(name))
  }

  const gender = computed<Gender>(() => {
    const d = detail.value
    if (d === null) return null
    if (isPending('Gender')) {
      const raw = cell('Gender')
      return raw === 'm' ? 'male' : raw === 'w' ? 'female' : null
    }
    return d.normalized.gender
  })

  /**
   * Writes cells of the open entry. Cells that already hold the value are
   * left out; nothing is sent when none is left.
   */
  function save(cells: Partial<Record<CsvColumn, string>>): void {
    const d = detail.value
    // While the next clip loads, the panel still shows the last one: no edits to either until it is in.
    if (d === null || review.loading) return
    const changed = Object.fromEntries(
      Object.entries(cells).filter(([column, value]) => cell(column as CsvColumn) !== value)
    ) as Partial<Record<CsvColumn, string>>
    if (Object.keys(changed).length === 0) return
    if (!settings.ensureName('edit', () => save(cells))) return

    const id = d.summary.id
    const overlay = pending.get(id) ?? new Map<CsvColumn, string>()
    for (const [column, value] of Object.entries(changed)) overlay.set(column as CsvColumn, value)
    pending.set(id, overlay)
    inFlight.value++
    saveState.value = 'saving'
    error.value = null
    queue = queue.then(() => send(id, changed))
  }

  async function send(id: number, cells: Partial<Record<CsvColumn, string>>): Promise<void> {
    const result = await api['catalog/update']({ id, cells })
    inFlight.value--
    const overlay = pending.get(id)
    // Drop this save's overlay unless a later save of the same cell is still to come.
    for (const [column, value] of Object.entries(cells)) {
      if (overlay?.get(column as CsvColumn) === value) overlay.delete(column as CsvColumn)
    }
    if (overlay?.size === 0) pending.delete(id)

    if (!result.ok) {
      saveState.value = 'error'
      error.value = result.error.message
      if (result.error.code === 'conflict' && !settings.hasName) settings.ensureName()
      return
    }
    review.applyDetail(result.value)
    catalog.applyDetail(result.value)
    if (inFlight.value === 0) {
      saveState.value = 'saved'
      savedAt.value = new Date()
    }
    await useHistoryStore().afterEdit(id)
  }

  /** Resolves once every save made so far has been answered. */
  const flushed = (): Promise<void> => queue
  useHistoryStore().waitForWritesOf(flushed)

  const setLabel = (value: Label): void => save({ Label: labelToCsv(value) })
  const setPathology = (name: Pathology, state: PathologyState): void => save({ [name]: pathologyToCsv(state) })
  const cyclePathology = (name: Pathology): void => setPathology(name, nextPathologyState(pathology(name)))
  const setSymptom = (name: Symptom, state: SymptomState): void => save({ [name]: symptomToCsv(state) })
  const cycleSymptom = (name: Symptom): void => setSymptom(name, nextSymptomState(symptom(name)))
  const setGender = (value: Gender): void => save({ Gender: genderToCsv(value) })
  const setText = (column: CsvColumn, text: string): void => save({ [column]: text })

  function dismissError(): void {
    error.value = null
    if (saveState.value === 'error') saveState.value = 'idle'
  }

  return {
    saveState,
    savedAt,
    error,
    inFlight,
    label,
    gender,
    cell,
    storedCell,
    pathology,
    symptom,
    setLabel,
    setPathology,
    cyclePathology,
    setSymptom,
    cycleSymptom,
    setGender,
    setText,
    flushed,
    dismissError
  }
})
