/**
 * Listing a whole object-store root as several key ranges at once. A listing is a chain of
 * pages (S3 and GCS: 1,000 objects each, every page waiting for the one before it), so 10,000
 * artifacts took 20 round trips one after another. Split at paths of the previous listing, the
 * ranges are listed side by side. The split points are only a hint: the ranges always cover
 * the whole key space (see rangesAt), in byte order and in a folder tree's order alike
 * (backend/list-order.ts), and an object two ranges both name is kept once, so stale,
 * unsorted or made-up points cost requests, never an object missed or listed twice.
 */
import { comparePaths, type Backend, type ListRange, type ObjectMeta } from './backend/backend.js'
import { mapBounded } from './backend/bounded.js'
import { compareTreePaths } from './backend/list-order.js'

/** Ranges listed at once. */
export const LIST_CONCURRENCY = 8

/**
 * Objects per range the next split points aim at: fewer than a listing page (1,000 on S3 and
 * GCS), so a range's first page also holds an object past its end and the range ends in one
 * request. (A range ends at an object past its end in either order a server may list in; one
 * ending exactly at its last object would need a second page to prove nothing follows it; see
 * backend/list-order.ts.) The slack also absorbs up to 100 objects added to a range since the
 * last listing.
 */
export const OBJECTS_PER_RANGE = 900

/** Most split points used or kept (past 1,000,000 objects, ranges grow past one page). */
export const MAX_SPLITS = 1000

/** Longest split point kept (object-store keys are at most 1,024 bytes). */
export const MAX_SPLIT_LENGTH = 1024

/**
 * Ranges that cover every path, split at `points` (sorted and deduplicated here, thinned
 * evenly to MAX_SPLITS): (, p0], (p0, p1], ... (pn, ). No points: one range. A point that
 * would step back in a folder tree's order (list-order.ts) is dropped, so the ranges follow
 * each other in both orders a server may list in.
 */
export function rangesAt(points: readonly string[]): ListRange[] {
  const sorted = thin(ascendingInBothOrders([...new Set(points)].sort(comparePaths)))
  const ranges: ListRange[] = []
  let startAfter: string | undefined
  for (const endAt of sorted) {
    ranges.push(startAfter === undefined ? { endAt } : { startAfter, endAt })
    startAfter = endAt
  }
  ranges.push(startAfter === undefined ? {} : { startAfter })
  return ranges
}

/**
 * Split points for the next listing of a root whose objects are `sorted` (in comparePaths
 * order): the path ending every OBJECTS_PER_RANGE-th object, so each range is one page.
 */
export function splitPointsOf(sorted: readonly ObjectMeta[]): string[] {
  const points: string[] = []
  for (let i = OBJECTS_PER_RANGE - 1; i < sorted.length - 1; i += OBJECTS_PER_RANGE) {
    const path = (sorted[i] as ObjectMeta).path
    if (path.length <= MAX_SPLIT_LENGTH) points.push(path)
  }
  return thin(points)
}

// The points of `sorted` (byte order) that also rise in tree order, in order.
function ascendingInBothOrders(sorted: string[]): string[] {
  const kept: string[] = []
  for (const p of sorted) {
    const last = kept[kept.length - 1]
    if (last === undefined || compareTreePaths(last, p) < 0) kept.push(p)
  }
  return kept
}

// At most MAX_SPLITS of `points`, evenly spaced, in their order.
function thin(points: string[]): string[] {
  if (points.length <= MAX_SPLITS) return points
  const step = points.length / MAX_SPLITS
  return Array.from({ length: MAX_SPLITS }, (_, i) => points[Math.floor(i * step)] as string)
}

/**
 * Every object of `backend` once, listed as the ranges split at `points` with at most
 * LIST_CONCURRENCY ranges at once, sorted by path; `onObject` is called for each as it comes
 * (an object two ranges name, once for each).
 */
export async function listInRanges(
  backend: Backend,
  points: readonly string[],
  onObject?: () => void,
): Promise<ObjectMeta[]> {
  const ranges = rangesAt(points)
  const parts = await mapBounded(
    ranges,
    async (range) => {
      const part: ObjectMeta[] = []
      for await (const m of backend.list('', ranges.length > 1 ? range : undefined)) {
        part.push(m)
        onObject?.()
      }
      return part
    },
    LIST_CONCURRENCY,
  )
  const all = parts.flat()
  // Ranges come back in order and a byte-order server lists each in order: sorted already,
  // mostly. A folder tree's order, or a path near a bound, needs the sort.
  let sorted = true
  for (let i = 1; i < all.length && sorted; i++) {
    sorted = comparePaths((all[i - 1] as ObjectMeta).path, (all[i] as ObjectMeta).path) < 0
  }
  if (sorted) return all
  all.sort((a, b) => comparePaths(a.path, b.path))
  // Two ranges may both name a path near their shared bound: keep the first.
  return all.filter((m, i) => i === 0 || (all[i - 1] as ObjectMeta).path !== m.path)
}
