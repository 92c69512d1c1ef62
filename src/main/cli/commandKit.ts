/**
 * What every lus-review command shares, so they behave alike: the commander
 * settings (unknown options and stray arguments refused), one line and exit
 * code 2 for a usage mistake, the output a test can capture, progress on
 * stderr, and the common options (--catalog, --json, --quiet).
 *
 * Commands are defined with commander (one file per command in src/main/cli/);
 * src/main/cli.ts assembles them into the program. `runStandalone` runs one
 * command definition on its own, as the in-process runners the tests call do.
 */
import { resolve } from 'node:path'
import { Command, CommanderError, Option } from 'commander'
import { defaultCatalogPath } from '../paths'

export interface CommandIo {
  log(line: string): void
  error(line: string): void
  /** Progress of long work (done of total); the console's writes to stderr, on a terminal only. */
  progress?(done: number, total: number, message?: string): void
  /** Ends a progress line. */
  progressDone?(): void
}

let progressShown = false
export const CONSOLE: CommandIo = {
  log: (l) => console.log(l),
  error: (l) => console.error(l),
  progress: (done, total, message) => {
    // Not on a pipe or a log file: a carriage-return line is only readable on a terminal, and stderr stays clean for scripts.
    if (!process.stderr.isTTY || total <= 0) return
    progressShown = true
    const text = message ? ` ${message.slice(0, 60).padEnd(60)}` : ''
    process.stderr.write(`\r${done}/${total}${text}`)
  },
  progressDone: () => {
    if (progressShown) process.stderr.write('\n')
    progressShown = false
  }
}

/** The io a command uses after --quiet: no progress and no notes, only the result and errors. */
export function quietIo(io: CommandIo, quiet: boolean | undefined): CommandIo & { note(line: string): void } {
  return {
    log: (l) => io.log(l),
    error: (l) => io.error(l),
    progress: (d, t, m) => (quiet ? undefined : io.progress?.(d, t, m)),
    progressDone: () => io.progressDone?.(),
    note: (l) => (quiet ? undefined : io.log(l))
  }
}

/** A mistake in how a command was called: one line, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command as typed (`sets create`); filled in by the command that refused it. */
    public command?: string,
    /** Its usage line. */
    public usage?: string
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Help or --version was printed: exit 0. */
export class HelpShown extends Error {
  constructor() {
    super('help shown')
  }
}

/** `sets create` for the `create` command under `sets` under the program. */
export function commandPath(cmd: Command): string {
  const names: string[] = []
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name())
  return names.join(' ')
}

/** `lus-review sets create --name NAME …`: the usage line of a command. */
export function usageLine(cmd: Command): string {
  const path = commandPath(cmd)
  return ['lus-review', path, cmd.usage()].filter((s) => s !== '').join(' ')
}

/** The one line a usage mistake prints. */
export function usageMessage(e: UsageError): string {
  const cmd = e.command ? `lus-review ${e.command}` : 'lus-review'
  const message = e.message.replace(/^error: /, '').split('\n')[0]!.replace(/\.$/, '')
  return `${cmd}: ${message}.${e.usage ? ` Usage: ${e.usage}` : ''} (see ${cmd} --help)`
}

/**
 * Applies the shared settings to a command and everything under it: help and
 * errors through `io`, commander's own error print silenced (the caller prints
 * one line), and every refusal turned into a UsageError naming the command.
 */
export function configure(cmd: Command, io: CommandIo): Command {
  cmd
    .configureOutput({
      writeOut: (s) => io.log(s.replace(/\n$/, '')),
      writeErr: (s) => io.error(s.replace(/\n$/, '')),
      outputError: () => {}
    })
    .allowExcessArguments(false)
    .exitOverride((err: CommanderError) => {
      if (err.exitCode === 0) throw new HelpShown()
      // `lus-review` alone, or `lus-review sets` without create/list: the help was printed to stderr.
      if (err.code === 'commander.help') throw new UsageError(cmd.parent ? `say which ${commandPath(cmd)} command` : 'say which command', commandPath(cmd) || undefined, usageLine(cmd))
      throw new UsageError(err.message, commandPath(cmd) || undefined, usageLine(cmd))
    })
  for (const sub of cmd.commands) configure(sub, io)
  return cmd
}

/**
 * An action that names its command in the usage mistakes it finds itself
 * (`--folds must be …`), as commander names it in those it finds.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number> | number): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const cmd = args[args.length - 1] as Command
    try {
      exitCodes.set(cmd, await fn(...args))
    } catch (e) {
      if (e instanceof UsageError && e.command === undefined) {
        e.command = commandPath(cmd)
        e.usage = usageLine(cmd)
      }
      throw e
    }
  }
}

/** The exit code each command's action returned (commander's actions return nothing). */
const exitCodes = new WeakMap<Command, number>()

function lastExitCode(cmd: Command): number {
  const own = exitCodes.get(cmd)
  if (own !== undefined) return own
  for (const sub of cmd.commands) {
    const code = lastExitCode(sub)
    if (code !== 0) return code
  }
  return 0
}

/**
 * Parses `argv` (the words after the program name) with `cmd` and runs its
 * action. Resolves to the action's exit code, 0 after help; a usage mistake
 * rejects with a UsageError, a failure with its error.
 */
export async function parseAndRun(cmd: Command, argv: readonly string[]): Promise<number> {
  try {
    await cmd.parseAsync([...argv], { from: 'user' })
  } catch (e) {
    if (e instanceof HelpShown) return 0
    throw e
  }
  return lastExitCode(cmd)
}

/** Runs one command's definition on its own (the command's name is not in argv), as the program would. */
export async function runStandalone(make: (io: CommandIo) => Command, argv: readonly string[], io: CommandIo = CONSOLE): Promise<number> {
  const program = new Command('lus-review')
  program.addCommand(make(io))
  configure(program, io)
  return parseAndRun(program, [program.commands[0]!.name(), ...argv])
}

/** The usage-mistake line and exit code 2 instead of a rejection: what the entry point does. */
export async function withUsage(io: CommandIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run()
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    io.error(usageMessage(e))
    return 2
  }
}

/** The options most commands share: --catalog, --json, and --quiet for long work. */
export interface CommonOptions {
  catalog?: string
  json?: boolean
  quiet?: boolean
}

/**
 * A command over the catalog: its name, texts and usage line, with --catalog
 * and --json (`json` says what --json prints). The command adds its other
 * options and its action.
 */
export function catalogCommand(name: string, text: { summary: string; description: string; usage: string; json: string }): Command {
  return new Command(name).summary(text.summary).description(text.description).usage(text.usage).addOption(catalogOption()).addOption(jsonOption(text.json))
}

export const catalogOption = (): Option => new Option('--catalog <file>', `the catalog (default: ${defaultCatalogPath()})`)
export const jsonOption = (what = 'the result'): Option => new Option('--json', `print ${what} as JSON`)
export const quietOption = (): Option => new Option('-q, --quiet', 'no progress and no notes: only the result and errors')

/** The catalog a command works on. */
export function catalogPathOf(opts: { catalog?: string }): string {
  return resolve(opts.catalog ?? defaultCatalogPath())
}

/** A whole number option within bounds, or a usage mistake naming it. */
export function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got "${value}")`)
  return n
}

/** Collects a repeatable option's values (`--filter a --filter b`). */
export const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value]
