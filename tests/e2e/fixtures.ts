/**
 * Fixtures for the catalog specs. One catalog of the public dataset is
 * imported and served per worker (importing takes seconds, the specs only
 * read it); specs that need a blank catalog get their own server.
 */
import { test as base, expect } from '@playwright/test'
import path from 'node:path'
import { CatalogPage } from './pages/CatalogPage'
import { datasetFolder, makeTempDir, runImport, startServe, type ServeInstance } from './support/serveProcess'

interface WorkerFixtures {
  datasetDir: string
  /** Serve mode over a catalog that already holds the imported dataset. */
  datasetServer: ServeInstance
}

interface TestFixtures {
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

  datasetServer: [
    async ({ datasetDir }, use) => {
      const temp = await makeTempDir()
      const catalogPath = path.join(temp.dir, 'catalog.db')
      await runImport(datasetDir, catalogPath)
      const server = await startServe(catalogPath)
      try {
        await use(server)
      } finally {
        await server.stop()
        await temp.remove()
      }
    },
    { scope: 'worker', timeout: 240_000 }
  ],

  emptyServer: async ({}, use) => {
    const temp = await makeTempDir()
    const server = await startServe(path.join(temp.dir, 'empty.db'))
    try {
      await use(server)
    } finally {
      await server.stop()
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
