/**
 * The per-installation secret behind every pseudonym: patient keys, replaced
 * UIDs and the digests the PHI scan matches against. It lives in the
 * user-data directory, never in the catalog, so a catalog (or its backups,
 * or a bundle) does not carry what it would take to test guesses against
 * its pseudonyms. Losing it only means new imports of the same patient get
 * a different key.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UserError } from '../errors'
import { userDataDir } from '../paths'

export const SECRET_FILE_NAME = 'deid-secret.key'

export interface DeidKeys {
  secret: Buffer
  /** Identifies the secret without revealing it; stored with each record so a different secret is detected. */
  fingerprint: string
}

function keysOf(secret: Buffer): DeidKeys {
  return { secret, fingerprint: createHmac('sha256', secret).update('lus-review fingerprint').digest('hex').slice(0, 16) }
}

export function loadOrCreateKeys(dir: string = userDataDir()): DeidKeys {
  const file = join(dir, SECRET_FILE_NAME)
  mkdirSync(dir, { recursive: true })
  try {
    // 'wx': two processes starting at once cannot both create (and disagree on) the secret.
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError('internal', `Cannot create the de-identification secret ${file}: ${(e as Error).message}`)
  }
  const text = readFileSync(file, 'utf8').trim()
  if (!/^[0-9a-f]{64}$/.test(text))
    throw new UserError('internal', `The de-identification secret ${file} is damaged; restore it from a backup (or delete it to start new pseudonyms).`)
  if (process.platform !== 'win32') chmodSync(file, 0o600)
  return keysOf(Buffer.from(text, 'hex'))
}

/** For tests: keys from a fixed secret. */
export const keysFromSecret = (secret: Buffer): DeidKeys => keysOf(secret)

export function hmacHex(keys: DeidKeys, purpose: string, value: string): string {
  return createHmac('sha256', keys.secret).update(`${purpose}\u0000${value}`).digest('hex')
}

/** "P-" and 12 hex digits: short enough for the CSV's "Patient ID / Name" cell, 48 bits against collisions. */
export function patientKey(keys: DeidKeys, issuer: string, patientId: string): string {
  return `P-${hmacHex(keys, 'patient', `${issuer}\u0000${patientId}`).slice(0, 12)}`
}

/**
 * A replacement UID under the 2.25 arc (UUID-derived OIDs, PS3.5 B.2): the
 * same input always maps to the same UID here, so clips of one study or
 * series stay grouped, and no one without the secret can map it back.
 */
export function replaceUid(keys: DeidKeys, uid: string): string {
  return `2.25.${BigInt(`0x${hmacHex(keys, 'uid', uid).slice(0, 32)}`).toString()}`
}
