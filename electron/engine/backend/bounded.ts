/**
 * Bounded-concurrency helpers for the bulk methods of the backend contract (getManyText,
 * headMany, deleteMany): an object store answers many small requests at once, but a listing of
 * 100,000 keys must not open 100,000 sockets or hold 100,000 responses in flight.
 */

/** The most requests a bulk call keeps in flight (the contract says at most 32). */
export const BULK_CONCURRENCY = 32

/**
 * `fn` over `items` with at most `limit` calls running, results in the order of `items`. The
 * first rejection rejects the whole call (no new calls start after it).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit = BULK_CONCURRENCY,
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  let failed = false
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++
      try {
        out[i] = await fn(items[i] as T, i)
      } catch (err) {
        failed = true
        throw err
      }
    }
  }
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker)
  await Promise.all(workers)
  return out
}

/** Strict UTF-8 text of `bytes`, or the bytes themselves when they are not valid UTF-8. */
export function textOrBytes(bytes: Uint8Array | undefined): string | Uint8Array | undefined {
  if (bytes === undefined) return undefined
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return bytes
  }
}
