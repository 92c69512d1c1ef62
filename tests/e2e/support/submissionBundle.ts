/**
 * Reads a submission bundle (zip) from the test process: unpacked with yauzl
 * into a folder, so the folder can be imported as a dataset by the real CLI.
 */
import { execFile } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import yauzl from 'yauzl'
import { REPO_ROOT } from './serveProcess'

/** Unpacks every file of `zipPath` under `dir`; returns the paths inside the zip. Refuses names that leave `dir`. */
export async function unzipTo(zipPath: string, dir: string): Promise<string[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true }, (err, z) => (err || !z ? reject(err ?? new Error('no zip')) : resolve(z)))
  )
  const names: string[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject)
      zip.on('end', () => resolve())
      zip.on('entry', (entry: yauzl.Entry) => {
        const target = path.resolve(dir, entry.fileName)
        if (!target.startsWith(path.resolve(dir) + path.sep)) {
          reject(new Error(`zip entry leaves the folder: ${entry.fileName}`))
          return
        }
        if (entry.fileName.endsWith('/')) {
          mkdir(target, { recursive: true }).then(() => zip.readEntry(), reject)
          return
        }
        names.push(entry.fileName)
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) {
            reject(err ?? new Error(`cannot read ${entry.fileName}`))
            return
          }
          mkdir(path.dirname(target), { recursive: true })
            .then(() => pipeline(stream, createWriteStream(target)))
            .then(() => zip.readEntry(), reject)
        })
      })
      zip.readEntry()
    })
  } finally {
    zip.close()
  }
  return names
}

/** Runs `lus-review import <folder> --catalog <catalog>`; resolves with its exit code and output. */
export function cliImport(folder: string, catalogPath: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'lus-review.js'), 'import', folder, '--catalog', catalogPath],
      { cwd: REPO_ROOT, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
        resolve({ code, stdout, stderr })
      }
    )
  })
}
