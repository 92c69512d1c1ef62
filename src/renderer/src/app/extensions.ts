/**
 * Where the core shows a feature's output without importing the feature.
 * The catalog and the review are the core; the classifier (model column,
 * prediction filters, the player's heat map and probability timeline, the
 * review's Classifier tab) and submission (the "rebuild this clip" action)
 * are features built on it. Before this registry the two imported each other;
 * now a feature registers what it adds once at startup (app/registerFeatures.ts,
 * called from main.ts), the core renders whatever is registered, and imports
 * point one way only: feature → core. A build without a feature registered
 * (a unit test, the reader workstation) simply shows none of its additions.
 *
 * Registration happens before the app mounts and never changes afterwards, so
 * the lists are plain arrays, not reactive state.
 */
import type { Component } from 'vue'
import type { EntrySummary } from '../../../shared/contract'
import type { ModelClass } from '../../../shared/classifierPreprocess'

/** One more column in the catalog table, after its own ones. */
export interface CatalogColumnExtension {
  /** Names the column in the DOM: `data-column`, the cell class `cell-<id>`, the header's test id `sort-<id>`. */
  id: string
  /** The header's text and tooltip. */
  heading: string
  headingTitle: string
  /** A CSS grid track, like the table's own columns (`minmax(150px, 1.2fr)`). */
  width: string
  /** Whether the column shows at all (reactive: read inside a computed). */
  visible: () => boolean
  /** The header's sort arrow (▼, ▲ or nothing), and what a click on the header does. */
  sortArrow: () => string
  toggleSort: () => void
  /** A cell's text, its tooltip, and extra classes (styled by the table). */
  text: (entry: EntrySummary) => string
  title: (entry: EntrySummary) => string
  cellClass?: (entry: EntrySummary) => Record<string, boolean>
}

/** The model filter's state, as the catalog's saved view keeps it (catalog/viewState.ts validates it on reading). */
export interface PredictionFilterState {
  predicted: ModelClass | 'any' | 'none'
  maxConfidence: number
  disagreement: 'any' | 'disagrees' | 'agrees'
  sort: 'none' | 'entropy-desc' | 'entropy-asc'
}

/** What the saved view records when no model filter is registered: nothing filtered. */
export const NO_PREDICTION_FILTER: Readonly<PredictionFilterState> = { predicted: 'any', maxConfidence: 1, disagreement: 'any', sort: 'none' }

/**
 * Filters and sorts the catalog's rows on top of its own query (the model's
 * prediction filter). Its state is saved and restored with the catalog's view.
 */
export interface CatalogRowFilterExtension {
  active: () => boolean
  apply: <T extends { id: number }>(rows: readonly T[]) => readonly T[]
  state: () => PredictionFilterState
  restore: (state: PredictionFilterState) => void
  clear: () => void
}

/** A tab of the review's side panel, after Labels, History and Details. */
export interface ReviewPanelExtension {
  /** The tab's test id is `tab-<id>`. */
  id: string
  text: string
  component: Component
}

/**
 * Components the player lays over the media (props: `mediaStyle`, the media's
 * pan/zoom transform) or shows under its timeline (props: `duration`,
 * `currentTime`; emits `seek` with a media time). Not shown while rating a
 * clip blind.
 */
export interface PlayerExtensions {
  overlays: Component[]
  timelines: Component[]
}

const catalogColumns: CatalogColumnExtension[] = []
const catalogFilters: Component[] = []
const reviewPanels: ReviewPanelExtension[] = []
const player: PlayerExtensions = { overlays: [], timelines: [] }
let catalogRowFilter: CatalogRowFilterExtension | null = null
let rebuildAction: (() => void) | null = null

/** What the core reads to render feature output. */
export const extensions = {
  catalogColumns: catalogColumns as readonly CatalogColumnExtension[],
  /** Filter controls shown at the end of the catalog's filter bar. */
  catalogFilters: catalogFilters as readonly Component[],
  reviewPanels: reviewPanels as readonly ReviewPanelExtension[],
  playerOverlays: player.overlays as readonly Component[],
  playerTimelines: player.timelines as readonly Component[],
  catalogRowFilter: (): CatalogRowFilterExtension | null => catalogRowFilter
}

/** Opens the place that can bring back a clip the dataset does not ship (Submission's rebuild step). */
export function openRebuild(): void {
  rebuildAction?.()
}

/** What a feature calls at startup to add itself to the core. */
export const register = {
  catalogColumn: (column: CatalogColumnExtension): void => void catalogColumns.push(column),
  catalogFilter: (component: Component): void => void catalogFilters.push(component),
  catalogRowFilter: (filter: CatalogRowFilterExtension): void => void (catalogRowFilter = filter),
  reviewPanel: (panel: ReviewPanelExtension): void => void reviewPanels.push(panel),
  playerOverlay: (component: Component): void => void player.overlays.push(component),
  playerTimeline: (component: Component): void => void player.timelines.push(component),
  rebuildAction: (action: () => void): void => void (rebuildAction = action)
}
