/**
 * One click from a row without media to the place that can bring its clip
 * back: Submission's rebuild step (Butterfly gallery or raw web videos).
 * The catalog and the review offer that click without importing Submission:
 * this is registered as their rebuild action (app/extensions.ts).
 */
import { useSubmissionStore } from './stores/submissionStore'
import { useNavigationStore } from '../../app/stores/navigationStore'

export function openRebuild(): void {
  useSubmissionStore().step = 'rebuild'
  useNavigationStore().show('submission')
}
