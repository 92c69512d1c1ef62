/**
 * What a rating field holds, read from its schema (ratingsContract.ts): which
 * fields are pathology or symptom flags, and the answers a choice field
 * allows. Main (agreement categories, reader bundles) and the renderer (the
 * rating form) both ask here, so the answers offered are the answers counted.
 */
import { z } from 'zod'
import { RATING_FIELD_SCHEMAS, RATING_FIELDS, type RatingField, type RatingValue, type RatingValues } from './ratingsContract'
import { PATHOLOGIES, SYMPTOMS, type Pathology, type Symptom } from './vocabulary'

export const isRatingField = (f: string): f is RatingField => (RATING_FIELDS as readonly string[]).includes(f)
export const isPathologyField = (f: string): f is Pathology => (PATHOLOGIES as readonly string[]).includes(f)
export const isSymptomField = (f: string): f is Symptom => (SYMPTOMS as readonly string[]).includes(f)

/**
 * The answers a field allows, exactly as a rating stores them (null: "not
 * stated", where the field allows it), in the schema's order; null for
 * numbers and free text. Read from the schema so the two cannot drift apart.
 */
export function fieldVocabulary(f: RatingField): (string | null)[] | null {
  const schema: z.ZodType = RATING_FIELD_SCHEMAS[f]
  const nullable = schema instanceof z.ZodNullable
  const inner = nullable ? (schema as z.ZodNullable<z.ZodType>).unwrap() : schema
  if (!(inner instanceof z.ZodEnum)) return null
  return [...(inner.options as string[]), ...(nullable ? [null] : [])]
}

/** A field's value in a rating; undefined when the rating has none (a field its set does not rate). */
export function valueOf(values: RatingValues, f: RatingField): RatingValue | undefined {
  return (values as Partial<Record<RatingField, RatingValue>>)[f]
}
