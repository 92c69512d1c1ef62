/**
 * `lus-review serve --study FILE.zip [--store DIR] [--port N]`: a reader
 * workstation in a browser. Opens the reader bundle into its own store (no
 * catalog is opened at all), serves the study under serve mode's token and
 * Host rules, and stops cleanly on SIGINT/SIGTERM: the server first, then
 * the store, so no request writes into a closed database.
 */
import { openStudy, type OpenedStudy } from '../reader/openStudy'
import { readerServeHost } from '../reader/readerServeHost'
import { startServer, type RunningServer } from '../serve/httpServer'

export interface ServeStudyOptions {
  /** The reader bundle (.zip) the coordinator sent. */
  studyZip: string
  /** The study's store folder; defaults to `<user data>/studies/<studyId>`. */
  storeDir?: string
  /** The built renderer (out/renderer). */
  rendererDir: string
  host?: string
  port?: number
  token?: string
  allowNonLoopback?: boolean
}

/** The process around the command; tests pass stand-ins. */
export interface ServeStudyProcess {
  log(line: string): void
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): void
  exit(code: number): void
}

export interface ServingStudy {
  study: OpenedStudy
  server: RunningServer
  /** Stops serving and closes the store; what a signal does, before exiting. */
  stop(): Promise<void>
}

const nodeProcess: ServeStudyProcess = {
  log: (line) => console.log(line),
  once: (signal, listener) => void process.once(signal, listener),
  exit: (code) => process.exit(code)
}

/** How long a stop may wait for open connections (a video being streamed) before the process exits anyway. */
const STOP_GRACE_MS = 2000

export async function serveStudyCommand(options: ServeStudyOptions, proc: ServeStudyProcess = nodeProcess): Promise<ServingStudy> {
  const study = await openStudy(options.studyZip, options.storeDir !== undefined ? { storeDir: options.storeDir } : {})
  let server: RunningServer
  try {
    server = await startServer({
      app: readerServeHost(study.service),
      rendererDir: options.rendererDir,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      ...(options.token !== undefined ? { token: options.token } : {}),
      allowNonLoopback: options.allowNonLoopback ?? false
    })
  } catch (e) {
    study.close()
    throw e
  }
  let stopping: Promise<void> | null = null
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // Streams of a clip keep their connection open: don't let them hold the store open forever.
      const grace = setTimeout(() => server.server.closeAllConnections(), STOP_GRACE_MS)
      grace.unref()
      await server.close()
      clearTimeout(grace)
      study.close()
    })()
    return stopping
  }
  const onSignal = (): void => {
    stop().then(
      () => proc.exit(0),
      (e: unknown) => {
        proc.log(`lus-review: stopping failed: ${(e as Error).message}`)
        proc.exit(1)
      }
    )
  }
  proc.once('SIGINT', onSignal)
  proc.once('SIGTERM', onSignal)

  proc.log(`LUS Review reader study at ${server.url}`)
  proc.log(`Study: ${study.manifest.name} (${study.manifest.clips.length} clips${study.resumed ? ', resumed' : ''}).`)
  proc.log(`Store: ${study.storeDir}. Press Ctrl+C to stop.`)
  return { study, server, stop }
}
