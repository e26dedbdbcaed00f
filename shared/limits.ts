/**
 * Limits every reader of untrusted cache content shares (sidecar JSON, pickles, the JSON form
 * of values, metadata edits), so a value one part accepts is never one another part chokes on.
 */

/**
 * How deeply containers may nest, in every reader and writer. Real metadata and cached values
 * nest a handful of levels; Python itself stops near 1000 (its recursion limit), but every
 * recursive walker here (the Python-exact encoder, repr of tuple keys, the explorer's tree,
 * React rendering it) spends several JS stack frames per level, and 100 keeps all of them far
 * from the stack's end while staying well beyond anything a real cache holds.
 */
export const MAX_DEPTH = 100

/** Sidecar bytes read at most: Python writes a few hundred; more is a broken or hostile file. */
export const MAX_SIDECAR_BYTES = 16 * 1024 * 1024

/**
 * Whether `root` nests containers more than `maxDepth` levels deep (a container holding only
 * scalars is one level). `children` yields a container's members, or undefined for a scalar.
 * Iterative, each container visited once (shared references and cycles included), so a
 * 100,000-deep chain costs no stack and a DAG of shared references no more than its size.
 */
export function nestsDeeperThan(
  root: unknown,
  maxDepth: number,
  children: (v: unknown) => Iterable<unknown> | undefined,
): boolean {
  const height = new Map<object, number>()
  const open = new Set<object>()
  const stack: { node: object; items: Iterator<unknown>; h: number }[] = []
  const enter = (v: unknown): number | undefined => {
    if (typeof v !== 'object' || v === null) return 0
    const known = height.get(v)
    if (known !== undefined) return known
    if (open.has(v)) return 0 // a cycle: as deep as its first visit, which is still open
    const items = children(v)
    if (items === undefined) return 0
    open.add(v)
    stack.push({ node: v, items: items[Symbol.iterator](), h: 1 })
    return undefined
  }
  if (enter(root) !== undefined) return false
  while (stack.length > 0) {
    if (stack.length > maxDepth) return true
    const top = stack[stack.length - 1]!
    const next = top.items.next()
    if (next.done) {
      stack.pop()
      open.delete(top.node)
      height.set(top.node, top.h)
      const parent = stack[stack.length - 1]
      if (parent) parent.h = Math.max(parent.h, top.h + 1)
      continue
    }
    const h = enter(next.value)
    if (h !== undefined) top.h = Math.max(top.h, h + 1)
    if (top.h > maxDepth) return true
  }
  return false
}

/** The members of parsed JSON containers (arrays and plain objects), for nestsDeeperThan. */
export function jsonChildren(v: unknown): Iterable<unknown> | undefined {
  if (Array.isArray(v)) return v
  if (typeof v !== 'object' || v === null) return undefined
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null ? Object.values(v) : undefined
}
