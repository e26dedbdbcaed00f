// Runs once per `vitest run`, before any test file and after all of them.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build, isFresh, PARTS } from '../../scripts/dist-stamp.js'

/**
 * Rebuilds any part of dist/ whose sources changed since it was built: the CLI tests run
 * bin/xpersist.js, the end-to-end tests serve dist/renderer, and a stale build there would
 * test yesterday's code (`npx vitest run test/cli` does not build first; `npm test` does, and
 * then this finds nothing to do).
 */
function freshDist(): void {
  for (const part of PARTS) {
    if (isFresh(part)) continue
    console.warn(`dist/ is stale for the ${part.name}: rebuilding before the tests.`)
    try {
      if (!build(part)) {
        console.warn(
          `The ${part.name} has type errors (above); the tests run it as built. ` +
            'npm run typecheck fails until they are fixed.',
        )
      }
    } catch (err) {
      throw new Error(
        `Could not rebuild dist/ for the ${part.name} (its errors are above). ` +
          'Fix them and run the tests again: they would otherwise run an old build.',
        { cause: err },
      )
    }
  }
}

/**
 * Points TMPDIR (which os.tmpdir(), Python's tempfile and every child process honour) at a
 * private folder for the run. Whatever a test leaves there fails the run, naming it, and is
 * removed either way, so the machine's temp folder never fills up with test leftovers.
 */
function privateTmpdir(): () => void {
  const previous = process.env.TMPDIR
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xpersist-tests-'))
  process.env.TMPDIR = dir
  return () => {
    const left = readdirSync(dir)
    rmSync(dir, { recursive: true, force: true })
    if (previous === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = previous
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits 0: set the code ourselves.
      process.exitCode = 1
      throw new Error(
        `Tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in $TMPDIR: ` +
          `${left.sort().join(', ')}. Remove them in the test that makes them ` +
          `(test/helpers/temp.ts tempDir() does it for you).`,
      )
    }
  }
}

/** vitest globalSetup: a fresh dist/ and a private $TMPDIR; the teardown checks it is empty. */
export default function setup(): () => void {
  freshDist()
  return privateTmpdir()
}
