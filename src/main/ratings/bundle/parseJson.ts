/** Reading one JSON file of a bundle against its schema, with a message that names the bundle and the file. */
import { z } from 'zod'
import { UserError } from '../../errors'

export function parseJson<T>(path: string, name: string, bytes: Buffer, schema: z.ZodType<T>): T {
  let raw: unknown
  try {
    raw = JSON.parse(bytes.toString('utf8'))
  } catch (e) {
    throw new UserError('bad_input', `Cannot import ${path}: ${name} is not valid JSON (${(e as Error).message}).`)
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw new UserError('bad_input', `Cannot import ${path}: ${name} is malformed: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}
