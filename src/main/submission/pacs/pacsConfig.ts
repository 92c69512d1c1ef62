/**
 * Where the PACS is and how to log in. The password is encrypted
 * (AES-256-GCM) with a key kept in its own file in the user-data folder,
 * readable by the user only.
 *
 * Limit: without an OS keychain (plain Node, serve mode, headless Linux),
 * the key sits beside the encrypted password; anyone who can read the
 * user's files can decrypt it. The encryption keeps the password out of the
 * catalog, its backups and anything copied from pacs.json alone, not away
 * from someone with the user's account (docs/submission.md).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { UserError } from '../../errors'
import { userDataDir } from '../../paths'
import { writeFileAtomic } from '../../fs/atomicWrite'

export const PACS_CONFIG_FILE = 'pacs.json'
export const PACS_KEY_FILE = 'pacs.key'

const sealedSchema = z.object({ iv: z.string(), tag: z.string(), data: z.string() })
const fileSchema = z.object({ url: z.string(), username: z.string().nullable(), password: sealedSchema.nullable() })
type Sealed = z.infer<typeof sealedSchema>

export interface PacsCredentials {
  url: string
  username: string | null
  password: string | null
}

export interface PacsConfigView {
  url: string | null
  username: string | null
  hasPassword: boolean
  storage: string
}

export class PacsConfigStore {
  constructor(private readonly dir: string = userDataDir()) {}

  private key(): Buffer {
    const file = join(this.dir, PACS_KEY_FILE)
    mkdirSync(this.dir, { recursive: true })
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    if (process.platform !== 'win32') chmodSync(file, 0o600)
    const hex = readFileSync(file, 'utf8').trim()
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new UserError('internal', `${file} is damaged; delete it and enter the PACS password again.`)
    return Buffer.from(hex, 'hex')
  }

  private seal(text: string): Sealed {
    const iv = randomBytes(12)
    const c = createCipheriv('aes-256-gcm', this.key(), iv)
    const data = Buffer.concat([c.update(text, 'utf8'), c.final()])
    return { iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') }
  }

  private open(s: Sealed): string {
    try {
      const d = createDecipheriv('aes-256-gcm', this.key(), Buffer.from(s.iv, 'base64'))
      d.setAuthTag(Buffer.from(s.tag, 'base64'))
      return Buffer.concat([d.update(Buffer.from(s.data, 'base64')), d.final()]).toString('utf8')
    } catch {
      throw new UserError('conflict', 'The stored PACS password cannot be decrypted (its key file changed); enter it again.')
    }
  }

  private read(): z.infer<typeof fileSchema> | null {
    const file = join(this.dir, PACS_CONFIG_FILE)
    if (!existsSync(file)) return null
    let json: unknown
    try {
      json = JSON.parse(readFileSync(file, 'utf8'))
    } catch {
      json = null
    }
    const parsed = fileSchema.safeParse(json)
    if (!parsed.success) throw new UserError('internal', `${file} is damaged; set the PACS again.`)
    return parsed.data
  }

  view(): PacsConfigView {
    const c = this.read()
    return {
      url: c?.url ?? null,
      username: c?.username ?? null,
      hasPassword: c?.password != null,
      storage: `${join(this.dir, PACS_CONFIG_FILE)}; the password is encrypted with the key in ${PACS_KEY_FILE} beside it (no OS keychain: anyone who can read your files can decrypt it).`
    }
  }

  /** `password`: undefined keeps the stored one, null forgets it. */
  set(url: string, username: string | null | undefined, password: string | null | undefined): PacsConfigView {
    let u: URL
    try {
      u = new URL(url)
    } catch {
      throw new UserError('bad_input', `"${url}" is not a URL; give the DICOMweb base URL, e.g. http://pacs.example:8042/dicom-web.`)
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UserError('bad_input', `The PACS URL must be http or https (got ${u.protocol}).`)
    if (u.username || u.password) throw new UserError('bad_input', 'Give the user name and password separately, not in the URL (a URL is shown and logged).')
    const prior = this.read()
    const next = {
      url: url.replace(/\/+$/, ''),
      username: username === undefined ? (prior?.username ?? null) : username || null,
      password: password === undefined ? (prior?.password ?? null) : password === null || password === '' ? null : this.seal(password)
    }
    mkdirSync(this.dir, { recursive: true })
    writeFileAtomic(join(this.dir, PACS_CONFIG_FILE), JSON.stringify(next, null, 2) + '\n')
    return this.view()
  }

  credentials(): PacsCredentials {
    const c = this.read()
    if (!c) throw new UserError('bad_input', 'No PACS is configured: set its DICOMweb URL first.')
    return { url: c.url, username: c.username, password: c.password ? this.open(c.password) : null }
  }
}
