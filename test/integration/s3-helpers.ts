/** Shared steps of the S3 backend tests (moto and SeaweedFS). */
import { expect } from 'vitest'
import type { Backend, ObjectMeta } from '../../electron/engine/backend/backend.js'
import { mapBounded } from '../../electron/engine/backend/bounded.js'
import { openS3 } from '../../electron/engine/backend/s3/index.js'
import type { StorageOptions } from '../../electron/engine/backend/open.js'
import { AWKWARD_NAMES } from '../conformance/bulk.js'

/** Everything an async iterable yields. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

/** Puts `count` one-byte objects under `prefix`/ with 16 in flight; returns their paths. */
export async function fillPrefix(b: Backend, prefix: string, count: number): Promise<string[]> {
  const paths = Array.from({ length: count }, (_, i) => `${prefix}/${String(i).padStart(5, '0')}`)
  await mapBounded(paths, (p) => b.put(p, new Uint8Array([1])), 16)
  return paths
}

/**
 * `n` creates of one path at once: how many won, and the error codes of the rest. A server
 * that ignores If-None-Match shows as more than one winner (the test then says so).
 */
export async function createRace(
  b: Backend,
  path: string,
  n: number,
): Promise<{ winners: number; losers: string[] }> {
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) =>
      b.put(path, new TextEncoder().encode(`writer ${i}`), { mode: 'create' }),
    ),
  )
  const losers = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => String((r.reason as { code?: string }).code ?? r.reason))
  return { winners: results.filter((r) => r.status === 'fulfilled').length, losers }
}

/** Asserts that no secret appears in the error: message, stack, cause or any own property. */
export function expectNoSecret(err: unknown, secrets: string[]): void {
  expect(err).toBeInstanceOf(Error)
  const e = err as Error
  const seen = new Set<unknown>()
  const texts: string[] = []
  const walk = (x: unknown, depth: number) => {
    if (x === null || x === undefined || depth > 6 || seen.has(x)) return
    if (typeof x === 'string') return void texts.push(x)
    if (typeof x !== 'object') return void texts.push(String(x))
    seen.add(x)
    if (x instanceof Error) texts.push(x.message, String(x.stack))
    for (const k of Object.getOwnPropertyNames(x))
      walk((x as Record<string, unknown>)[k], depth + 1)
  }
  walk(e, 0)
  const all = texts.join('\n')
  for (const s of secrets) expect(all).not.toContain(s)
}

/**
 * Lists awkward names (and 1,100 more, over two pages) at `url` with the engine's own
 * ListObjectsV2 requests (fast-path.ts) and through the SDK alone: the same objects, and no
 * page handed to the SDK on the fast one.
 */
export async function expectFastListingAsSdk(url: string, options: StorageOptions): Promise<void> {
  const fallbacks: string[] = []
  const fast = await openS3(url, options, {}, { onFastListFallback: (p) => fallbacks.push(p) })
  const sdk = await openS3(url, options, {}, { fastPath: false })
  const names = [...AWKWARD_NAMES, "names/(p)!*'x,y;z:@$.json", 'names/a&b<c>"d\'.json']
  await mapBounded(names, (n) => fast.put(n, new TextEncoder().encode(n)), 8)
  await fillPrefix(fast, 'pages', 1_100)
  const byPath = (a: ObjectMeta, b: ObjectMeta) => (a.path < b.path ? -1 : 1)
  for (const prefix of ['', 'names', 'pages']) {
    const mine = (await collect(fast.list(prefix))).sort(byPath)
    expect(mine, prefix).toEqual((await collect(sdk.list(prefix))).sort(byPath))
    if (prefix !== 'pages') expect(mine.map((m) => m.path)).toEqual(expect.arrayContaining(names))
  }
  // From a start, as key ranges list.
  const after = (await collect(fast.list('', { startAfter: 'pages/00499' }))).sort(byPath)
  expect(after).toEqual((await collect(sdk.list('', { startAfter: 'pages/00499' }))).sort(byPath))
  expect(fallbacks).toEqual([])
}
