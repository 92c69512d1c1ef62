/**
 * The app's own command-line options: `--catalog FILE` and `--study FILE.zip`
 * (reader mode), as `--opt value` or `--opt=value`; and the arguments that
 * relaunch the app in reader mode for another study. Electron adds its own
 * arguments (the app path in development, Chromium switches), which are left alone.
 */
import { resolve } from 'node:path'
import { UserError } from '../errors'

export interface LaunchArgs {
  catalogPath: string | null
  /** Set: start as a reader workstation holding this study. */
  studyPath: string | null
}

function optionValue(argv: readonly string[], name: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1)
    if (arg === name) {
      const value = argv[i + 1]
      if (value === undefined || value.startsWith('--')) throw new UserError('invalid_request', `${name} needs a file after it.`)
      return value
    }
  }
  return null
}

/** `argv` is process.argv; relative paths are resolved against `cwd`. */
export function parseLaunchArgs(argv: readonly string[], cwd = process.cwd()): LaunchArgs {
  const catalog = optionValue(argv, '--catalog')
  const study = optionValue(argv, '--study')
  if (study === '') throw new UserError('invalid_request', '--study needs the reader study file (a .zip).')
  return { catalogPath: catalog ? resolve(cwd, catalog) : null, studyPath: study ? resolve(cwd, study) : null }
}

/**
 * What `app.relaunch({ args })` needs to start this app again holding
 * `studyPath`: the current arguments after the executable, without any
 * earlier `--study`, and `--study <path>` added.
 */
export function readerRelaunchArgs(argv: readonly string[], studyPath: string): string[] {
  const kept: string[] = []
  const rest = argv.slice(1)
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (arg === '--study') {
      i++
      continue
    }
    if (arg.startsWith('--study=')) continue
    kept.push(arg)
  }
  return [...kept, '--study', studyPath]
}
