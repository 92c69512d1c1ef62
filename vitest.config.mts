import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/hostile/**/*.test.ts', 'tests/crash/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // Commands the tests run log here, never into the user's own log folder.
    env: { LUS_REVIEW_LOG_DIR: process.env.LUS_REVIEW_LOG_DIR ?? join(tmpdir(), 'lus-review-test-logs') },
    // Imports of the real dataset run ffprobe over 125 files on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default']
  }
})
