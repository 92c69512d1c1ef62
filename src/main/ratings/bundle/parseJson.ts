/** Reading one JSON file of a bundle against its schema, with a message that names the bundle and the file. */
import { z } from 'zod'
import { firstMalformedString } from '../../../shared/wellFormedText'
import { UserError } from '../../errors'

export function parseJson<T>(path: string, name: string, bytes: Buffer, schema: z.ZodType<T>): T {
  let raw: unknown
  try {
    raw = JSON.parse(bytes.toString('utf8'))
  } catch (e) {
    throw new UserError('bad_input', `Cannot import ${path}: ${name} is not valid JSON (${(e as Error).message}).`)
  }
  const malformed = firstMalformedString(raw)
  if (malformed !== null)
    throw new UserError('bad_input', `Cannot import ${path}: ${name} holds text that is not well-formed Unicode (${malformed}: half of a surrogate pair, which the catalog cannot store). Nothing was imported; ask for the file again.`)
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw new UserError('bad_input', `Cannot import ${path}: ${name} is malformed: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}
