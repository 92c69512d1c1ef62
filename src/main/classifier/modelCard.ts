/**
 * The model card as the app shows it: main reads the card the training
 * pipeline wrote (resources/models/<name>.card.json) and keeps the figures a
 * physician needs to weigh a prediction (data per class, the patient-grouped
 * split, cross-validated sensitivity and specificity with their spread,
 * known limits). The card is read through a schema that tolerates what it
 * does not use and drops what is malformed, and the answer is checked against
 * the contract's strict schema, so the view never shows a guessed number.
 */
import { z } from 'zod'
import { LUS_CLASSES } from '../../shared/classifierPreprocess'
import { modelCardResultSchema, type ModelCard, type ModelCardResult } from '../../shared/classifierContract'

const num = z.number().finite()
const count = z.number().int().nonnegative()
const spread = z.object({ mean: num, sd: num })
const rates = z.object({ sensitivity: spread, specificity: spread })
const findingAuc = z.object({
  perFold: spread.nullable().optional(),
  foldsWithAuc: count.optional(),
  pooled: z.object({ auc: num.nullable().optional(), present: count.optional(), absent: count.optional() }).nullable().optional()
})
const levelSummary = z.object({
  accuracy: spread.optional(),
  balancedAccuracy: spread.optional(),
  perClass: z.record(z.string(), rates).optional()
})

/** What of the card file is read; anything else in it is ignored. */
const cardFileSchema = z.object({
  name: z.string().optional(),
  version: z.string().optional(),
  createdAt: z.string().optional(),
  intendedUse: z.string().optional(),
  pretrainedNote: z.string().optional(),
  classes: z.array(z.string()).optional(),
  data: z
    .object({
      lusClips: z.record(z.string(), z.object({ clips: count, videos: count.optional(), images: count.optional(), groups: count.optional() })).optional(),
      labelMapping: z.string().optional()
    })
    .optional(),
  split: z.object({ method: z.string(), folds: count, groups: count.optional(), seed: z.number().int().optional() }).optional(),
  crossValidation: z
    .object({
      protocol: z.string().optional(),
      summary: z
        .object({ video: levelSummary.optional(), frame: levelSummary.optional(), findingsAuc: z.record(z.string(), findingAuc).nullable().optional() })
        .optional()
    })
    .optional(),
  seeds: z
    .object({
      perSeed: z.array(z.object({ seed: z.number().int() })),
      acrossSeeds: z.object({ videoBalancedAccuracy: spread.nullable().optional(), covidSensitivity: spread.nullable().optional() })
    })
    .nullable()
    .optional(),
  limitations: z.array(z.string()).optional()
})

/** Classes in the model's order first, then any other the card names. */
function ordered(keys: readonly string[]): string[] {
  const known = LUS_CLASSES.filter((c) => keys.includes(c))
  return [...known, ...keys.filter((k) => !(LUS_CLASSES as readonly string[]).includes(k))]
}

/** The view of a parsed card file; throws (with zod's reason) when the file is not a card at all. */
export function modelCardView(raw: unknown, fallbackName: string): ModelCard {
  const c = cardFileSchema.parse(raw)
  const clips = c.data?.lusClips ?? {}
  const summary = c.crossValidation?.summary
  const results: ModelCard['results'] = []
  for (const level of ['video', 'frame'] as const) {
    const s = summary?.[level]
    if (!s) continue
    const perClass = s.perClass ?? {}
    results.push({
      level,
      accuracy: s.accuracy ?? null,
      balancedAccuracy: s.balancedAccuracy ?? null,
      perClass: ordered(Object.keys(perClass)).map((k) => ({ class: k, sensitivity: perClass[k]!.sensitivity, specificity: perClass[k]!.specificity }))
    })
  }
  return {
    name: c.name ?? fallbackName,
    version: c.version ?? 'unknown',
    createdAt: c.createdAt ?? null,
    intendedUse: c.intendedUse ?? null,
    pretraining: c.pretrainedNote ?? null,
    classes: c.classes ?? [],
    data: ordered(Object.keys(clips)).map((k) => {
      const d = clips[k]!
      return { class: k, clips: d.clips, videos: d.videos ?? null, images: d.images ?? null, groups: d.groups ?? null }
    }),
    labelMapping: c.data?.labelMapping ?? null,
    split: c.split ? { method: c.split.method, folds: c.split.folds, groups: c.split.groups ?? null, seed: c.split.seed ?? null } : null,
    protocol: c.crossValidation?.protocol ?? null,
    results,
    findings: Object.entries(summary?.findingsAuc ?? {}).map(([name, f]) => ({
      name,
      auc: f.perFold ?? null,
      foldsWithAuc: f.foldsWithAuc ?? 0,
      pooledAuc: f.pooled?.auc ?? null,
      present: f.pooled?.present ?? 0,
      absent: f.pooled?.absent ?? 0
    })),
    seeds:
      c.seeds && c.seeds.perSeed.length > 1
        ? {
            seeds: c.seeds.perSeed.map((p) => p.seed),
            videoBalancedAccuracy: c.seeds.acrossSeeds.videoBalancedAccuracy ?? null,
            covidSensitivity: c.seeds.acrossSeeds.covidSensitivity ?? null
          }
        : null,
    limitations: c.limitations ?? []
  }
}

/** The answer of classifier/modelCard for a card as loaded beside the model (null: none could be read). */
export function modelCardResult(card: unknown, warning: string | null, fallbackName: string): ModelCardResult {
  if (card === null || card === undefined) return { card: null, warning: warning ?? 'The model has no card.' }
  let view: ModelCard
  try {
    view = modelCardView(card, fallbackName)
  } catch (e) {
    const issue = e instanceof z.ZodError ? (e.issues[0]?.path.join('.') ?? '') : ''
    return { card: null, warning: `The model card could not be read${issue ? ` (at ${issue})` : ''}.` }
  }
  return modelCardResultSchema.parse({ card: view, warning })
}
