/**
 * Key ranges over a server whose listing order is not known. Object stores list in one of two
 * orders, and a range listing (StartAfter, then pages until a bound) is only right in the order
 * the server uses:
 * - flat UTF-8 byte order (AWS S3, GCS, moto): after StartAfter `s`, every key greater than `s`;
 * - a folder tree walked by name (SeaweedFS): '/' sorts before every other character, and after
 *   StartAfter `s` it lists the keys greater than `s` in that order except those under `s/`
 *   (it steps past the whole entry named `s`, folder included). Measured on SeaweedFS 4.x:
 *   after `a b` it skips `a/1` (before `a b` in tree order); after `ab` it skips `ab/c`.
 * The two disagree only about keys that meet a bound where one has '/' and the other a
 * character below it (space, '!', '-', '.', ...), or that lie under `bound/`. rangeObjects
 * keeps every object either order puts inside the range and stops only after an object past
 * the end in both, so ranges split at the same points cover every object at least once on
 * either kind of server; the few near a bound may come twice, and the caller drops repeats
 * (listInRanges). Nothing here needs to know which kind of server it talks to.
 */
import { comparePaths, compareUnits, type ListRange, type ObjectMeta } from './backend.js'

const SLASH = 0x2f

/** Orders paths as a folder tree walked by name lists them: '/' first, then byte order. */
export function compareTreePaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    if (x === SLASH) return -1
    if (y === SLASH) return 1
    return compareUnits(x, y)
  }
  return a.length - b.length
}

/** Whether `path` lies under the folder `bound/`. */
function under(path: string, bound: string): boolean {
  return path.startsWith(bound) && path.charCodeAt(bound.length) === SLASH
}

/** Whether `path` is past the end `bound`, in both orders: a listing can stop after it. */
export function pastInBothOrders(path: string, bound: string): boolean {
  const flat = comparePaths(path, bound) > 0
  const tree = compareTreePaths(path, bound) > 0 && !under(path, bound)
  return flat && tree
}

// Whether `path` is in `range` in byte order.
function inFlatRange(path: string, { startAfter, endAt }: ListRange): boolean {
  return (
    (startAfter === undefined || comparePaths(path, startAfter) > 0) &&
    (endAt === undefined || comparePaths(path, endAt) <= 0)
  )
}

// Whether `path` is in `range` in tree order: after the start and not under it, up to the end
// and the folder under it (which the range after the end steps past).
function inTreeRange(path: string, { startAfter, endAt }: ListRange): boolean {
  return (
    (startAfter === undefined ||
      (compareTreePaths(path, startAfter) > 0 && !under(path, startAfter))) &&
    (endAt === undefined || compareTreePaths(path, endAt) <= 0 || under(path, endAt))
  )
}

/**
 * Whether `path` belongs to `range` in either order (always, without one): what a ranged
 * listing keeps. Exact for a byte-order server except for paths near a bound in the sense above.
 */
export function mayBeInRange(path: string, range?: ListRange): boolean {
  return range === undefined || inFlatRange(path, range) || inTreeRange(path, range)
}

/**
 * The objects of one ranged listing, from `pages` (the server's, after StartAfter =
 * range.startAfter): every object either order puts in the range, stopping after the first
 * page that reaches past its end in both orders. Without a range, every object.
 */
export async function* rangeObjects(
  pages: AsyncIterable<ObjectMeta[]>,
  range?: ListRange,
): AsyncIterable<ObjectMeta> {
  for await (const page of pages) {
    if (range === undefined) {
      yield* page
      continue
    }
    yield* page.filter((m) => mayBeInRange(m.path, range))
    const end = range.endAt
    if (end !== undefined && page.some((m) => pastInBothOrders(m.path, end))) return
  }
}
