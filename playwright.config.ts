import { defineConfig } from '@playwright/test'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from './bench/chromium'

// The servers the tests start log here, never into the user's own log folder (inherited by every worker).
process.env.LUS_REVIEW_LOG_DIR ??= join(tmpdir(), 'lus-review-test-logs')


// Serve mode needs the built renderer and CLI: run `npx electron-vite build` first.
export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results/e2e',
  reporter: [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: CHROMIUM_EXECUTABLE,
      args: [...CHROMIUM_ARGS]
    },
    screenshot: 'on',
    trace: 'retain-on-failure'
  },
  projects: [
    { name: 'default', testIgnore: /classifier\.webgpu\.spec\.ts$/ },
    {
      // The classifier's WebGPU path: WebGPU on (software adapter where there is no GPU), slow, so its spec only.
      name: 'webgpu',
      testMatch: /classifier\.webgpu\.spec\.ts$/,
      use: {
        launchOptions: {
          executablePath: CHROMIUM_EXECUTABLE,
          args: [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader']
        }
      }
    }
  ]
})
