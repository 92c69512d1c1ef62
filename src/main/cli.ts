/**
 * `lus-review`: the command line over the same services as the app.
 * Runs under plain Node (no Electron), which is also how serve mode runs.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CatalogRepository } from './catalog/catalogRepository'
import { backupNow, listBackups, restoreBackup } from './catalog/backup'
import { acquireCatalogLock, setCatalogOwnerProgram } from './catalog/catalogLock'
import { CatalogSession } from './catalog/catalogSession'
import { catalogReadError, openCatalog } from './catalog/database'
import { agreementOptions, runAgreementCommand } from './cli/agreementCommand'
import { bundleCommand, rebuildCommand } from './cli/bundleCommand'
import { dicomImportCommand, dicomInfoCommand, isDicomImport } from './cli/dicomCommands'
import { runPredictCommand } from './cli/predictCommand'
import { READER_BUNDLE_USAGE, runReaderBundleCommand } from './cli/readerBundleCommand'
import { serveStudyCommand } from './cli/serveStudyCommand'
import { runSetsCommand, SETS_USAGE } from './cli/setsCommand'
import { runSplitCommand } from './cli/splitCommand'
import { formatStatsTable } from './cli/statsTable'
import { importDataset } from './dataset/datasetImport'
import { UserError } from './errors'
import { exportCsv } from './export/csvExport'
import { sourceCsvFiles, writeCsvExport } from './export/csvFile'
import { defaultCatalogPath } from './paths'
import { startServer } from './serve/httpServer'
import { APP_VERSION } from './version'

const USAGE = `LUS Review ${APP_VERSION}: review and label lung ultrasound clips

Usage:
  lus-review import FOLDER [--catalog FILE] [--include-orphans]
      Import a dataset folder (dataset_metadata.csv, pocus_videos/, pocus_images/).
  lus-review import FILE.dcm [--catalog FILE] [--label L] [--probe P] [--license "CC BY 4.0"] [--provenance TEXT]
      Import a DICOM file (de-identified) as a new contribution.
  lus-review dicom-info FILE.dcm
      Transfer syntax, SOP class, modality, frames, size, photometric interpretation, frame rate (JSON).
  lus-review bundle --out FILE.zip [--catalog FILE] [--filter KEY=VALUE]... [--source-name NAME]
      A submission bundle in the dataset's conventions (validated, PHI-scanned).
  lus-review rebuild-butterfly GALLERY.zip [--catalog FILE] [--source ID]
  lus-review rebuild-web FOLDER [--catalog FILE] [--source ID] [--crop-json FILE]
      Rebuild the clips the dataset cannot redistribute from files you downloaded.
  lus-review export-csv OUT.csv [--catalog FILE]
      Write dataset_metadata.csv from the catalog, in the source file's dialect.
  lus-review serve [--catalog FILE] [--port N] [--host 127.0.0.1] [--allow-non-loopback]
      Serve the app to a browser on this machine; prints a URL with an access token.
  lus-review serve --study FILE.zip [--store DIR] [--port N]
      A reader workstation for one blinded study (a reader bundle): only its clips and questions.
  lus-review stats [--catalog FILE] [--json]
      Counts by label × probe × type, pathologies and symptoms by label, licences.
  lus-review backup [--catalog FILE]
      Write a backup beside the catalog (backups/); the last 10 are kept.
  lus-review restore [BACKUP] [--catalog FILE]
      Without BACKUP, list backups; with it, replace the catalog with it (the current one is backed up first).
  lus-review agreement RATINGS.csv [--seed N] [--replicates N]
      Agreement statistics (percent agreement, Fleiss' and pairwise Cohen's κ with bootstrap
      95% CIs) for long-format ratings: columns item,rater,value. Prints JSON.
  lus-review split --out DIR [--folds 5] [--seed 42] [--frames] [--catalog FILE]
      Patient-level cross-validation folds (cross_val.json, folds.csv) with a leakage check.
  lus-review predict [--catalog FILE] [--json] [--skip-done]
      Run the shipped classifier over every clip (WASM, under Node); expert labels are never changed.
  ${SETS_USAGE}
  ${READER_BUNDLE_USAGE}

The catalog defaults to ${defaultCatalogPath()}.`

/** The catalog the command works on, so an unexpected database error can still be told in words (see the catch below). */
let catalogInUse: string | null = null

