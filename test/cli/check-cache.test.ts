import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { CLI } from '../helpers/cli.js'
import { FIXTURE_CACHE, FIXTURE_EXPECTED, REPO } from '../helpers/temp.js'

const run = promisify(execFile)
// The team's checker lives in ../shared beside the checkout (as in CI); it is not ours to copy.
const CHECKER = path.join(REPO, '..', 'shared', 'tools', 'check-cache')
const present = existsSync(CHECKER)
if (!present) console.warn(`check-cache test skipped: ${CHECKER} is not beside this checkout`)

describe.skipIf(!present)('../shared/tools/check-cache on the Python-written cache', () => {
  it('every key lists and every csv and joblib value equals expected.json', async () => {
    const { stdout } = await run(
      'python3',
      [
        CHECKER,
        '--cache',
        FIXTURE_CACHE,
        '--expected',
        FIXTURE_EXPECTED,
        '--kinds',
        'ls,csv,joblib',
        '--cli',
        `${process.execPath} ${CLI}`,
      ],
      // Below the suite's test timeout, so a hung checker is killed and named, not orphaned.
      { timeout: 200_000 },
    )
    expect(stdout.trim().split('\n').at(-1)).toBe('14/14 checks pass (csv,joblib,ls)')
  })
})
