/**
 * The process the crash harness kills: optionally imports a dataset, then
 * applies a stream of audited edits, acknowledging each on stdout only
 * after its transaction committed. In `own` mode it paces its edits and then
 * keeps the catalog open until killed: the running owner another process
 * tries to write to or restore under.
 * argv: CATALOG DATASET_DIR MODE(import|edit|own) SEED
 */
import { CatalogRepository } from '../../src/main/catalog/catalogRepository'
import { openCatalog } from '../../src/main/catalog/database'
import { importDataset } from '../../src/main/dataset/datasetImport'
import { ReviewService } from '../../src/main/review/reviewService'
import type { CsvColumn } from '../../src/shared/vocabulary'

export const EDITED_FIELDS: CsvColumn[] = ['Comments first medical doctor (MD1)', 'MD2', 'MD3', 'Age', 'Patient ID / Name', 'Other']

async function main(): Promise<void> {
  const [catalog, dataset, mode, seedText] = process.argv.slice(2)
  const db = openCatalog(catalog!)
  if (mode === 'import') {
    await importDataset(db, dataset!)
    process.stdout.write('IMPORTED\n')
  }
  const repo = new CatalogRepository(db)
  const review = new ReviewService(db, repo)
  review.settings.setUserName('crash-harness')
  const ids = repo.list().map((e) => e.id)
  let s = Number(seedText) >>> 0
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  // Every (entry, field) pair at most once, so an acknowledged value is the expected final value.
  process.stdout.write('READY\n')
  const pairs = ids.flatMap((id) => EDITED_FIELDS.map((f) => [id, f] as const)).sort(() => rand() - 0.5)
  let n = 0
  for (const [id, field] of pairs) {
    const value = `edit-${seedText}-${n++}`
    review.editCells(id, { [field]: value })
    process.stdout.write(`ACK\t${id}\t${field}\t${value}\n`)
    if (mode === 'own') await new Promise((r) => setTimeout(r, 5))
    else if (n % 20 === 0) await new Promise((r) => setImmediate(r))
  }
  process.stdout.write('DONE\n')
  if (mode === 'own') await new Promise(() => setInterval(() => db.prepare('SELECT 1').get(), 1000))
  db.close()
}

void main()
