/**
 * Fixtures for the catalog specs. One catalog of the public dataset is
 * imported and served per worker (importing takes seconds, the specs only
 * read it); specs that need a blank catalog get their own server.
 */
import { test as base, expect } from '@playwright/test'
import { copyFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { CatalogPage } from './pages/CatalogPage'
import { datasetFolder, leaveAndStop, makeTempDir, runImport, startServe, type ServeInstance } from './support/serveProcess'

interface WorkerFixtures {
  datasetDir: string
  /** A catalog file holding the imported dataset, imported once per worker; copied, never served itself. */
  datasetCatalog: string
  /** Serve mode over a catalog that already holds the imported dataset (shared by the worker's tests: read only). */
  datasetServer: ServeInstance
}

interface TestFixtures {
  /** Serve mode over this test's own copy of the imported dataset's catalog, for tests that edit. */
  editableServer: ServeInstance
  /** Serve mode over a catalog file that does not exist yet. */
  emptyServer: ServeInstance
  catalogPage: CatalogPage
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  datasetDir: [
    async ({}, use) => {
      await use(datasetFolder())
    },
    { scope: 'worker' }
  ],

  datasetCatalog: [
    async ({ datasetDir }, use) => {
      const temp = await makeTempDir()
      const catalogPath = path.join(temp.dir, 'template.db')
      await runImport(datasetDir, catalogPath)
      try {
        await use(catalogPath)
      } finally {
        await temp.remove()
      }
    },
    { scope: 'worker', timeout: 240_000 }
  ],

  datasetServer: [
    async ({ datasetCatalog }, use) => {
      const temp = await makeTempDir()
      const server = await startServe(await copyCatalog(datasetCatalog, temp.dir))
      try {
        await use(server)
      } finally {
        await server.stop()
        await temp.remove()
      }
    },
    { scope: 'worker', timeout: 60_000 }
  ],

  // Servers of one test take the page, so the page leaves them before they stop (leaveAndStop).
  editableServer: async ({ datasetCatalog, page }, use) => {
    const temp = await makeTempDir()
    const server = await startServe(await copyCatalog(datasetCatalog, temp.dir))
    try {
      await use(server)
    } finally {
      await leaveAndStop(page, server)
      await temp.remove()
    }
  },

  emptyServer: async ({ page }, use) => {
    const temp = await makeTempDir()
    const server = await startServe(path.join(temp.dir, 'empty.db'))
    try {
      await use(server)
    } finally {
      await leaveAndStop(page, server)
      await temp.remove()
    }
  },

  // Any uncaught error or console error (a CSP violation among them) fails the test.
  catalogPage: async ({ page }, use) => {
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`)
    })
    await use(new CatalogPage(page))
    expect(problems, 'errors in the browser console').toEqual([])
  }
})

export { expect } from '@playwright/test'

/** Copies a closed catalog (and its WAL, should one be left) so each server has a file of its own. */
async function copyCatalog(template: string, dir: string): Promise<string> {
  const target = path.join(dir, 'catalog.db')
  await copyFile(template, target)
  for (const suffix of ['-wal', '-shm']) {
    const exists = await stat(template + suffix).then(
      () => true,
      () => false
    )
    if (exists) await copyFile(template + suffix, target + suffix)
  }
  return target
}
