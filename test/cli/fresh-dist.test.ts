import { describe, expect, it } from 'vitest'
import { isFresh, PARTS } from '../../scripts/dist-stamp.js'

// The CLI, concurrency and end-to-end tests run what is in dist/. The test setup rebuilds any
// part whose sources changed since its build (test/setup/global.ts), so even
// `npx vitest run test/cli` right after an edit tests the edited code, never an old build.
describe('dist/ the tests run', () => {
  it('was built from the sources as they are now', () => {
    expect(PARTS.filter((p) => !isFresh(p)).map((p) => p.name)).toEqual([])
  })
})
