import { defineConfig } from 'vitest/config'

export default defineConfig({
  // The renderer's component tests are .tsx; React's automatic JSX runtime, as in vite.config.ts.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
})
