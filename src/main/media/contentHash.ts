/**
 * The one place SHA-256 is taken of content: a file's bytes, streamed (the key
 * of every cached proxy, frame list and thumbnail, and of every imported
 * file), or bytes in memory (a CSV, a model, a bundle's manifest and payload).
 */
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

/** SHA-256 of bytes in memory (a string as UTF-8), as lowercase hex. */
export function sha256Bytes(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}
