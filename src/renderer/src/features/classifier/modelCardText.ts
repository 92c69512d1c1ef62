/** How the model card's figures read: proportions as percentages with their spread over the folds. */
import type { ModelClass } from '../../../../shared/classifierPreprocess'
import { CLASS_NAMES } from './classes'

/** 0.6 ± 0.316 → "60 % ± 32". */
export function spreadText(s: { mean: number; sd: number } | null): string {
  if (s === null) return '—'
  return `${Math.round(s.mean * 100)} % ± ${Math.round(s.sd * 100)}`
}

/** An AUC is not a rate: shown as 0.81 ± 0.07, not as a percentage. */
export function aucText(s: { mean: number; sd: number } | null): string {
  if (s === null) return '—'
  return `${s.mean.toFixed(2)} ± ${s.sd.toFixed(2)}`
}

/** The class's display name where the app knows it, else the card's own word. */
export const cardClassText = (c: string): string => (c in CLASS_NAMES ? CLASS_NAMES[c as ModelClass] : c)
