/** How many object reads or writes a copy has in flight at once. */
export const COPY_CONCURRENCY = 8
/** Bytes a copy holds in memory at once (objects in transfer, hash chunks being read). */
export const COPY_MEMORY_BUDGET = 256 * 1024 * 1024

/**
 * Bounds a copy's work: at most `slots` operations at once, holding at most `budget` bytes
 * between them. An object larger than the whole budget still goes, alone (the backend contract
 * writes an object from one buffer), so memory stays under max(budget, largest object).
 */
export class Gate {
  private running = 0
  private held = 0
  private readonly waiting: (() => void)[] = []

  constructor(
    readonly slots = COPY_CONCURRENCY,
    readonly budget = COPY_MEMORY_BUDGET,
  ) {}

  /**
   * Runs `work` once a slot and `bytes` of the budget are free; releases them after. `slots`
   * lets work of only a few requests each (a create-only copy) run more at once, still within
   * the one byte budget.
   */
  async run<T>(bytes: number, work: () => Promise<T>, slots = this.slots): Promise<T> {
    while (!this.fits(bytes, slots)) await new Promise<void>((wake) => this.waiting.push(wake))
    this.running++
    this.held += bytes
    try {
      return await work()
    } finally {
      this.running--
      this.held -= bytes
      // Everyone waiting rechecks: a freed large block may admit several small ones.
      for (const wake of this.waiting.splice(0)) wake()
    }
  }

  private fits(bytes: number, slots: number): boolean {
    if (this.running >= slots) return false
    return this.running === 0 || this.held + bytes <= this.budget
  }
}

/**
 * Runs `task` over `items`, `width` at a time, in order of start. Stops starting new ones once
 * `stop()` says so or a task failed; waits for those already running, then throws the first
 * failure.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  width: number,
  task: (item: T, index: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0
  let failure: { err: unknown } | null = null
  const worker = async () => {
    while (next < items.length && failure === null && !stop()) {
      const i = next++
      try {
        await task(items[i] as T, i)
      } catch (err) {
        failure ??= { err }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker))
  if (failure) throw (failure as { err: unknown }).err
}
