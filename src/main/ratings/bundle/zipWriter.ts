/**
 * Writing the ratings domain's zips with yazl: small ones in memory (review
 * and ratings bundles), large ones streamed from disk (reader bundles, whose
 * clips can add up to gigabytes), and the checks on where a zip may go.
 */
import { ZipFile } from 'yazl'
import { streamFileAtomic } from '../../fs/atomicWrite'
import { exportTarget } from '../../fs/exportTarget'

/** Writes a small zip in memory (deflated, fixed timestamps). */
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

/**
 * The real path a bundle will be written to, after the checks a person can
 * act on: an absolute path, a .zip name, an existing folder, no symbolic
 * link or folder at that name (fs/exportTarget.ts).
 */
export function zipTarget(outPath: string): string {
  return exportTarget(outPath, { extension: '.zip', noun: 'bundle file' })
}

/** One zip entry: a file streamed from disk, or bytes; `compress: false` stores it (media do not deflate). */
export type ZipSource = { name: string; compress: boolean } & ({ file: string } | { bytes: Buffer })

/**
 * Streams a zip to `target` (from zipTarget) the way every export is
 * written: under a temporary name, renamed into place, so a crash or a full
 * disk never leaves half a bundle under the final name, and a link at the
 * name is replaced, never written through. Returns the size.
 */
export async function writeZipAtomically(target: string, entries: readonly ZipSource[], mtime: Date): Promise<number> {
  const zip = new ZipFile()
  for (const e of entries) {
    const options = { mtime, mode: 0o100644, compress: e.compress }
    if ('file' in e) zip.addFile(e.file, e.name, options)
    else zip.addBuffer(e.bytes, e.name, options)
  }
  zip.end()
  return streamFileAtomic(target, zip.outputStream)
}
