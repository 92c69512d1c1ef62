import { homedir } from 'node:os'
import { join } from 'node:path'

export const PRODUCT_NAME = 'LUS Review'

/** The OS user-data directory, as Electron's `app.getPath('userData')` names it for this product. */
export function userDataDir(): string {
  if (process.env.LUS_REVIEW_HOME) return process.env.LUS_REVIEW_HOME
  switch (process.platform) {
    case 'win32':
      return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME)
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME)
    default:
      return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME)
  }
}

export function defaultCatalogPath(): string {
  return join(userDataDir(), 'catalog.db')
}
