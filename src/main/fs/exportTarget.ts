/**
 * Where an export (CSV, submission bundle, review or reader bundle, a
 * rater's ratings) may be written, and the one way it is written. A path
 * the user typed must not make the app write somewhere else: a symbolic
 * link at the output path (dangling or not) is refused, and the file is
 * written under a fresh temporary name (created exclusively, so no link can
 * be planted there) and renamed over the target, which replaces whatever
 * is at that name without ever writing through it. A crash or a full disk
 * never leaves half a file under the final name.
 */
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, extname, isAbsolute, join } from 'node:path'
import { UserError } from '../errors'

export interface ExportTargetOptions {
  /** The extension the file must have, lower case with its dot: ".csv", ".zip". */
  extension: string
  /** What the messages call the file: "output file", "bundle file", "ratings file". */
  noun: string
  /** Files the export must never replace (compared by real path, links followed), each with the refusal to give. */
  protect?: readonly { path: string; message: string }[]
}

/**
 * The path the export will be written to: the real path of its folder and
 * the name given. Refused, with nothing written: a relative path, another
 * extension, a folder that does not exist, a protected file, a symbolic
 * link, a folder or anything but a regular file at that name.
 */
export function exportTarget(outPath: string, o: ExportTargetOptions): string {
  if (!isAbsolute(outPath)) throw new UserError('bad_input', `Give the ${o.noun} as an absolute path (got "${outPath}").`)
  if (extname(outPath).toLowerCase() !== o.extension) throw new UserError('bad_input', `The ${o.noun} must end in ${o.extension} (got "${basename(outPath)}").`)
  const dir = dirname(outPath)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError('bad_input', `The folder ${dir} does not exist.`)
  const target = join(realpathSync(dir), basename(outPath))
  // Compared through links, so that a link to a protected file gets the protected file's own message.
  const resolved = existsSync(target) ? realpathSync(target) : target
  for (const p of o.protect ?? []) {
    const real = existsSync(p.path) ? realpathSync(p.path) : p.path
    if (real === resolved || real === target) throw new UserError('bad_input', p.message)
  }
  let st: ReturnType<typeof lstatSync> | null = null
  try {
    st = lstatSync(target)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  if (st?.isSymbolicLink())
    throw new UserError(
      'bad_input',
      `${outPath} is a symbolic link: nothing was written, and the file it points to was not changed. Save the ${o.noun} under another name, or delete the link first.`
    )
  if (st?.isDirectory()) throw new UserError('bad_input', `${outPath} is a folder: nothing was written. Give a file name inside it.`)
  if (st && !st.isFile()) throw new UserError('bad_input', `${outPath} is not a regular file: nothing was written. Save the ${o.noun} under another name.`)
  return target
}
