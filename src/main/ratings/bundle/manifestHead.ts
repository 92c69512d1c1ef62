/**
 * The opening of every bundle manifest (review bundle, reader study, ratings
 * bundle): which format and schema version, the app that wrote it and when.
 * A manifest is read twice: first its head, loosely, then the whole of it.
 */
import { z } from 'zod'

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256')

/** Read first, loosely, so that a newer format is reported as such rather than as malformed. */
export const manifestHeadSchema = z.object({ format: z.string(), schemaVersion: z.number() })

/** The head's fields as a manifest schema holds them: exactly this format and version. */
export function manifestHead<F extends string, V extends number>(format: F, schemaVersion: V) {
  return { format: z.literal(format), schemaVersion: z.literal(schemaVersion), appVersion: z.string(), created: z.string() }
}
