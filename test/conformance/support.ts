/**
 * What the conformance groups share: the options a caller passes, byte helpers, and the one
 * rejection check every group uses, so every failure the suite provokes is also checked to be
 * a member of the closed error set.
 */
import { expect } from 'vitest'
import type { Backend } from '../../electron/engine/backend/backend.js'
import { XpersistError } from '../../electron/engine/errors.js'
import { ERROR_CODES, type ErrorCode } from '../../shared/errors.js'

/**
 * Behaviours a test server cannot honour. Declaring one turns its case into a check that the
 * server still shows the limit (so a fixed server is noticed); nothing is skipped or faked.
 * - createIgnored: put `create` overwrites an existing object (no If-None-Match / ifGenerationMatch=0).
 * - ifMatchIgnored: put `{ifMatch}` with a stale or absent version succeeds.
 * - createIgnoredOnResumable, ifMatchIgnoredOnResumable: the same, only for the large
 *   object put (a resumable or multipart upload), e.g. fake-gcs-server on resumable uploads.
 * - emptyPrefixKept: a delimited listing still names a prefix whose objects were all deleted.
 * - keyRangesTreeOrder: the server lists a folder tree ('/' first), and a listing from
 *   StartAfter skips folders that sort before it by name though their objects sort after it
 *   as keys. Ranged listings are then checked in that order (list-order.ts).
 */
export type ConformanceLimit =
  | 'createIgnored'
  | 'ifMatchIgnored'
  | 'createIgnoredOnResumable'
  | 'ifMatchIgnoredOnResumable'
  | 'emptyPrefixKept'
  | 'keyRangesTreeOrder'

/** Options of `backendConformance`; every field is optional. */
export interface ConformanceOptions {
  /**
   * A backend whose access is refused (S3/GCS with wrong credentials; a local folder without
   * permission). Its writes must reject with PERMISSION_DENIED; isWritable() answers (an
   * object store may say true) or rejects with PERMISSION_DENIED. Omitted: the permission case
   * is reported as skipped, with the reason given in `deniedSkip`.
   */
  denied?: () => Promise<Backend>
  /**
   * False when `denied` refuses only writes (a read-only folder): its reads must then work and
   * its storage must hold an object at 'seed'. Default true: reads are refused as well.
   */
  deniedReads?: boolean
  /** Why `denied` is not provided (shown in the skipped test's name). */
  deniedSkip?: string
  /**
   * Known limits of the server under test, each with the reason naming the server, e.g.
   * `{ createIgnoredOnResumable: 'fake-gcs-server 1.52 ignores ifGenerationMatch on resumable uploads' }`.
   */
  limits?: Partial<Record<ConformanceLimit, string>>
  /**
   * The listing page size the backend under test uses, when known (S3 and GCS: 1,000, or
   * smaller if the factory sets it): the pagination case then writes pageSize + 100 objects
   * (default 1,100) and checks listPaths' pages are no larger than it.
   */
  pageSize?: number
  /** Bytes of the large object put (default 8 MiB + 1: past the usual multipart/resumable thresholds). */
  largeBytes?: number
  /** Per-test timeout in ms (default 120,000; remote servers on a loaded machine are slow). */
  timeout?: number
}

/** What each group gets: the factory, the options, and the limit lookup. */
export interface Suite {
  fresh: () => Promise<Backend>
  opts: ConformanceOptions
  timeout: number
  /** The declared reason for `limit`, or undefined when the server honours it. */
  limit(limit: ConformanceLimit): string | undefined
}

/** UTF-8 bytes of `s`. */
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

/** Strict UTF-8 text of `b` (undefined stays undefined). */
export const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : new TextDecoder('utf-8', { fatal: true }).decode(b)

/** Everything an async iterable yields. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

/** Sorted paths of a recursive listing. */
export async function listed(b: Backend, prefix: string): Promise<string[]> {
  return (await collect(b.list(prefix))).map((m) => m.path).sort()
}

/** Sorted paths of every listPaths page. */
export async function listedPaths(b: Backend, prefix: string): Promise<string[]> {
  return (await collect(b.listPaths(prefix))).flat().sort()
}

/** Asserts `err` is an engine error of the closed set, and returns it. */
export function closed(err: unknown): XpersistError {
  expect(err, `not an XpersistError: ${String(err)}`).toBeInstanceOf(XpersistError)
  const e = err as XpersistError
  expect(ERROR_CODES).toContain(e.code)
  expect(e.message.length).toBeGreaterThan(0)
  return e
}

/** Awaits `work`, which must reject with an engine error of `code`. */
export async function rejects(work: Promise<unknown>, code: ErrorCode): Promise<XpersistError> {
  const err = await work.then(
    (value) => {
      throw new Error(`expected a ${code} rejection, got ${String(value)}`)
    },
    (e: unknown) => e,
  )
  const e = closed(err)
  expect(e.code, e.message).toBe(code)
  return e
}

/** Settles every promise; each rejection must be of the closed set. */
export async function settle<T>(works: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
  const results = await Promise.allSettled(works)
  for (const r of results) if (r.status === 'rejected') closed(r.reason)
  return results
}

/** `fn` over `items`, at most `limit` at a time (puts in bulk without flooding a server). */
export async function bounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** The failure message of a limited case whose limit the server no longer shows. */
export function limitGone(s: Suite, limit: ConformanceLimit): string {
  return `declared limit ${limit} (${s.limit(limit)}) no longer shows: remove it from the limits`
}

/** Awaits a write that the declared `limit` lets through; a refusal means the limit is gone. */
export async function stillLimited<T>(
  s: Suite,
  limit: ConformanceLimit,
  work: Promise<T>,
): Promise<T> {
  try {
    return await work
  } catch (err) {
    throw new Error(`${limitGone(s, limit)} (refused: ${(err as Error).message})`, { cause: err })
  }
}
