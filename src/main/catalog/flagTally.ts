/**
 * Catalog statistics of a group of flag columns (the pathologies, the
 * symptoms): for each label and flag, how many entries hold each state. A
 * flag an entry does not state counts as the group's "unknown" state.
 */
import type { Label } from '../../shared/vocabulary'

export interface FlagCounts<F extends string, S extends string> {
  label: Label
  flag: F
  counts: Record<S, number>
}

export class FlagTally<F extends string, S extends string> {
  private readonly byKey = new Map<string, FlagCounts<F, S>>()

  constructor(
    private readonly flags: readonly F[],
    private readonly states: readonly S[],
    /** Where a flag without a known state is counted. */
    private readonly unknown: S
  ) {}

  add(label: Label, values: Readonly<Partial<Record<string, string>>>): void {
    for (const flag of this.flags) {
      const key = `${label}\u0000${flag}`
      const row = this.byKey.get(key) ?? { label, flag, counts: Object.fromEntries(this.states.map((s) => [s, 0])) as Record<S, number> }
      const value = values[flag]
      row.counts[this.states.find((s) => s === value) ?? this.unknown]++
      this.byKey.set(key, row)
    }
  }

  /** One row per label and flag seen, in the order first seen. */
  rows(): FlagCounts<F, S>[] {
    return [...this.byKey.values()]
  }
}
