/**
 * How the project starts Debian's Chromium, in one place: the e2e tests
 * (playwright.config.ts) and the benches that drive a browser use the same
 * binary and flags, so a figure and a test see the same browser.
 */
export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium'

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]