async function main(argv: string[]): Promise<number> {
  // Named in the owner note a refused process reads: "open in lus-review import (pid …)".
  if (argv[0] && !argv[0].startsWith('-')) setCatalogOwnerProgram(`lus-review ${argv[0]}`)
  // These parse their own options (see their usage texts).
  if (argv[0] === 'split') return runSplitCommand(argv.slice(1))
  if (argv[0] === 'predict') return runPredictCommand(argv.slice(1))
  if (argv[0] === 'sets') return runSetsCommand(argv.slice(1))
  if (argv[0] === 'reader-bundle') return runReaderBundleCommand(argv.slice(1))
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      catalog: { type: 'string' },
      study: { type: 'string' },
      store: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      'allow-non-loopback': { type: 'boolean' },
      'include-orphans': { type: 'boolean' },
      json: { type: 'boolean' },
      seed: { type: 'string' },
      label: { type: 'string' },
      probe: { type: 'string' },
      license: { type: 'string' },
      provenance: { type: 'string' },
      out: { type: 'string' },
      filter: { type: 'string', multiple: true },
      'source-name': { type: 'string' },
      'crop-json': { type: 'string' },
      source: { type: 'string' },
      replicates: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' }
    }
  })
  const [command, ...rest] = positionals
  if (values.version) {
    console.log(APP_VERSION)
    return 0
  }
  if (values.help || !command) {
    console.log(USAGE)
    return command || values.help ? 0 : 2
  }
  const catalogPath = resolve(values.catalog ?? defaultCatalogPath())
  catalogInUse = catalogPath

  switch (command) {
    case 'import': {
      const folder = rest[0]
      if (!folder) throw new UserError('invalid_request', 'import needs a FOLDER (or a DICOM file).')
      if (isDicomImport(resolve(folder))) {
        console.log(
          await dicomImportCommand(resolve(folder), {
            catalogPath,
            ...(values.label !== undefined ? { label: values.label } : {}),
            ...(values.probe !== undefined ? { probe: values.probe } : {}),
            ...(values.license !== undefined ? { license: values.license } : {}),
            ...(values.provenance !== undefined ? { provenance: values.provenance } : {})
          })
        )
        return 0
      }
      const db = openCatalog(catalogPath, { instead: 'import the folder from inside it' })
      try {
        let last = -1
        const report = await importDataset(db, resolve(folder), {
          includeOrphans: values['include-orphans'] ?? false,
          onProgress: (p) => {
            if (p.total > 0 && p.done !== last && process.stderr.isTTY) {
              last = p.done
              process.stderr.write(`\r${p.done}/${p.total} ${p.message.slice(0, 60).padEnd(60)}`)
            }
          }
        })
        if (process.stderr.isTTY) process.stderr.write('\n')
        console.log(
          `Imported ${report.folder} into ${catalogPath}: ${report.rows} rows (${report.entriesAdded} new, ${report.entriesKept} kept), ` +
            `${report.mediaFiles} media files, ${report.linked} linked, ${report.rowsWithoutMedia} rows without media, ` +
            `${report.unreadable.length} unreadable, ${report.orphans.length} media without a row` +
            (report.orphansAdded ? ` (${report.orphansAdded} added as new entries)` : '') +
            `, ${report.warnings.length} normalization warnings, in ${(report.durationMs / 1000).toFixed(1)} s.`
        )
        for (const u of report.unreadable) console.log(`  unreadable: ${u.file}: ${u.error}`)
        for (const d of report.duplicateStems) console.log(`  ambiguous media (same name): ${d.files.join(', ')}`)
        for (const d of report.duplicateFilenames) console.log(`  duplicate Filename "${d.filename}" on lines ${d.lines.join(', ')}`)
        if (report.orphans.length && !report.orphansAdded)
          console.log(`  ${report.orphans.length} media files have no CSV row; --include-orphans adds them as new entries.`)
      } finally {
        db.close()
      }
      return 0
    }
    case 'export-csv': {
      const out = rest[0]
      if (!out) throw new UserError('invalid_request', 'export-csv needs an output file.')
      // Read-only: works beside a running app or server, and creates nothing at a mistyped path.
      const db = openCatalog(catalogPath, { readonly: true })
      try {
        const { bytes, rows, neutralizedCells } = exportCsv(db)
        // The API's writer: never the dataset's own CSV, never through a symbolic link, atomically.
        const written = writeCsvExport(resolve(out), bytes, sourceCsvFiles(db))
        console.log(`Wrote ${rows} rows (${bytes.length} bytes) to ${written}.`)
        if (neutralizedCells > 0)
          console.log(`  ${neutralizedCells} cells that spreadsheets would run as formulas were written with a leading ' (CSV injection).`)
      } finally {
        db.close()
      }
      return 0
    }
    case 'stats': {
      // Read-only: works beside a running app or server, and creates nothing at a mistyped path.
      const db = openCatalog(catalogPath, { readonly: true })
      try {
        let stats
        try {
          stats = new CatalogRepository(db).stats()
        } catch (e) {
          throw catalogReadError(catalogPath, e)
        }
        console.log(values.json ? JSON.stringify(stats, null, 2) : formatStatsTable(stats))
      } finally {
        db.close()
      }
      return 0
    }
    case 'dicom-info': {
      const file = rest[0]
      if (!file) throw new UserError('invalid_request', 'dicom-info needs a DICOM file.')
      console.log(dicomInfoCommand(resolve(file)))
      return 0
    }
    case 'bundle': {
      if (!values.out) throw new UserError('invalid_request', 'bundle needs --out FILE.zip.')
      console.log(
        await bundleCommand({
          catalogPath,
          out: resolve(values.out),
          filter: values.filter ?? [],
          ...(values['source-name'] !== undefined ? { sourceName: values['source-name'] } : {})
        })
      )
      return 0
    }
    case 'rebuild-butterfly':
    case 'rebuild-web': {
      const path = rest[0]
      if (!path) throw new UserError('invalid_request', `${command} needs ${command === 'rebuild-web' ? 'a FOLDER' : 'a ZIP file'}.`)
      const sourceId = values.source === undefined ? undefined : Number(values.source)
      if (sourceId !== undefined && !Number.isSafeInteger(sourceId)) throw new UserError('invalid_request', `Bad --source ${values.source}.`)
      console.log(
        await rebuildCommand(command === 'rebuild-web' ? 'web' : 'butterfly', resolve(path), {
          catalogPath,
          ...(sourceId !== undefined ? { sourceId } : {}),
          ...(values['crop-json'] !== undefined ? { cropJson: resolve(values['crop-json']) } : {})
        })
      )
      return 0
    }
    case 'agreement': {
      const file = rest[0]
      if (!file) throw new UserError('invalid_request', 'agreement needs a CSV file of ratings (columns item,rater,value).')
      console.log(runAgreementCommand(resolve(file), agreementOptions(values.seed, values.replicates)))
      return 0
    }
    case 'backup': {
      // VACUUM INTO reads a consistent snapshot, so a backup needs no lock and works beside a running owner.
      const db = openCatalog(catalogPath, { readonly: true, allowOlderSchema: true })
      try {
        const b = backupNow(db, catalogPath, 'manual')
        console.log(`Backed up ${catalogPath} to ${b.file} (${b.sizeBytes} bytes).`)
      } finally {
        db.close()
      }
      return 0
    }
    case 'restore': {
      const file = rest[0]
      if (!file) {
        const backups = listBackups(catalogPath)
        if (backups.length === 0) console.log(`No backups of ${catalogPath}.`)
        for (const b of backups) console.log(`${b.createdAt}  ${b.reason.padEnd(28)}  ${b.file}`)
        return 0
      }
      // Never under a running app or server: the file it writes into would be renamed away (its later edits lost).
      const lock = acquireCatalogLock(catalogPath, { instead: 'restore the backup from inside it (Backups)' })
      let safetyCopy: string | null
      try {
        safetyCopy = restoreBackup(catalogPath, resolve(file)).safetyCopy
      } finally {
        lock.release()
      }
      console.log(`Restored ${catalogPath} from ${resolve(file)}.${safetyCopy ? ` The catalog it replaced is saved as ${safetyCopy}.` : ''}`)
      return 0
    }
    case 'serve': {
      const port = values.port === undefined ? 0 : Number(values.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError('invalid_request', `Bad --port ${values.port}.`)
      if (values.study !== undefined) {
        if (values.catalog !== undefined)
          throw new UserError('invalid_request', 'serve takes --study or --catalog, not both: a reader workstation holds no catalog.')
        // The study's own store, never a catalog: the reader workstation answers only the study's operations.
        await serveStudyCommand({
          studyZip: resolve(values.study),
          ...(values.store !== undefined ? { storeDir: resolve(values.store) } : {}),
          rendererDir: resolve(__dirname, '../renderer'),
          host: values.host ?? '127.0.0.1',
          port,
          ...(values.token ? { token: values.token } : {}),
          allowNonLoopback: values['allow-non-loopback'] ?? false
        })
        return new Promise<number>(() => {})
      }
      // The session owns the catalog, its services and the scheduled backups, and can restore a backup in place.
      const session = new CatalogSession({ catalogPath, transport: 'http', version: APP_VERSION })
      const server = await startServer({
        services: session.services,
        rendererDir: resolve(__dirname, '../renderer'),
        host: values.host ?? '127.0.0.1',
        port,
        ...(values.token ? { token: values.token } : {}),
        allowNonLoopback: values['allow-non-loopback'] ?? false
      })
      console.log(`LUS Review serving at ${server.url}`)
      console.log(`Catalog: ${catalogPath}. Press Ctrl+C to stop.`)
      const stop = (): void => {
        void Promise.all([server.close(), session.close()]).then(() => process.exit(0))
        setTimeout(() => process.exit(0), 2000).unref()
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
      return new Promise<number>(() => {})
    }
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`)
      return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (thrown: unknown) => {
    // A damaged catalog is the user's problem to solve (restore a backup), not a stack trace.
    const e = catalogInUse ? catalogReadError(catalogInUse, thrown) : thrown
    if (e instanceof UserError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`lus-review: ${(e as Error).message}`)
      process.exitCode = 1
    } else {
      console.error(e)
      process.exitCode = 70
    }
  }
)
