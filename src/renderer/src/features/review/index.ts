/**
 * The review's public state: the stores of the clip under review that other
 * features (ratings, submission, classifier) and the app shell use. Never
 * imports a .vue file (components others show are in views.ts).
 */
export { useHistoryStore } from './stores/historyStore'
export { useKeyFrameStore } from './stores/keyFrameStore'
export { usePlayerStore } from './stores/playerStore'
export { useReviewStore } from './stores/reviewStore'
