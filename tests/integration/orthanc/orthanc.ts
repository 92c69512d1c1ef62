/**
 * A throwaway Orthanc for the integration tests: its own temp storage, a
 * free HTTP port, the DICOMweb plugin, a registered user, no DICOM (C-STORE)
 * server. Orthanc 1.10 has no option to bind one address: it listens on all
 * interfaces, and "RemoteAccessAllowed": false makes it refuse every client
 * but the loopback one. The tests talk to it on 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'

export const ORTHANC_USER = 'lus'
export const ORTHANC_PASSWORD = 'lus-test-password'

/** Debian's packages: `orthanc` (the server) and `orthanc-dicomweb` (the plugin). */
export const INSTALL_HINT = 'Install Debian packages orthanc and orthanc-dicomweb (apt-get install orthanc orthanc-dicomweb), or set LUS_SKIP_ORTHANC=1 to skip these tests.'

export function orthancBinary(): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin']) {
    const p = join(dir, 'Orthanc')
    if (dir && existsSync(p)) return p
  }
  return null
}

/** The DICOMweb plugin's shared object, wherever the package put it. */
export function dicomWebPlugin(): string | null {
  const direct = ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so', '/usr/lib/orthanc/libOrthancDicomWeb.so', '/usr/local/share/orthanc/plugins/libOrthancDicomWeb.so']
  for (const p of direct) if (existsSync(p)) return p
  for (const dir of ['/usr/lib/orthanc', '/usr/share/orthanc/plugins']) {
    if (!existsSync(dir)) continue
    const hit = readdirSync(dir).find((n) => /^libOrthancDicomWeb\.so/.test(n))
    if (hit) return join(dir, hit)
  }
  return null
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export interface RunningOrthanc {
  base: string
  dicomWeb: string
  auth: string
  stop(): Promise<void>
  log(): string
}

export async function startOrthanc(dir: string): Promise<RunningOrthanc> {
  const bin = orthancBinary()
  const plugin = dicomWebPlugin()
  if (!bin) throw new Error(`Orthanc is not installed (no Orthanc binary on PATH or in /usr/sbin). ${INSTALL_HINT}`)
  if (!plugin) throw new Error(`The Orthanc DICOMweb plugin (libOrthancDicomWeb.so) is not installed. ${INSTALL_HINT}`)
  const port = await freePort()
  const storage = join(dir, 'storage')
  mkdirSync(storage, { recursive: true })
  const config = join(dir, 'orthanc.json')
  writeFileSync(
    config,
    JSON.stringify(
      {
        Name: 'LUS-Review-test',
        StorageDirectory: storage,
        IndexDirectory: storage,
        HttpPort: port,
        HttpServerEnabled: true,
        DicomServerEnabled: false,
        RemoteAccessAllowed: false,
        AuthenticationEnabled: true,
        RegisteredUsers: { [ORTHANC_USER]: ORTHANC_PASSWORD },
        Plugins: [plugin],
        DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false, Host: '127.0.0.1', Ssl: false },
        StableAge: 1
      },
      null,
      2
    )
  )
  let log = ''
  const child: ChildProcess = spawn(bin, [config], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20000)))
  child.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20000)))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  const base = `http://127.0.0.1:${port}`
  const auth = `Basic ${Buffer.from(`${ORTHANC_USER}:${ORTHANC_PASSWORD}`).toString('base64')}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited at start (code ${child.exitCode}):\n${log.slice(-3000)}`)
    try {
      const r = await fetch(`${base}/dicom-web/studies`, { headers: { Authorization: auth } })
      if (r.ok || r.status === 204) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`Orthanc did not answer on ${base} within 30 s:\n${log.slice(-3000)}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    base,
    dicomWeb: `${base}/dicom-web`,
    auth,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(t)
      }
    }
  }
}
