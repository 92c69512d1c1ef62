/** How the model card's figures read: proportions as percentages with their spread over the folds. */
import type { ModelClass } from '../../../../shared/classifierPreprocess'
import { CLASS_NAMES } from './classes'

/** 0.6 ± 0.316 → "60 % ± 32". */
export function spreadText(s: { mean: number; sd: number } | null): string {
  if (s === null) return '—'
  return `${Math.round(s.mean * 100)} % ± ${Math.round(s.sd * 100)}`
}

/** The class's display name where the app knows it, else the card's own word. */
export const cardClassText = (c: string): string => (c in CLASS_NAMES ? CLASS_NAMES[c as ModelClass] : c)
