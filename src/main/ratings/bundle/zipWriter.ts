/**
 * Writing the ratings domain's zips with yazl: small ones in memory (review
 * and ratings bundles), large ones streamed from disk (reader bundles, whose
 * clips can add up to gigabytes), and the checks on where a zip may go.
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ZipFile } from 'yazl'
import { UserError } from '../../errors'

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
 * act on: an absolute path, a .zip name, an existing folder.
 */
export function zipTarget(outPath: string): string {
  if (!isAbsolute(outPath)) throw new UserError('bad_input', `Give the bundle file as an absolute path (got "${outPath}").`)
  if (!outPath.toLowerCase().endsWith('.zip')) throw new UserError('bad_input', `The bundle file must end in .zip (got "${basename(outPath)}").`)
  const dir = dirname(outPath)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError('bad_input', `The folder ${dir} does not exist.`)
  return join(realpathSync(dir), basename(outPath))
}

/** One zip entry: a file streamed from disk, or bytes; `compress: false` stores it (media do not deflate). */
export type ZipSource = { name: string; compress: boolean } & ({ file: string } | { bytes: Buffer })

/**
 * Streams a zip to a temporary name beside `target` and renames it into
 * place, so a crash or a full disk never leaves half a bundle under the
 * final name; the temporary file is gone however it ends. Returns the size.
 */
export async function writeZipAtomically(target: string, entries: readonly ZipSource[], mtime: Date): Promise<number> {
  const zip = new ZipFile()
  for (const e of entries) {
    const options = { mtime, mode: 0o100644, compress: e.compress }
    if ('file' in e) zip.addFile(e.file, e.name, options)
    else zip.addBuffer(e.bytes, e.name, options)
  }
  zip.end()
  const tmp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    await pipeline(zip.outputStream, createWriteStream(tmp))
    renameSync(tmp, target)
  } finally {
    rmSync(tmp, { force: true })
  }
  return statSync(target).size
}
