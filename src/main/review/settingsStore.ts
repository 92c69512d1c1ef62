import type { CatalogDb } from '../catalog/database'

const USER_NAME = 'user.name'

/** Local settings kept in the catalog, such as the name recorded with every change. */
export class SettingsStore {
  private readonly getStmt
  private readonly setStmt

  constructor(db: CatalogDb) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    this.setStmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
  }

  userName(): string | null {
    return this.getStmt.get(USER_NAME)?.value ?? null
  }

  setUserName(name: string): string {
    const clean = name.trim()
    this.setStmt.run(USER_NAME, clean)
    return clean
  }
}
