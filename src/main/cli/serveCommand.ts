/**
 * `lus-review serve`: the app in a browser on this machine (catalog mode), or
 * with --study a reader workstation for one blinded study (serveStudyCommand.ts).
 * Runs until Ctrl+C or SIGTERM, then closes the server before the catalog.
 */
import { resolve } from 'node:path'
import { Command, Option } from 'commander'
import { CatalogSession } from '../catalog/catalogSession'
import { log } from '../log/logger'
import { startServer } from '../serve/httpServer'
import { APP_VERSION } from '../version'
import { action, catalogOption, catalogPathOf, CONSOLE, intOption, UsageError, type CommandIo } from './commandKit'
import { serveStudyCommand } from './serveStudyCommand'

interface ServeOptions {
  catalog?: string
  study?: string
  store?: string
  port?: string
  host: string
  token?: string
  allowNonLoopback?: boolean
}

export interface ServeCommandSetup {
  /** The built renderer (out/renderer), found from the entry point's own folder. */
  rendererDir: string
}

export function defineServeCommand(setup: ServeCommandSetup, io: CommandIo = CONSOLE): Command {
  return new Command('serve')
    .summary('serve the app (or one reader study) to a browser on this machine')
    .description(
      'Serve the app to a browser on this machine; prints a URL with an access token. ' +
        'With --study FILE.zip: a reader workstation for one blinded study (a reader bundle), only its clips and questions, and no catalog.'
    )
    .usage('[--catalog FILE | --study FILE.zip [--store DIR]] [--port N] [--host 127.0.0.1] [--token TOKEN] [--allow-non-loopback]')
    .addOption(catalogOption())
    .option('--study <zip>', 'a reader bundle: serve a reader workstation for it instead of a catalog')
    .option('--store <dir>', "the study's store folder (with --study)")
    .option('--port <n>', 'the port (default: a free one)')
    .addOption(new Option('--host <address>', 'the address to listen on').default('127.0.0.1'))
    .option('--token <token>', 'the access token (default: a random one)')
    .option('--allow-non-loopback', 'allow an address other than loopback (exposes the catalog to the network)')
    .action(
      action(async (o: ServeOptions) => {
        const port = intOption(o.port, 'port', 0, 0, 65535)
        const common = {
          rendererDir: setup.rendererDir,
          host: o.host,
          port,
          ...(o.token ? { token: o.token } : {}),
          allowNonLoopback: o.allowNonLoopback ?? false
        }
        if (o.study !== undefined) {
          if (o.catalog !== undefined) throw new UsageError('serve takes --study or --catalog, not both: a reader workstation holds no catalog')
          // The study's own store, never a catalog: the reader workstation answers only the study's operations.
          await serveStudyCommand({ studyZip: resolve(o.study), ...(o.store !== undefined ? { storeDir: resolve(o.store) } : {}), ...common })
          log().info({ op: 'serve', mode: 'reader' }, 'serving')
          return new Promise<number>(() => {})
        }
        if (o.store !== undefined) throw new UsageError('--store goes with --study')
        const catalogPath = catalogPathOf(o)
        // The session owns the catalog, its services and the scheduled backups, and can restore a backup in place.
        const session = new CatalogSession({ catalogPath, transport: 'http', version: APP_VERSION })
        let server
        try {
          server = await startServer({ services: session.services, ...common })
        } catch (e) {
          await session.close()
          throw e
        }
        log().info({ op: 'serve', mode: 'catalog' }, 'serving')
        io.log(`LUS Review serving at ${server.url}`)
        io.log(`Catalog: ${catalogPath}. Press Ctrl+C to stop.`)
        const running = server
        const stop = (): void => {
          log().info({ op: 'serve' }, 'stopping')
          void Promise.all([running.close(), session.close()]).then(() => process.exit(0))
          setTimeout(() => process.exit(0), 2000).unref()
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
        return new Promise<number>(() => {})
      })
    )
}
