import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WORKER_ENTRIES, fromWorkerFailure, toWorkerFailure, workerEntryFile, type WorkerEntry } from '../../../src/main/jobs/workerThread'
import { UserError } from '../../../src/main/errors'
import { REPO_ROOT } from '../../helpers/paths'

const ENTRIES = Object.keys(WORKER_ENTRIES) as WorkerEntry[]

describe('finding a worker entry', () => {
  it('from source: the TypeScript file under src/main, which exists', () => {
    for (const entry of ENTRIES) {
      const { file, fromSource } = workerEntryFile(entry)
      expect(fromSource).toBe(true)
      expect(file).toBe(join(REPO_ROOT, 'src/main', WORKER_ENTRIES[entry]))
      expect(existsSync(file), file).toBe(true)
    }
  })

  it('from the bundle: out/main/<name>.js, whether this code sits in an entry or in a shared chunk', () => {
    const out = '/app/out/main'
    const built = new Set(ENTRIES.map((e) => `${out}/${e}.js`))
    for (const here of [`${out}/index.js`, `${out}/cli.js`, `${out}/chunks/openStudy-abc123.js`])
      for (const entry of ENTRIES) expect(workerEntryFile(entry, here, (f) => built.has(f))).toEqual({ file: `${out}/${entry}.js`, fromSource: false })
  })

  it('says the build is incomplete when the worker was not emitted', () => {
    expect(() => workerEntryFile('importWorker', '/app/out/main/cli.js', () => false)).toThrow(/importWorker worker is missing.*npm run build/)
  })

  it('the main build emits every worker as its own entry, named as workerThread.ts looks for it', async () => {
    const config = (await import('../../../electron.vite.config')).default as { main: { build: { rollupOptions: { input: Record<string, string> } } } }
    const input = config.main.build.rollupOptions.input
    for (const entry of ENTRIES) expect(input[entry], entry).toBe(resolve(REPO_ROOT, 'src/main', WORKER_ENTRIES[entry]))
  })
})

describe('errors across the thread boundary', () => {
  it('a UserError keeps its code and message; anything else stays unexpected', () => {
    const back = fromWorkerFailure(toWorkerFailure(new UserError('conflict', 'changed since it was imported')))
    expect(back).toBeInstanceOf(UserError)
    expect(back).toMatchObject({ code: 'conflict', message: 'changed since it was imported' })
    const other = fromWorkerFailure(toWorkerFailure(new TypeError('boom')))
    expect(other).not.toBeInstanceOf(UserError)
    expect(other.message).toBe('boom')
  })
})
