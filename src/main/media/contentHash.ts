/** SHA-256 of a file's bytes, streamed: the key of every cached proxy, frame list and thumbnail. */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

export const SHA256_HEX = /^[0-9a-f]{64}$/

export function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file, { signal })
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject)
  })
}
