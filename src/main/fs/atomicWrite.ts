/**
 * The one way the main process replaces a file: written under a fresh
 * temporary name beside it (created exclusively, so a link planted there is
 * never written through), flushed, and renamed over the target. A crash or
 * a full disk never leaves half a file under the final name, and the rename
 * replaces a link at the target instead of writing where it points.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'

function temporaryBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
}

/** Writes `bytes` (a string as UTF-8) to `target` atomically; see the module comment. */
export function writeFileAtomic(target: string, data: Buffer | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const tmp = temporaryBeside(target)
  try {
    // 'wx': O_CREAT|O_EXCL, which fails on anything already there, a link included, rather than following it.
    const fd = openSync(tmp, 'wx', 0o644)
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, target)
  } finally {
    rmSync(tmp, { force: true })
  }
}

/** Streams `source` to `target` atomically; returns the size written. */
export async function streamFileAtomic(target: string, source: NodeJS.ReadableStream): Promise<number> {
  const tmp = temporaryBeside(target)
  try {
    await pipeline(source, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }))
    renameSync(tmp, target)
  } finally {
    rmSync(tmp, { force: true })
  }
  return statSync(target).size
}
