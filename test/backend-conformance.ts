/**
 * The one conformance suite every Backend passes: local, memory and pending-root here
 * (test/unit/backends.test.ts); S3 and GCS against real servers on loopback. Call it from a
 * test file:
 *
 *   backendConformance(name: string, fresh: () => Promise<Backend>, opts?: ConformanceOptions)
 *
 * - `fresh` makes a new, EMPTY backend for each case (a new temp folder, a new bucket or a new
 *   prefix in one); the suite writes at most ~1,100 small objects and one 8 MiB one per case.
 * - `opts.denied` makes a backend whose access is refused (wrong credentials; a folder without
 *   permission); without it the permission case is listed as skipped with `opts.deniedSkip`
 *   as the reason. `opts.deniedReads: false` says only writes are refused (a read-only
 *   folder; its storage then holds an object at 'seed').
 * - `opts.limits` names what the server under test cannot honour, each with the reason naming
 *   the server (see ConformanceLimit in test/conformance/support.ts): those cases then assert
 *   the limit is still there, so a fixed server is noticed. Nothing is silently skipped.
 * - `opts.pageSize` (the backend's listing page size, when known), `opts.largeBytes` (the
 *   large put, default 8 MiB + 1) and `opts.timeout` (ms per case, default 120,000).
 *
 * Every rejection the suite provokes is checked to be an XpersistError of the closed set.
 */
import { describe } from 'vitest'
import type { Backend } from '../electron/engine/backend/backend.js'
import { bulkCases } from './conformance/bulk.js'
import { deniedCases } from './conformance/denied.js'
import { listingCases } from './conformance/listing.js'
import { objectCases } from './conformance/objects.js'
import type { ConformanceLimit, ConformanceOptions, Suite } from './conformance/support.js'

export type { ConformanceLimit, ConformanceOptions } from './conformance/support.js'

/** Registers the conformance tests for one backend kind. */
export function backendConformance(
  name: string,
  fresh: () => Promise<Backend>,
  opts: ConformanceOptions = {},
): void {
  const suite: Suite = {
    fresh,
    opts,
    timeout: opts.timeout ?? 120_000,
    limit: (l: ConformanceLimit) => opts.limits?.[l],
  }
  describe(`${name} backend conformance`, () => {
    objectCases(suite)
    listingCases(suite)
    bulkCases(suite)
    deniedCases(suite)
  })
}
