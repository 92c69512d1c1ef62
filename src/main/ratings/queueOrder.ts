/**
 * The order a rater's queue presents a set's clips in. One orderer per
 * ReviewOrder: TypeScript refuses a new order (e.g. model uncertainty or
 * disagreement, once predictions exist) until it has one here, and the
 * context can grow what such orderers need.
 */
import { createHash } from 'node:crypto'
import type { ReviewOrder } from '../../shared/ratingsContract'
import { seededShuffle } from '../agreement/random'

export interface QueueItem {
  entryId: number
  position: number
  clipNo: number
}

export interface OrderContext {
  seed: number
  raterId: string
}

type Orderer = (items: readonly QueueItem[], ctx: OrderContext) => QueueItem[]

/** Each rater gets their own reproducible order, so order and fatigue effects do not line up across raters. */
export function raterSeed(seed: number, raterId: string): number {
  return createHash('sha256').update(`${seed}:${raterId}`).digest().readUInt32LE(0)
}

const byPosition = (items: readonly QueueItem[]): QueueItem[] => [...items].sort((a, b) => a.position - b.position)

export const ORDERERS: Record<ReviewOrder, Orderer> = {
  catalog: (items) => byPosition(items),
  random: (items, ctx) => seededShuffle(byPosition(items), raterSeed(ctx.seed, ctx.raterId))
}

export function orderQueue(order: ReviewOrder, items: readonly QueueItem[], ctx: OrderContext): QueueItem[] {
  return ORDERERS[order](items, ctx)
}

/**
 * Clip numbers ("Clip 7 of 45") shared by every rater of a set. In a blinded
 * set they are shuffled, so a number says nothing about catalog order (which
 * may follow the label, as the file names do).
 */
export function clipNumbers(count: number, blinded: boolean, seed: number): number[] {
  const numbers = Array.from({ length: count }, (_, i) => i + 1)
  return blinded ? seededShuffle(numbers, seed) : numbers
}
