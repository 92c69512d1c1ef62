/**
 * The classifier's additions to the core, registered once at startup (see
 * app/extensions.ts for why the core does not import them): the catalog's
 * model column, prediction filters and filtered order, the player's heat map
 * and probability timeline, and the review's Classifier tab.
 */
import type { EntrySummary } from '../../../../shared/contract'
import { register } from '../../app/extensions'
import { percentText } from '../../ui/format'
import { CLASS_NAMES } from './classes'
import CamOverlay from './components/CamOverlay.vue'
import ClassifierPanel from './components/ClassifierPanel.vue'
import PredictionFilters from './components/PredictionFilters.vue'
import ProbabilityTimeline from './components/ProbabilityTimeline.vue'
import { useCatalogPredictionsStore } from './stores/catalogPredictionsStore'

export function registerClassifier(): void {
  // Looked up on first use: registration runs before Pinia is installed.
  let store: ReturnType<typeof useCatalogPredictionsStore> | null = null
  const predictions = (): ReturnType<typeof useCatalogPredictionsStore> => (store ??= useCatalogPredictionsStore())

  function predictionText(e: EntrySummary): string {
    const s = predictions().summaries.get(e.id)
    if (!s) return ''
    if (s.status !== 'ok' || s.predicted === null) return 'failed'
    return `${CLASS_NAMES[s.predicted]} · ${percentText(s.confidence)}${s.disagrees ? ' · ≠ label' : ''}`
  }

  register.catalogColumn({
    id: 'prediction',
    heading: 'Model',
    headingTitle: 'Model prediction and uncertainty; click to sort by uncertainty',
    width: 'minmax(150px, 1.2fr)',
    // The model column appears once any entry has a stored prediction.
    visible: () => predictions().summaries.size > 0,
    sortArrow: () => (predictions().sort === 'entropy-desc' ? '▼' : predictions().sort === 'entropy-asc' ? '▲' : ''),
    toggleSort: () => {
      const p = predictions()
      p.sort = p.sort === 'entropy-desc' ? 'entropy-asc' : p.sort === 'entropy-asc' ? 'none' : 'entropy-desc'
    },
    text: predictionText,
    // The table's tooltip keeps the uncertainty for those who sort by it.
    title: (e) => {
      const s = predictions().summaries.get(e.id)
      if (!s || s.status !== 'ok') return predictionText(e)
      return `${predictionText(e)}: the model's probability for its call (uncertainty ${(s.entropy ?? 0).toFixed(2)} bits)`
    },
    cellClass: (e) => ({ disagrees: predictions().summaries.get(e.id)?.disagrees === true })
  })
  register.catalogFilter(PredictionFilters)
  register.catalogRowFilter({
    active: () => predictions().active,
    apply: (rows) => predictions().apply(rows),
    state: () => {
      const p = predictions()
      return { predicted: p.predicted, maxConfidence: p.maxConfidence, disagreement: p.disagreement, sort: p.sort }
    },
    restore: (state) => {
      const p = predictions()
      p.predicted = state.predicted
      p.maxConfidence = state.maxConfidence
      p.disagreement = state.disagreement
      p.sort = state.sort
    },
    clear: () => predictions().clear()
  })
  register.playerOverlay(CamOverlay)
  register.playerTimeline(ProbabilityTimeline)
  register.reviewPanel({ id: 'classifier', text: 'Classifier', component: ClassifierPanel })
}
