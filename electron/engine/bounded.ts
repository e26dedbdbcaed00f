/**
 * Runs `fn` over `items` with at most `limit` calls in flight, results in input order: what an
 * object store needs to be fast (many requests at once) without opening thousands at a time.
 * The first failure rejects the whole call once the calls already started have settled.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  let failed = false
  let failure: unknown
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++
      try {
        out[i] = await fn(items[i] as T, i)
      } catch (err) {
        if (!failed) failure = err
        failed = true
      }
    }
  }
  const width = Math.max(1, Math.min(limit, items.length))
  await Promise.all(Array.from({ length: width }, worker))
  if (failed) throw failure
  return out
}
