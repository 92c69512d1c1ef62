/**
 * The one way the main process replaces a file: written under a temporary
 * name beside it, then renamed over the target. A crash or a full disk never
 * leaves half a file under the final name, and the rename replaces a link at
 * the target instead of writing where it points. Bytes and streams are written
 * here (created exclusively, so a link planted at the temporary name is never
 * written through); writers that need a path of their own (ffmpeg, SQLite's
 * VACUUM INTO, a zip entry) get one from produceFileAtomic.
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

/**
 * Runs `produce` on a temporary path beside `target` and renames what it
 * wrote over `target` once it returns (or once its promise settles: a
 * synchronous writer, such as the backup taken while a catalog opens, gets
 * its result back synchronously). Whatever happens, nothing is left under the
 * temporary name. `temp` is for callers whose temporary names are recognised
 * elsewhere (a cache sweeping stale ones, a listing skipping them); one left
 * there by a crash, or a link put there, is removed first so that it is never
 * written through.
 */
export function produceFileAtomic<T>(target: string, produce: (temp: string) => T, temp = temporaryBeside(target)): T {
  rmSync(temp, { force: true })
  const settle = (wrote: boolean): void => {
    try {
      if (wrote) renameSync(temp, target)
    } finally {
      rmSync(temp, { force: true })
    }
  }
  let result: T
  try {
    result = produce(temp)
  } catch (e) {
    settle(false)
    throw e
  }
  if (!(result instanceof Promise)) {
    settle(true)
    return result
  }
  return result.then(
    (value: unknown) => {
      settle(true)
      return value
    },
    (e: unknown) => {
      settle(false)
      throw e
    }
  ) as T
}
