/**
 * One click from a row without media to the place that can bring its clip
 * back: Submission's rebuild step (Butterfly gallery or raw web videos).
 */
import { useSubmissionStore } from '../features/submission/useSubmissionStore'
import { useNavigationStore } from '../stores/navigation'

export function openRebuild(): void {
  useSubmissionStore().step = 'rebuild'
  useNavigationStore().show('submission')
}
