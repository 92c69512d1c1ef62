/**
 * The DICOMweb client against a small local HTTP server: multipart parsing,
 * and a clear message for each way a PACS can fail. (The real thing,
 * Orthanc, is in tests/integration/orthanc.)
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseMultipart } from '../../../src/main/submission/pacs/multipart'
import { DicomWebClient } from '../../../src/main/submission/pacs/dicomweb'
import { PacsConfigStore } from '../../../src/main/submission/pacs/pacsConfig'
import { readFileSync } from 'node:fs'
import { tempDir } from '../../helpers/paths'

let server: Server
let base: string
let tmp: ReturnType<typeof tempDir>

beforeAll(async () => {
  tmp = tempDir('lus-pacs-')
  server = createServer((req, res) => {
    const url = req.url ?? ''
    if (req.headers.authorization !== `Basic ${Buffer.from('user:pw').toString('base64')}` && url.startsWith('/auth')) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="pacs"' }).end()
      return
    }
    if (url.startsWith('/slow')) return // never answers
    if (url.startsWith('/broken')) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('database is locked')
      return
    }
    if (url.startsWith('/html')) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login page</html>')
      return
    }
    if (url.startsWith('/ok/studies?')) {
      res.writeHead(200, { 'Content-Type': 'application/dicom+json' }).end(
        JSON.stringify([
          {
            '0020000D': { vr: 'UI', Value: ['1.2.3'] },
            '00080020': { vr: 'DA', Value: ['20200401'] },
            '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
            '00080061': { vr: 'CS', Value: ['US'] },
            '00201208': { vr: 'IS', Value: [3] }
          }
        ])
      )
      return
    }
    if (url.startsWith('/empty/studies')) {
      res.writeHead(204).end()
      return
    }
    res.writeHead(404).end('not here')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  tmp.cleanup()
})

const client = (path: string, login: { username: string | null; password: string | null } = { username: null, password: null }, timeoutMs = 2000) =>
  new DicomWebClient({ url: `${base}${path}`, ...login }, timeoutMs)

describe('multipart/related', () => {
  it('splits parts on the boundary, binary-safe', () => {
    const dicom = Buffer.from([0, 1, 2, 0x0d, 0x0a, 0x2d, 0x2d, 255])
    const body = Buffer.concat([
      Buffer.from('--b0undary\r\nContent-Type: application/dicom\r\nContent-Length: 8\r\n\r\n'),
      dicom,
      Buffer.from('\r\n--b0undary\r\nContent-Type: application/dicom\r\n\r\n'),
      Buffer.from('second'),
      Buffer.from('\r\n--b0undary--\r\n')
    ])
    const parts = parseMultipart(body, 'multipart/related; type="application/dicom"; boundary="b0undary"')
    expect(parts).toHaveLength(2)
    expect(parts[0]!.headers['content-type']).toBe('application/dicom')
    expect(Buffer.compare(parts[0]!.body, dicom)).toBe(0)
    expect(parts[1]!.body.toString()).toBe('second')
  })
  it('refuses what is not multipart or is cut short', () => {
    expect(() => parseMultipart(Buffer.from('x'), 'application/json')).toThrow(/answered "application\/json" instead of multipart\/related/)
    expect(() => parseMultipart(Buffer.from('--b\r\n\r\nabc'), 'multipart/related; boundary=b')).toThrow(/cut short/)
  })
})

describe('PACS answers', () => {
  it('parses QIDO-RS study results; 204 is no result', async () => {
    expect(await client('/ok').searchStudies({ modality: 'US' })).toEqual([
      { studyUid: '1.2.3', date: '20200401', description: null, modalities: ['US'], patientName: 'Doe^Jane', patientId: null, seriesCount: null, instanceCount: 3 }
    ])
    expect(await client('/empty').searchStudies({})).toEqual([])
  })

  it('unreachable, wrong path, refused login, server error, not DICOM JSON, no answer: each says so', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    await expect(new DicomWebClient({ url: `http://127.0.0.1:${port}/dicom-web`, username: null, password: null }).searchStudies({})).rejects.toThrow(
      `The PACS at http://127.0.0.1:${port} cannot be reached: the connection was refused (is the server running, and is the port right?).`
    )
    await expect(new DicomWebClient({ url: 'http://no-such-host.invalid/dicom-web', username: null, password: null }).searchStudies({})).rejects.toThrow(/cannot be reached: the host name (is unknown|cannot be resolved)/)
    await expect(client('/nowhere').searchStudies({})).rejects.toThrow(/has no DICOMweb resource at .*\/nowhere\/studies \(HTTP 404 Not Found\)\. Check the base URL/)
    await expect(client('/auth', { username: 'user', password: 'wrong' }).searchStudies({})).rejects.toThrow(/refused the login of "user" \(HTTP 401 Unauthorized\)/)
    await expect(client('/auth').searchStudies({})).rejects.toThrow(/refused access without a login/)
    await expect(client('/broken').searchStudies({})).rejects.toThrow(/answered HTTP 500 Internal Server Error: database is locked/)
    await expect(client('/html').searchStudies({})).rejects.toThrow(/not DICOM JSON \(text\/html\)/)
    await expect(client('/slow', undefined, 300).searchStudies({})).rejects.toThrow(/did not answer within 300 ms\./)
  })
})

describe('PACS settings', () => {
  it('keeps the password encrypted at rest, never in clear', () => {
    const store = new PacsConfigStore(join(tmp.path, 'state'))
    expect(store.view()).toMatchObject({ url: null, hasPassword: false })
    store.set('http://pacs.local:8042/dicom-web/', 'alice', 'correct horse battery')
    expect(store.view()).toMatchObject({ url: 'http://pacs.local:8042/dicom-web', username: 'alice', hasPassword: true })
    const onDisk = readFileSync(join(tmp.path, 'state', 'pacs.json'), 'utf8')
    expect(onDisk).not.toMatch(/correct horse/)
    expect(store.credentials()).toEqual({ url: 'http://pacs.local:8042/dicom-web', username: 'alice', password: 'correct horse battery' })
    store.set('http://pacs.local:8042/dicom-web', undefined, undefined)
    expect(store.credentials().password).toBe('correct horse battery')
    store.set('http://pacs.local:8042/dicom-web', 'alice', null)
    expect(store.view().hasPassword).toBe(false)
    expect(() => store.set('ftp://x', null, null)).toThrow(/must be http or https/)
    expect(() => store.set('http://bob:pw@x/dicom-web', null, null)).toThrow(/not in the URL/)
  })
})
