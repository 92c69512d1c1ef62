/**
 * Runs the real CLI (`bin/lus-review.js`) as a child process: the import
 * command to fill a catalog, and serve mode to put the built UI on loopback.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import type { Page } from '@playwright/test'
import { resolveLocalhostNames } from './localhostNames'

export const REPO_ROOT = path.resolve(__dirname, '../../..')
const CLI = path.join(REPO_ROOT, 'bin', 'lus-review.js')
// Serve mode prints the first; a reader workstation (serve --study) the second.
const SERVING_LINE = /LUS Review (?:serving|reader study) at (http:\/\/\S+)/
const START_TIMEOUT_MS = 30_000
const IMPORT_TIMEOUT_MS = 180_000
const STOP_GRACE_MS = 5_000

/** The public dataset shipped beside the repository; LUS_DATASET overrides it. */
export function datasetFolder(): string {
  return process.env['LUS_DATASET'] ?? path.resolve(REPO_ROOT, '../shared/lus-dataset')
}

export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lus-e2e-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

export function runImport(folder: string, catalogPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, 'import', folder, '--catalog', catalogPath],
      { cwd: REPO_ROOT, timeout: IMPORT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`lus-review import failed: ${error.message}\n${stdout}\n${stderr}`))
        else resolve()
      }
    )
  })
}

export interface ServeInstance {
  /**
   * The URL with the one-time token, on the run's own `lus-<random>.localhost` name; opening it sets the
   * auth cookie there. The test process reaches that name too (resolveLocalhostNames), so API calls with
   * `Authorization: Bearer` may use its origin.
   */
  url: string
  stop: () => Promise<void>
}

/**
 * Stops a server the page is using, after the page has left it: a request
 * still in flight (a poll, a thumbnail) would otherwise fail with a console
 * error, which fails the test after it passed.
 */
export async function leaveAndStop(page: Page, server: ServeInstance | null | undefined): Promise<void> {
  await page.goto('about:blank').catch(() => undefined)
  await server?.stop()
}

export function startServe(catalogPath: string): Promise<ServeInstance> {
  return startCli(['serve', '--catalog', catalogPath, '--port', '0'])
}

/** A reader workstation: `serve --study` over a reader bundle, its store in `storeDir`. */
export function startServeStudy(studyZip: string, storeDir: string): Promise<ServeInstance> {
  return startCli(['serve', '--study', studyZip, '--store', storeDir, '--port', '0'])
}

async function startCli(args: string[]): Promise<ServeInstance> {
  resolveLocalhostNames()
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk
  })
  try {
    const url = await waitForUrl(child, () => stderr)
    return { url, stop: () => stopProcess(child) }
  } catch (err) {
    await stopProcess(child)
    throw err
  }
}

function waitForUrl(child: ChildProcess & { stdout: NodeJS.ReadableStream }, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    const timer = setTimeout(
      () => finish(new Error(`serve printed no URL within ${START_TIMEOUT_MS} ms.\n${stderr()}`)),
      START_TIMEOUT_MS
    )
    const onExit = (code: number | null): void =>
      finish(new Error(`serve exited (code ${String(code)}) before printing its URL.\n${stderr()}`))
    const finish = (outcome: Error | string): void => {
      clearTimeout(timer)
      child.off('exit', onExit)
      lines.close()
      // Keep draining stdout so a chatty server never blocks on a full pipe.
      child.stdout.resume()
      if (outcome instanceof Error) reject(outcome)
      else resolve(outcome)
    }
    child.on('exit', onExit)
    lines.on('line', (line) => {
      const match = SERVING_LINE.exec(line)
      if (match?.[1]) finish(match[1])
    })
  })
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
  await exited
  clearTimeout(timer)
}
