import { defineConfig } from 'vitest/config'

// CI is a 2-core machine that may be running other jobs: the limits below are sized for a
// load of 10 (five times slower than idle), so a slow machine never fails a test by itself.
// Hung tests still fail, just later; no test measures wall-clock time (bench/ does that).
export default defineConfig({
  // The renderer's component tests are .tsx; React's automatic JSX runtime, as in vite.config.ts.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/setup/global.ts'],
    setupFiles: ['test/setup/each-file.ts'],
    testTimeout: 240_000,
    hookTimeout: 360_000,
    teardownTimeout: 120_000,
    // expect.poll retries for a minute, as waitFor does (test/setup/each-file.ts); default 1 s.
    expect: { poll: { timeout: 60_000 } },
  },
})
