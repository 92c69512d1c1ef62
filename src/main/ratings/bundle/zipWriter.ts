/** Writes a small zip in memory with yazl (deflated, fixed timestamps). */
import { ZipFile } from 'yazl'

export function zipBuffers(files: readonly { name: string; bytes: Buffer }[], mtime: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile()
    const chunks: Buffer[] = []
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c))
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)))
    zip.outputStream.on('error', reject)
    for (const f of files) zip.addBuffer(f.bytes, f.name, { mtime, mode: 0o100644 })
    zip.end()
  })
}
