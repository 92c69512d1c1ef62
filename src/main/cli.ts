/**
 * `lus-review`: the command line over the same services as the app, run by
 * plain Node (no Electron), which is also how serve mode runs. The program
 * (its commands, exit codes and failure messages) is src/main/cli/program.ts;
 * each command is one file beside it. This entry only runs it and closes the log.
 */
import { resolve } from 'node:path'
import { main } from './cli/program'
import { closeLogging, flushLog } from './log/logger'

// The built renderer beside the built CLI (out/main/cli.js → out/renderer), served by `serve`.
main(process.argv.slice(2), resolve(__dirname, '../renderer')).then(
  async (code) => {
    flushLog()
    await closeLogging().catch(() => {})
    process.exitCode = code
  },
  (e: unknown) => {
    // main answers every failure itself; this is a bug in it.
    console.error(e)
    process.exitCode = 1
  }
)
