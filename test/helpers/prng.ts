/**
 * A small seeded PRNG (mulberry32): the same seed gives the same sequence on every run, so a
 * failing fuzz case replays. Each call returns an integer in [0, n).
 */
export function prng(seed: number): (n: number) => number {
  let a = seed >>> 0
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) % n
  }
}
