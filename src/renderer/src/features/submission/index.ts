/**
 * Submission's startup registration: the catalog and the review offer "rebuild
 * this clip" through app/extensions.ts, and this registers what that does.
 */
import { register } from '../../app/extensions'
import { openRebuild } from './openRebuild'

export function registerSubmission(): void {
  register.rebuildAction(openRebuild)
}
