/**
 * `lus-review serve --study FILE.zip`: what it prints, that it serves the
 * study, and that a signal stops the server and closes the store before
 * the process exits. The process is a stand-in (signals are emitted by hand).
 */
import { EventEmitter } from 'node:events'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveStudyCommand, type ServeStudyProcess } from '../../../src/main/cli/serveStudyCommand'
import { UserError } from '../../../src/main/errors'
import { tempDir } from '../../helpers/paths'
import { STUDY_ID, makeStudyMedia, studyParts, writeStudyZip } from './studyFixture'

let tmp: ReturnType<typeof tempDir>
let zip: string
let rendererDir: string

beforeAll(async () => {
  tmp = tempDir('lus-serve-study-')
  zip = await writeStudyZip(join(tmp.path, 'study.zip'), studyParts(await makeStudyMedia(tmp.path)))
  rendererDir = join(tmp.path, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>reader</title>')
})
afterAll(() => tmp.cleanup())

function fakeProcess() {
  const signals = new EventEmitter()
  const lines: string[] = []
  let exited: (code: number) => void = () => {}
  const exit = new Promise<number>((resolve) => (exited = resolve))
  const proc: ServeStudyProcess = {
    log: (line) => lines.push(line),
    once: (signal, listener) => void signals.once(signal, listener),
    exit: (code) => exited(code)
  }
  return { proc, signals, lines, exit }
}

describe('serveStudyCommand', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('prints the URL, study and store, serves the study, and stops cleanly on %s', async (signal) => {
    const p = fakeProcess()
    const storeDir = join(tmp.path, `store-${signal}`)
    const serving = await serveStudyCommand({ studyZip: zip, storeDir, rendererDir, port: 0 }, p.proc)
    expect(p.lines[0]).toBe(`LUS Review reader study at ${serving.server.url}`)
    // A per-run name under localhost keeps the credential's cookie with this server only.
    expect(serving.server.url).toMatch(/^http:\/\/lus-[0-9a-f]{16}\.localhost:\d+\/\?token=/)
    expect(p.lines[1]).toBe('Study: Uncertain B-lines / Spring (3 clips).')
    expect(p.lines[2]).toBe(`Store: ${storeDir}. Press Ctrl+C to stop.`)

    const base = `http://127.0.0.1:${serving.server.port}`
    const headers = { Authorization: `Bearer ${serving.server.token}`, 'Content-Type': 'application/json' }
    const study = await fetch(`${base}/api/reader/study`, { method: 'POST', headers, body: '{}' })
    expect(await study.json()).toMatchObject({ ok: true, value: { studyId: STUDY_ID } })
    const catalog = await fetch(`${base}/api/catalog/list`, { method: 'POST', headers, body: '{}' })
    expect(await catalog.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } })

    p.signals.emit(signal)
    expect(await p.exit).toBe(0)
    await expect(fetch(`${base}/api/reader/study`, { method: 'POST', headers, body: '{}' })).rejects.toThrow()
    // The store is closed: the service can no longer read it.
    expect(() => serving.study.service.open('0a000000-0000-4000-8000-00000000000a')).toThrow(/not open/)
  })

  it('reopening the same study resumes it', async () => {
    const storeDir = join(tmp.path, 'store-resume')
    const first = await serveStudyCommand({ studyZip: zip, storeDir, rendererDir }, fakeProcess().proc)
    await first.stop()
    const p = fakeProcess()
    const again = await serveStudyCommand({ studyZip: zip, storeDir, rendererDir }, p.proc)
    expect(p.lines[1]).toBe('Study: Uncertain B-lines / Spring (3 clips, resumed).')
    await again.stop()
  })

  it('refuses a bad bundle before serving anything', async () => {
    const bad = join(tmp.path, 'bad.zip')
    writeFileSync(bad, 'not a zip')
    const p = fakeProcess()
    await expect(serveStudyCommand({ studyZip: bad, rendererDir }, p.proc)).rejects.toThrow(UserError)
    expect(p.lines).toEqual([])
  })

  it('closes the study when the server cannot start', async () => {
    const storeDir = join(tmp.path, 'store-no-renderer')
    const p = fakeProcess()
    await expect(serveStudyCommand({ studyZip: zip, storeDir, rendererDir: join(tmp.path, 'nowhere') }, p.proc)).rejects.toThrow(/index\.html/)
    // Closed: the last connection to a WAL database removes its -wal file as it goes.
    expect(existsSync(join(storeDir, 'study.db'))).toBe(true)
    expect(existsSync(join(storeDir, 'study.db-wal'))).toBe(false)
    const again = await serveStudyCommand({ studyZip: zip, storeDir, rendererDir }, fakeProcess().proc)
    expect(again.study.resumed).toBe(true)
    expect(existsSync(join(storeDir, 'study.db-wal'))).toBe(true)
    await again.stop()
    expect(existsSync(join(storeDir, 'study.db-wal'))).toBe(false)
  })
})
