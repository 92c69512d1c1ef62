import type { CatalogDb } from '../../src/main/catalog/database'

/** Every row of every table, to prove a failed operation changed nothing. */
export function snapshotCatalog(db: CatalogDb): string {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((t) => t.name)
  const out: Record<string, unknown[]> = {}
  for (const t of tables) out[t] = db.prepare(`SELECT * FROM "${t.replaceAll('"', '""')}" ORDER BY rowid`).all()
  return JSON.stringify({ version: db.pragma('user_version', { simple: true }), out })
}
