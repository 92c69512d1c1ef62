/**
 * The lus-review program: which commands there are (one file each in this
 * folder), the exit codes and how a failure is told. src/main/cli.ts runs it.
 *
 * Exit codes: 0 done (and --help, --version); 1 the work failed (a message, no
 * stack trace unless --debug); 2 the command was called wrongly (one line with
 * its usage); 130 interrupted.
 */
import { resolve } from 'node:path'
import { Command } from 'commander'
import { setCatalogOwnerProgram } from '../catalog/catalogLock'
import { catalogReadError } from '../catalog/database'
import { defineAgreementCommand } from './agreementCommand'
import { defineBackupCommand, defineRestoreCommand } from './backupCommands'
import { defineBundleCommand, defineRebuildCommand } from './bundleCommand'
import { CONSOLE, configure, parseAndRun, UsageError, usageMessage, type CommandIo } from './commandKit'
import { defineDicomInfoCommand } from './dicomCommands'
import { defineExportCsvCommand } from './exportCsvCommand'
import { defineImportCommand } from './importCommand'
import { definePredictCommand } from './predictCommand'
import { defineReaderBundleCommand } from './readerBundleCommand'
import { defineServeCommand } from './serveCommand'
import { defineSetsCommand } from './setsCommand'
import { defineSplitCommand } from './splitCommand'
import { defineStatsCommand } from './statsCommand'
import { UserError } from '../errors'
import { currentLogDir, initLogging, log, logFailure } from '../log/logger'
import { defaultCatalogPath } from '../paths'
import { APP_VERSION } from '../version'

/** The whole program; exported for the tests that check every command's help and usage. */
export function defineProgram(io: CommandIo = CONSOLE, rendererDir: string = resolve('out', 'renderer')): Command {
  const program = new Command('lus-review')
    .description(
      `LUS Review ${APP_VERSION}: review and label lung ultrasound clips. The catalog defaults to ${defaultCatalogPath()}. ` +
        'lus-review COMMAND --help tells the options of each command.'
    )
    .usage('COMMAND [options]')
    .version(APP_VERSION, '-v, --version', 'print the version')
    .option('--debug', 'on an unexpected failure, print the stack trace')
    .configureHelp({ subcommandTerm: (cmd) => cmd.name(), sortSubcommands: false })
    .addHelpText('after', '\nLogs: $LUS_REVIEW_LOG_DIR, or ~/.local/state/lus-review/logs (see README, "Logs").')
  for (const cmd of [
    defineImportCommand(io),
    defineDicomInfoCommand(io),
    defineBundleCommand(io),
    defineRebuildCommand('butterfly', io),
    defineRebuildCommand('web', io),
    defineExportCsvCommand(io),
    defineServeCommand({ rendererDir }, io),
    defineStatsCommand(io),
    defineBackupCommand(io),
    defineRestoreCommand(io),
    defineAgreementCommand(io),
    defineSplitCommand(io),
    definePredictCommand(io),
    defineSetsCommand(io),
    defineReaderBundleCommand(io)
  ])
    program.addCommand(cmd)
  program.hook('preAction', async (_program, actionCommand) => {
    const name = actionCommand.parent && actionCommand.parent !== program ? `${actionCommand.parent.name()} ${actionCommand.name()}` : actionCommand.name()
    // Named in the owner note a refused process reads: "open in lus-review import (pid …)".
    setCatalogOwnerProgram(`lus-review ${name}`)
    try {
      await initLogging(name === 'serve' ? 'serve' : 'cli')
    } catch {
      // No log (an unwritable folder) is no reason to refuse the work.
    }
    log().info({ op: `cli/${name}` }, 'start')
  })
  return configure(program, io)
}

/** The catalog a failure may be about, so a damaged catalog is told in words. */
function catalogOf(argv: readonly string[]): string | null {
  const i = argv.findIndex((a) => a === '--catalog' || a.startsWith('--catalog='))
  if (i < 0) return null
  const value = argv[i]!.includes('=') ? argv[i]!.slice('--catalog='.length) : argv[i + 1]
  return value ? resolve(value) : null
}

export async function main(argv: readonly string[], rendererDir: string, io: CommandIo = CONSOLE): Promise<number> {
  const debug = argv.includes('--debug')
  const program = defineProgram(io, rendererDir)
  // Only a command's own name goes into the log, never a word the user typed in its place.
  const typed = argv.find((a) => !a.startsWith('-'))
  const command = program.commands.some((c) => c.name() === typed) ? typed! : 'none'
  try {
    const code = await parseAndRun(program, argv)
    log().info({ op: `cli/${command}`, exitCode: code }, 'done')
    return code
  } catch (thrown) {
    if (thrown instanceof UsageError) {
      io.error(usageMessage(thrown))
      return 2
    }
    // A damaged catalog is the user's problem to solve (restore a backup), not a stack trace.
    const e = catalogReadError(catalogOf(argv) ?? defaultCatalogPath(), thrown)
    logFailure(`cli/${command}`, e)
    if (e instanceof UserError) {
      io.error(`lus-review: ${e.message}`)
      return 1
    }
    const where = currentLogDir()
    io.error(`lus-review: unexpected error: ${(e as Error)?.message ?? String(e)}`)
    if (debug) io.error((e as Error)?.stack ?? String(e))
    else io.error(`  (run again with --debug for the stack trace${where ? `; the log in ${where} says where it failed` : ''})`)
    return 1
  }
}
