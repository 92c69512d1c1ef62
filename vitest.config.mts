import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/hostile/**/*.test.ts', 'tests/crash/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // Imports of the real dataset run ffprobe over 125 files on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default']
  }
})
