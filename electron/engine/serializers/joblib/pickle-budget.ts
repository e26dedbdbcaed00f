import { NdArray, PySet, PyTuple } from '../../pyvalue.js'
import { budgetSpent, type PickleLimits } from './limits.js'

// Rough V8 costs, in bytes, of what the machine builds. Only their order matters: they turn
// "10 million empty dicts" into ~2 GB before the dicts exist, not after the heap is full.
const SLOT = 16 // a reference in a list, tuple, stack or memo
const MAP_BASE = 160 // a Map with its first hash table
const MAP_ENTRY = 32
const CONTAINER_BASE = 64 // an array, tuple or set
const OBJECT_BASE = 128 // a placeholder, global, dtype or ndarray header
const STRING_BASE = 24
const MEMO_ENTRY = 32

/**
 * What a pickle has spent so far of its limits, shared by a pickle and the pickles nested in
 * it (object arrays) so nesting cannot multiply them. Every charge is checked as it is made.
 */
export class PickleBudget {
  values = 0
  private work = 0
  private objectBytes = 0
  private arrayBytes = 0

  constructor(private readonly limits: PickleLimits) {}

  /** Counts `steps` of work (opcodes run, slots filled or copied). */
  spendWork(steps: number): void {
    this.work += steps
    if (this.work > this.limits.maxWork) throw budgetSpent(this.limits, 'maxWork')
  }

  /** Counts a value that was just made: its estimated bytes, and its slots as work. */
  spendNew(value: unknown): void {
    const [bytes, slots] = objectCost(value)
    if (slots > 0) this.spendWork(slots)
    this.spendBytes(bytes)
  }

  /** Counts one more reference to an existing value (memo GET, DUP, APPEND, SETITEM). */
  spendSlots(n: number): void {
    this.spendWork(n)
    this.spendBytes(n * SLOT)
  }

  /** Counts one new memo entry. */
  spendMemoEntry(): void {
    this.spendBytes(MEMO_ENTRY)
  }

  /** Counts the raw data of a numeric array (bounded by maxArrayBytes per file, not per array). */
  spendArrayBytes(bytes: number): void {
    this.arrayBytes += bytes
    if (this.arrayBytes > this.limits.maxArrayBytes) throw budgetSpent(this.limits, 'maxArrayBytes')
  }

  private spendBytes(bytes: number): void {
    this.objectBytes += bytes
    if (this.objectBytes > this.limits.maxObjectBytes) {
      throw budgetSpent(this.limits, 'maxObjectBytes')
    }
  }
}

/** Estimated [bytes, slots] of a freshly made value; numeric array data is counted apart. */
function objectCost(v: unknown): [number, number] {
  if (typeof v === 'string') return [STRING_BASE + v.length, 0]
  if (typeof v !== 'object' || v === null) return [SLOT, 0]
  if (v instanceof Map) return [MAP_BASE + MAP_ENTRY * v.size, v.size]
  if (Array.isArray(v)) return [CONTAINER_BASE + SLOT * v.length, v.length]
  if (v instanceof PyTuple || v instanceof PySet) {
    return [CONTAINER_BASE + SLOT * v.items.length, v.items.length]
  }
  if (v instanceof Uint8Array) return [CONTAINER_BASE + v.byteLength, 0]
  if (v instanceof NdArray && Array.isArray(v.data)) {
    return [OBJECT_BASE + SLOT * v.data.length, v.data.length]
  }
  return [OBJECT_BASE, 0]
}
